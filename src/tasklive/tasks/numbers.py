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


async def take_numbers(session: AsyncSession, user_id: str, count: int = 1) -> int | None:
    """Give out the user's next `count` numbers; returns the last of them (None: no such user)."""
    last: int | None = await session.scalar(_TAKE, {"p_user": user_id, "p_count": count})
    return last


async def reserve_numbers(session: AsyncSession, user_id: str, number: int) -> None:
    """Numbers up to `number` count as given out (a restored backup's account had them)."""
    await session.execute(
        update(_users)
        .where(_users.c.id == user_id, _users.c.last_task_number < number)
        .values(last_task_number=number)
    )
