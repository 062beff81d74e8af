"""Opt-in tests against a real model server (`make test-llm`)."""
