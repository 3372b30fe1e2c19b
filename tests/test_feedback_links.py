"""Where the feedback's lesson links go: the published site from mkdocs.yml or --site-url, never a local preview address."""

from __future__ import annotations

import pytest

from tests.conftest import CASES
from tests.outputs import run_grader

BOB = CASES / "grade" / "class" / "bob.yml"
MKDOCS = 'site_name: Mini\nsite_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'


@pytest.fixture
def course(mini_copy):
    (mini_copy / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return mini_copy


def feedback(out) -> str:
    return (out / "feedback" / "s002" / "mini-quiz.md").read_text(encoding="utf-8")


def test_links_go_to_the_site_mkdocs_yml_names(course, tmp_path):
    done = run_grader("--course", course, "grade", BOB, "--out", tmp_path / "out", SITE_URL="https://published.example/course")
    assert done.code == 0, done.err
    assert "Lesson links in the feedback go to https://published.example/course/\n" in done.out
    assert "](https://published.example/course/lessons/calm/#listen)" in feedback(tmp_path / "out")


def test_a_local_preview_address_is_no_published_site(course, tmp_path):
    done = run_grader("--course", course, "grade", BOB, "--out", tmp_path / "out")
    assert done.code == 0, done.err
    assert done.out.endswith(
        "Lessons are named in the feedback, not linked: mkdocs.yml's site_url is http://127.0.0.1:8000/, a local preview "
        "address (set SITE_URL to the published one); pass --site-url URL to link them.\n"
    )
    assert "127.0.0.1" not in feedback(tmp_path / "out")


def test_site_url_overrides_mkdocs_yml(course, tmp_path):
    done = run_grader(
        "--course",
        course,
        "grade",
        BOB,
        "--out",
        tmp_path / "out",
        "--site-url",
        "https://given.example/x",
        SITE_URL="https://env.example/",
    )
    assert done.code == 0, done.err
    assert "](https://given.example/x/lessons/calm/#listen)" in feedback(tmp_path / "out")
    assert "env.example" not in feedback(tmp_path / "out")


@pytest.mark.parametrize("given", ["given.example/x", "javascript:alert(1)", "https://x.example/?q=1"])
def test_a_site_url_that_is_no_web_address_is_refused_before_any_work(course, tmp_path, given):
    done = run_grader("--course", course, "grade", BOB, "--out", tmp_path / "out", "--site-url", given)
    assert done.code == 2 and done.err.startswith(f"grader: --site-url {given} ") and done.err.count("\n") == 1, done.err
    assert not (tmp_path / "out").exists()
