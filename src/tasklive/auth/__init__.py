"""Accounts, password hashing, tokens and the CurrentUser dependency."""
