"""File names as text: a name that is not UTF-8, or holds control characters, shown readably with \\xNN."""

from __future__ import annotations

from grader.escape import visible


def is_utf8(path: str) -> bool:
    """Whether the name is valid UTF-8 on disk (os.walk hands other bytes over as lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(path: str) -> str:
    """`path` as text that any terminal, CSV or JSON takes: other bytes and control characters as escapes."""
    return visible(path)
