"""The published course's address, as mkdocs.yml's `site_url` gives it to MkDocs; a local preview address is no published site."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from grader.formats.loader import LoadError, Tagged, load_file

# `mkdocs serve` and a machine's own addresses: a learner elsewhere cannot open them.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class SiteAddress:
    """Where the course is published, or why that is not known."""

    url: str | None
    """The site's address, ending in `/`; None when not known."""
    why: str = ""
    """When `url` is None: why, in words."""


def web_address_problem(url: str) -> str | None:
    """Why `url` is not the address of a web site (http or https, with a host), or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not a web address; give one such as https://you.github.io/course/"
    if parts.query or parts.fragment:
        return "holds a query or a fragment; give the site's address only, such as https://you.github.io/course/"
    return None


def _is_local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def env_value(value: Any, environ: Mapping[str, str]) -> Any:
    """A value as MkDocs reads it: `!ENV NAME` or `!ENV [NAME, ..., default]` (pyyaml-env-tag's rules), else as written.

    The first variable set wins, even when set to nothing (which MkDocs then reads as no value); the last item of
    a list of two or more is the default.
    """
    if not isinstance(value, Tagged) or value.tag != "!ENV":
        return value
    items = value.value if isinstance(value.value, list) else [value.value]
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if str(name) in environ:
            return environ[str(name)] or None
    return default


def site_address(root: Path, environ: Mapping[str, str] | None = None) -> SiteAddress:
    """The published address in `root`/mkdocs.yml, read with the one loader; None, and why, when it names none."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return SiteAddress(None, "the course has no mkdocs.yml")
    try:
        data = load_file(path, display="mkdocs.yml", tags=True).data
    except LoadError as error:
        return SiteAddress(None, f"{error.problem}")
    raw = data.get("site_url") if isinstance(data, dict) else None
    url = env_value(raw, os.environ if environ is None else environ)
    if not isinstance(url, str) or not url.strip():
        return SiteAddress(None, "mkdocs.yml gives no site_url (set SITE_URL, as the publish workflow does)")
    url = url.strip()
    problem = web_address_problem(url)
    if problem:
        return SiteAddress(None, f"mkdocs.yml's site_url {url!r} {problem}")
    if _is_local(url):
        return SiteAddress(None, f"mkdocs.yml's site_url is {url}, a local preview address (set SITE_URL to the published one)")
    return SiteAddress(url.rstrip("/") + "/")
