"""A user's task numbers: each given out once, counted on the user's row (its lock orders them)."""

from sqlalchemy import Integer, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User

_users = User.__table__
# Built once: each new task takes a number with it.
_TAKE = (
    update(_users)
    .where(_users.c.id == bindparam("p_user"))
    .values(last_task_number=_users.c.last_task_number + bindparam("p_count", type_=Integer))
    .returning(_users.c.last_task_number)
)
# A task created in a unit of work that has no change number yet takes one in the same statement.
_TAKE_WITH_CHANGE = (
    update(_users)
    .where(_users.c.id == bindparam("p_user"))
    .values(last_task_number=_users.c.last_task_number + 1, change_seq=_users.c.change_seq + 1)
    .returning(_users.c.last_task_number, _users.c.change_seq)
)


async def take_numbers(session: AsyncSession, user_id: str, count: int = 1) -> int | None:
    """Give out the user's next `count` numbers; returns the last of them (None: no such user)."""
    last: int | None = await session.scalar(_TAKE, {"p_user": user_id, "p_count": count})
    return last


async def take_number_and_change(session: AsyncSession, user_id: str) -> tuple[int, int] | None:
    """Give out the user's next number and next change number (None: no such user)."""
    row = (await session.execute(_TAKE_WITH_CHANGE, {"p_user": user_id})).first()
    return None if row is None else (row[0], row[1])


async def reserve_numbers(session: AsyncSession, user_id: str, number: int) -> None:
    """Numbers up to `number` count as given out (a restored backup's account had them)."""
    await session.execute(
        update(_users)
        .where(_users.c.id == user_id, _users.c.last_task_number < number)
        .values(last_task_number=number)
    )
