"""Every table, gathered for Alembic and for tests."""

from tasklive.auth.models import User
from tasklive.conversations.models import Conversation, DailyUsage, Message
from tasklive.db import Base
from tasklive.tasks.models import Task, ToolCallRecord

metadata = Base.metadata

__all__ = ["Conversation", "DailyUsage", "Message", "Task", "ToolCallRecord", "User", "metadata"]
