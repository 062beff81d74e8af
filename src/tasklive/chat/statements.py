"""A chat turn's hot-path statements, built once with bound parameters.

Building a statement and its cache key costs more CPU than running it; these are built at
import and name the tables, not the mapped classes, which also keeps the ORM's bulk-update
machinery out of the way. Parameter names start with `p_` so that none reads as a column.
"""

from sqlalchemy import Update, bindparam, select, update
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import ReturningInsert

from tasklive.chat.models import Message, conversations_table, runs_table, usage_table
from tasklive.chat.outcomes import UNFINISHED

conversations, runs, usage = conversations_table, runs_table, usage_table

# Marks the user's conversation active and takes its row lock until commit.
TOUCH = (
    update(conversations)
    .where(conversations.c.id == bindparam("p_conversation"))
    .where(conversations.c.user_id == bindparam("p_user"))
    .values(updated_at=bindparam("p_now"))
    .returning(conversations.c.id)
)

BUSY = (
    select(runs.c.id)
    .where(runs.c.conversation_id == bindparam("p_conversation"))
    .where(runs.c.status.in_(UNFINISHED))
    .limit(1)
)


def _finishing() -> Update:
    return (
        update(runs)
        .where(runs.c.id == bindparam("p_run"))
        .where(runs.c.status.in_(UNFINISHED))
        .values(
            status=bindparam("p_status"),
            outcome=bindparam("p_outcome"),
            finished_at=bindparam("p_now"),
        )
    )


FINISH_OWNED = _finishing().where(runs.c.owner == bindparam("p_owner"))
FINISH_EXPIRED = _finishing().where(runs.c.lease_expires_at < bindparam("p_before"))

# The latest messages before the current one; user messages sent after it wait their turn.
HISTORY = (
    select(Message)
    .where(Message.conversation_id == bindparam("p_conversation"))
    .where(Message.id != bindparam("p_current"))
    .where(~((Message.role == "user") & (Message.created_at > bindparam("p_sent_at"))))
    .order_by(Message.created_at.desc(), Message.id.desc())
    .limit(bindparam("p_window"))
)


def _count_message(statement: PostgresInsert | SqliteInsert) -> ReturningInsert[int]:
    statement = statement.values(user_id=bindparam("p_user"), day=bindparam("p_day"), count=1)
    return statement.on_conflict_do_update(
        index_elements=[usage.c.user_id, usage.c.day], set_={"count": usage.c.count + 1}
    ).returning(usage.c.count)


# Counts one message against the user's day; the new count.
COUNT_MESSAGE = {
    "postgresql": _count_message(postgres_insert(usage)),
    "sqlite": _count_message(sqlite_insert(usage)),
}
