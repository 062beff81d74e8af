"""tasklive: a self-hosted conversational task manager."""

__version__ = "0.1.0"
