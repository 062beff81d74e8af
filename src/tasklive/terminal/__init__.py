"""The terminal client: `tasklive chat` and `tasklive tasks` against a running service."""
