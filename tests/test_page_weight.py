"""Page weight: the quiz and dialogue widgets' JavaScript (every module of the page script) and CSS stay within the
budget gzipped, together, as published."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import site, weight
from tests.conftest import ROOT

# Every module is fetched on its own, so every one counts; they are found, not listed.
WIDGETS = [*sorted((ROOT / "docs" / "javascripts").rglob("*.js")), ROOT / "docs" / "stylesheets" / "course.css"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project's site as `mkdocs build` publishes it: the page script without its comments."""
    folder = tmp_path_factory.mktemp("weight") / "site"
    site.build(ROOT, "mkdocs.yml", folder, "http://127.0.0.1:8000/")
    return folder


def test_the_widget_files_are_the_ones_every_page_loads():
    listed = weight.course_assets(ROOT)
    for path in WIDGETS:
        assert path in listed, (
            f"{path.relative_to(ROOT)} is not counted: not in mkdocs.yml's extra_javascript or extra_css, nor a module"
        )


def test_widgets_fit_the_gzip_budget(built):
    missing = [str(p.relative_to(built)) for p in weight.course_assets(ROOT, built) if not p.is_file()]
    assert not missing, f"mkdocs.yml lists files the build did not publish: {missing}"
    # Each file is served and compressed on its own, so each is gzipped on its own (level 9).
    sizes = [weight.measure(p) for p in weight.course_assets(ROOT, built)]
    total = weight.total(sizes)
    detail = ", ".join(f"{s.name} {s.gzip} B" for s in sizes)
    assert total.gzip <= weight.BUDGET_GZIP, f"{total.gzip} bytes gzipped ({detail}); the budget is {weight.BUDGET_GZIP}"


def test_the_measure_is_gzip_level_9(tmp_path):
    sample = tmp_path / "sample.js"
    sample.write_text("const answer = 42;\n" * 500)
    measured = weight.measure(sample)
    assert measured.raw == len(sample.read_bytes())
    assert 0 < measured.gzip < measured.raw / 20
