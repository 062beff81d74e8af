"""Every table, gathered for Alembic and for tests."""

from tasklive.auth.models import User
from tasklive.caldav.models import DeadProperty
from tasklive.chat.models import Conversation, DailyUsage, Message, Run
from tasklive.db import Base
from tasklive.tasks.models import Task, TaskChangeEntry, TaskList, ToolCallRecord
from tasklive.tasks.notify.models import PushSubscription, ReminderDelivery

metadata = Base.metadata

__all__ = [
    "Conversation",
    "DailyUsage",
    "DeadProperty",
    "Message",
    "PushSubscription",
    "ReminderDelivery",
    "Run",
    "Task",
    "TaskChangeEntry",
    "TaskList",
    "ToolCallRecord",
    "User",
    "metadata",
]
