"""Text types every entry point shares: strings a database can store, and bounded variants."""

import json
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
Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(storable)
]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(storable)]
Password = Annotated[str, StringConstraints(max_length=1024), AfterValidator(storable)]
ClientMessageId = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(storable)
]


def mended(value: Any) -> str:
    """`value` as text a database stores: NUL and unpaired surrogates become U+FFFD."""
    text = str(value).replace(NUL, "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def mended_json(value: Any) -> Any:
    """JSON values a database stores (PostgreSQL refuses \\u0000 in JSON text)."""
    if value is None:
        return None
    return json.loads(mended(json.dumps(value, ensure_ascii=False)).replace("\\u0000", "\ufffd"))
