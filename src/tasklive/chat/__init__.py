"""Conversations, messages, idempotency, limits and retention."""
