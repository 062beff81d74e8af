"""Text types every entry point shares: strings a database can store, and bounded variants."""

from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints

NUL = "\x00"
BIGINT_MAX = 2**63 - 1


def storable(value: str) -> str:
    """`value` unchanged, or a ValueError when it holds a NUL or an unpaired surrogate."""
    if NUL in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must not contain unpaired surrogates") from None
    return value


def bounded_text(max_length: int, min_length: int = 0, *, strip: bool = False) -> Any:
    """A storable string of `min_length` to `max_length` characters (after trimming if `strip`)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=strip, min_length=min_length, max_length=max_length),
        AfterValidator(storable),
    ]


SafeText = Annotated[str, AfterValidator(storable)]
Identifier = bounded_text(64, 1)
Email = bounded_text(320)
Password = bounded_text(1024)
ClientMessageId = bounded_text(200, 1)
