"""The pydantic-ai agent, its task tools, the offline model and the turn runner."""
