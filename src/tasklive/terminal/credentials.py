"""Where `tasklive login` keeps tokens: one JSON file, readable by its owner only (0600)."""

import json
import os
from pathlib import Path
from typing import Any


def credentials_path() -> Path:
    """`$TASKLIVE_CONFIG_DIR` or `$XDG_CONFIG_HOME/tasklive` (default ~/.config/tasklive)."""
    base = os.environ.get("TASKLIVE_CONFIG_DIR")
    if base:
        return Path(base) / "credentials.json"
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "tasklive" / "credentials.json"


def _read() -> dict[str, Any]:
    try:
        stored = json.loads(credentials_path().read_text())
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def stored_token(url: str) -> str | None:
    """The token saved for a service URL, if any."""
    entry = _read().get(url.rstrip("/"))
    return entry.get("token") if isinstance(entry, dict) else None


def store_token(url: str, entry: dict[str, Any]) -> Path:
    """Save `{token, email, kind, ...}` for a service URL; the file is created 0600."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = _read() | {url.rstrip("/"): entry}
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(stored, file, indent=2)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path
