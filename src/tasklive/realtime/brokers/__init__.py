"""Event brokers: memory (one process) and Redis (several)."""
