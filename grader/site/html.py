"""HTML for the fences: escaped text, elements, the page script's data, author Markdown, links between pages."""

from __future__ import annotations

import json

# Author Markdown is converted in one place, which the fences and the feedback pages share.
from grader.common.author_text import inline_html as inline_html
from grader.common.author_text import markdown_html as markdown_html
from grader.common.author_text import plain_text as plain_text
from grader.common.escape import html_text

esc = html_text
"""Escape text for HTML content and attribute values (the escaping every HTML writer shares)."""


def attributes(attrs: dict) -> str:
    """` name="value"` pairs: `class_` gives class, `data_x` gives data-x, True a bare name, None or False nothing."""
    out = ""
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out += f" {name}" if value is True else f' {name}="{esc(value)}"'
    return out


def tag(name: str, body: str = "", **attrs) -> str:
    """An element around HTML `body` (already escaped)."""
    return f"<{name}{attributes(attrs)}>{body}</{name}>"


def input_tag(**attrs) -> str:
    return f"<input{attributes(attrs)}>"


def page_data(data: dict) -> str:
    """Data for the page script, carried in the widget's `data-course` attribute.

    Not a <script type="application/json"> island: Material's instant navigation re-creates
    every script in the new page and keeps only its text, so the island would run as code.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def linker(md):
    """A function from `page.md#section` under docs/ to an href from the page being built."""
    # MkDocs hangs its link rewriter on each page's Markdown as "relpath"; it knows the page and every file.
    relpath = md.treeprocessors["relpath"] if md is not None and "relpath" in md.treeprocessors else None
    page, files = getattr(relpath, "file", None), getattr(relpath, "files", None)

    def href(target: str) -> str | None:
        path, _, anchor = target.partition("#")
        found = files.get_file_from_path(path) if page is not None and files is not None else None
        if page is None or found is None:
            return None  # outside MkDocs, or a page this site does not have: no link rather than a broken one
        from mkdocs.utils import get_relative_url

        url = "" if found is page else get_relative_url(found.url, page.url)
        return f"{url}#{anchor}" if anchor else url or "./"

    return href


def page_of(md) -> str | None:
    """The page being built, as its path under docs/ (`lessons/x.md`); None outside MkDocs."""
    relpath = md.treeprocessors["relpath"] if md is not None and "relpath" in md.treeprocessors else None
    page = getattr(relpath, "file", None)
    return getattr(page, "src_uri", None)
