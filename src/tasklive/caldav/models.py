"""Dead properties: what CalDAV apps store on a list or on the calendar home, kept as sent."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from tasklive.db import Base, UTCDateTime, new_id, utcnow

_ON_HOME = text("list_id IS NULL")


class DeadProperty(Base):
    """One property an app set by PROPPATCH (RFC 4918 section 4): on a list, or on the calendar
    home when `list_id` is None; `value` is the property element as XML."""

    __tablename__ = "dav_properties"
    __table_args__ = (
        UniqueConstraint("user_id", "list_id", "namespace", "name"),
        # NULLs are distinct in a unique constraint, so the home's names get their own index
        Index(
            "ix_dav_properties_home",
            "user_id",
            "namespace",
            "name",
            unique=True,
            sqlite_where=_ON_HOME,
            postgresql_where=_ON_HOME,
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    list_id: Mapped[str | None] = mapped_column(
        ForeignKey("task_lists.id", ondelete="CASCADE"), index=True, nullable=True
    )
    namespace: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
