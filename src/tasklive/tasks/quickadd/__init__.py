"""The quick-add reader: one line of text in, a task draft with the spans it recognised out.

Chat (the offline model), `POST /api/tasks/quick`, the page's add box, `tasklive add` and the MCP
tool `quick_add_task` all read text with it: one reader, one set of rules.
"""

from tasklive.tasks.quickadd.reader import (
    Draft,
    NotATaskError,
    Span,
    UnsureError,
    draft_fields,
    read,
)
from tasklive.tasks.quickadd.scan import Scanned, scan

__all__ = [
    "Draft",
    "NotATaskError",
    "Scanned",
    "Span",
    "UnsureError",
    "draft_fields",
    "read",
    "scan",
]
