"""Course authors' Markdown (prompts, options, feedback, headings) as HTML and as plain text: the one conversion every page uses."""

from __future__ import annotations

import functools
import html
import re

import markdown


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """The one converter for author texts: making one costs as much as converting a text, so it is made once."""
    return markdown.Markdown(extensions=["attr_list", "def_list", "tables"])


# Kept: the same course texts are converted for every learner's feedback page.
@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Author Markdown as HTML, by the grader's own converter, reset first so nothing carries over from the last text."""
    return _converter().reset().convert(text)


@functools.lru_cache(maxsize=4096)
def inline_html(text: str) -> str:
    """One line of author Markdown (an option, an item) as inline HTML; any HTML in it stays text."""
    html_text = markdown_html(html.escape(text, quote=False)).strip()
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        return html_text[3:-4]
    return html_text


def plain_text(text: str) -> str:
    """One line of author Markdown as plain text, for places that take no markup (<option>, aria-label)."""
    return html.unescape(re.sub(r"<[^>]+>", "", inline_html(text)))
