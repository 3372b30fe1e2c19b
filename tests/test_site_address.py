"""The published address feedback links to: mkdocs.yml's site_url as MkDocs reads it, and never a local preview address."""

from __future__ import annotations

import pytest

from grader.course.site_address import site_address, web_address_problem
from tests.conftest import ROOT


def write(tmp_path, text: str):
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_course_reads_site_url_from_the_environment_as_mkdocs_does():
    assert site_address(ROOT, {"SITE_URL": "https://you.github.io/course"}).url == "https://you.github.io/course/"
    # Without SITE_URL, the default is `mkdocs serve`'s address: no published site.
    unknown = site_address(ROOT, {})
    assert unknown.url is None
    assert (
        unknown.why
        == "mkdocs.yml's site_url is http://127.0.0.1:8000/, a local preview address (set SITE_URL to the published one)"
    )
    # Set to nothing, MkDocs reads no value at all rather than the default.
    assert site_address(ROOT, {"SITE_URL": ""}).url is None


@pytest.mark.parametrize(
    "text, environ, url",
    [
        ("site_url: https://example.org/c/\n", {}, "https://example.org/c/"),
        ("site_url: https://example.org/c\n", {}, "https://example.org/c/"),
        ("site_url: !ENV [A, B, 'https://fallback.example/']\n", {"B": "https://b.example/x/"}, "https://b.example/x/"),
        ("site_url: !ENV [A, B, 'https://fallback.example/']\n", {}, "https://fallback.example/"),
        ("site_url: !ENV SITE\n", {"SITE": "https://s.example/"}, "https://s.example/"),
        ("site_url: !ENV SITE\n", {}, None),
        ("site_url: http://localhost:8000/\n", {}, None),
        ("site_url: http://127.0.1.1/\n", {}, None),
        ("site_url: http://docs.localhost/\n", {}, None),
        ("site_url: ftp://example.org/\n", {}, None),
        ("site_name: x\n", {}, None),
        ("theme:\n  name: !!python/name:x.y\nsite_url: https://ok.example/\n", {}, "https://ok.example/"),
    ],
)
def test_site_url_forms(tmp_path, text, environ, url):
    assert site_address(write(tmp_path, text), environ).url == url


def test_an_unreadable_mkdocs_yml_says_why_and_names_its_line(tmp_path):
    found = site_address(write(tmp_path, "site_name: x\nsite_url: [unclosed\n"), {})
    assert found.url is None and found.why.startswith("mkdocs.yml:3: not valid YAML")
    assert site_address(tmp_path / "nowhere", {}).why == "the course has no mkdocs.yml"


def test_web_address_problem():
    assert web_address_problem("https://you.github.io/course/") is None
    assert web_address_problem("you.github.io/course") == "is not a web address; give one such as https://you.github.io/course/"
    assert web_address_problem("javascript:alert(1)") is not None
    assert "query or a fragment" in web_address_problem("https://x.example/?a=1")
