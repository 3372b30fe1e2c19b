"""What mkdocs.yml asks of the fences under `extra: course:`, read through the page being built (off outside MkDocs).

```yaml
extra:
  course:
    self_check: true   # the self-study build: graded quizzes score themselves on the page, their keys published
```
"""

from __future__ import annotations

from typing import Any


def course_settings(md) -> dict[str, Any]:
    """`extra: course:` of the MkDocs build rendering this page, or {} outside MkDocs (and in Zensical)."""
    # MkDocs hangs its link rewriter on each page's Markdown as "relpath"; it holds the build's config.
    relpath = md.treeprocessors["relpath"] if md is not None and "relpath" in md.treeprocessors else None
    config: Any = getattr(relpath, "config", None)
    extra: Any = config.get("extra") if config is not None else None
    found: Any = extra.get("course") if hasattr(extra, "get") else None
    return dict(found) if hasattr(found, "items") else {}


def self_check(md) -> bool:
    """True in the self-study build, which publishes the graded quizzes' keys so that they score on the page."""
    return course_settings(md).get("self_check") is True
