"""Page weight: the JavaScript and CSS the course adds to Material's own, raw and gzipped."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.site.page_script import SCRIPT_FOLDER

BUDGET_GZIP = 24800
"""Every page-script module and course.css together, each file gzipped on its own at level 9: 8 KiB when the page
script was one file, 9.5 KiB once it was modules (each compresses alone: one file 6,060 bytes, eight 7,844), 21.25 KiB
since practice sets, the self-study check and the progress views came (9,503 bytes before them, 21,688 measured after:
scoring.js, the progress views and the practice set are most of it), 24,800 since dialogues teach from mistakes
(24,773 measured: the debrief in words, the turning point and "try again from here", dealing variants and details by
seed, and the best score and each reply's cost worked out on the page as the grader does). Material's own script and
style sheets weigh 59,562 bytes gzipped; a page fetches only its widgets' modules (course.js imports them on demand)."""


class _AnyTags(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!ENV` and `!!python/name:` tags."""


_AnyTags.add_multi_constructor(
    "", lambda loader, _tag, node: None if not isinstance(node, yaml.ScalarNode) else loader.construct_scalar(node)
)


@dataclass(frozen=True)
class Asset:
    """One file served to every page."""

    name: str
    raw: int
    gzip: int


def measure(path: Path, name: str | None = None) -> Asset:
    """Raw and gzipped (level 9) size of one file."""
    data = path.read_bytes()
    return Asset(name or path.name, len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def course_assets(root: Path, site: Path | None = None) -> list[Path]:
    """The files every page loads: mkdocs.yml's extra_javascript and extra_css, and every module of the page script
    (each `.js` under docs/javascripts/, which the entry imports); under docs/, or as published in a built `site`."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTags)
    folder = site or root / (config.get("docs_dir") or "docs")
    found = []
    for entry in [*(config.get("extra_javascript") or []), *(config.get("extra_css") or [])]:
        name = entry.get("path") if isinstance(entry, dict) else entry
        if name and "://" not in name:
            found.append(folder / name)
    modules = sorted((folder / SCRIPT_FOLDER).rglob("*.js"))
    return found + [m for m in modules if m not in found]


def material_assets(site: Path) -> list[Path]:
    """Material's own script and style sheets in a built site (the search worker loads later, on demand)."""
    assets = site / "assets"
    return sorted(assets.glob("javascripts/bundle.*.min.js")) + sorted(assets.glob("stylesheets/*.min.css"))


def total(assets: list[Asset]) -> Asset:
    """The sum of several assets."""
    return Asset("total", sum(a.raw for a in assets), sum(a.gzip for a in assets))
