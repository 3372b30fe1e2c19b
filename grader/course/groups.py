"""Which model each step and each named mistake belongs to, and which models a page's reader has met (lesson order is mkdocs.yml's nav)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from grader.course.lessons import lesson_page
from grader.course.model import Course


class _AnyTags(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!ENV` and `!!python/name:` tags."""


_AnyTags.add_multi_constructor(
    "", lambda loader, _tag, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
)


def _pages(nav) -> list[str]:
    """The pages of a nav entry, in order: `page.md`, `{Title: page.md}` or `{Section: [...]}`."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _pages(value)]
    if isinstance(nav, list):
        return [page for entry in nav for page in _pages(entry)]
    return []


@functools.lru_cache(maxsize=16)
def _nav(config: Path, mtime: float) -> tuple[str, ...]:
    try:
        # A safe loader that also reads unknown tags as plain data.
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTags)
    except (OSError, yaml.YAMLError):
        return ()
    return tuple(_pages(data.get("nav") if isinstance(data, dict) else None))


def lesson_order(root: Path) -> tuple[str, ...]:
    """The pages under docs/ in the order mkdocs.yml's nav lists them; () without a nav."""
    config = root / "mkdocs.yml"
    return _nav(config, config.stat().st_mtime) if config.is_file() else ()


def models_met(course: Course, page: str | None) -> set[str]:
    """The models whose lesson comes no later in the nav than `page`; every model when the page is not in the nav."""
    order = lesson_order(course.root)
    if page not in order:
        return {m.id for m in course.models}
    at = order.index(page)
    return {m.id for m in course.models if m.lesson.partition("#")[0] in order[: at + 1]}


def step_model(course: Course, step_id: str) -> str:
    """The title of the model a step belongs to."""
    step = course.steps.get(step_id)
    model = next((m for m in course.models if step is not None and m.id == step.model), None)
    return model.title if model else step_id.partition(".")[0]


def _page_title(root: Path, page: str) -> str:
    found = lesson_page(root, page)
    return found.title if found is not None and found.title else page


def mistake_group(course: Course, anti_id: str) -> str:
    """Where a named mistake is taught: its model's title, or the title of the lesson that teaches it."""
    pattern = course.anti_patterns.get(anti_id)
    if pattern is None:
        return ""
    page = pattern.lesson.partition("#")[0]
    model = next((m for m in course.models if m.lesson.partition("#")[0] == page), None)
    return model.title if model else _page_title(course.root, page)


def grouped(labels: dict[str, str], titles: dict[str, str], ids) -> list[tuple[str, list[str]]]:
    """(group label, titles) for `ids`, groups in the order first met, each title once."""
    out: dict[str, list[str]] = {}
    for item in ids:
        names = out.setdefault(labels.get(item, ""), [])
        if titles.get(item, item) not in names:
            names.append(titles.get(item, item))
    return list(out.items())
