"""Tasks: the only code that writes them lives in service.py."""
