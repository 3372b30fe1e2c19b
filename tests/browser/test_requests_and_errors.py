"""Under the /course/ sub-path every page loads with no request outside the site and no script error, every
link and asset resolves, search works, and instant navigation carries the learner through the whole course."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote, urldefrag

import pytest
from playwright.sync_api import expect

from benchmarks import weight
from tests.browser import widgets
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

ADDRESSES = """() => [
  ...[...document.querySelectorAll('a[href]')].map((a) => ['link', a.href]),
  ...[...document.querySelectorAll('link[href], script[src], img[src], source[src], iframe[src]')].map((e) => ['asset', e.href || e.src]),
]"""
FETCHED = "() => performance.getEntriesByType('resource').map((entry) => entry.name)"
IDS = re.compile(r"""\b(?:id|name)=["']?([^"'\s>]+)""")


def test_the_watch_catches_what_it_must(page, served, watch):
    widgets.visit(page, served.url)
    page.evaluate(
        """(site) => {
      fetch('https://example.org/tracker.js').catch(() => null);
      new Image().src = new URL('/elsewhere.png', site).href;  // same host, outside the sub-path
      fetch(site + 'no-such-page/').catch(() => null);
      console.error('a console error');
      setTimeout(() => { throw new Error('an uncaught error'); });
    }""",
        served.url,
    )
    wanted = [
        "outside the site: https://example.org/tracker.js",
        f"outside the site: {served.origin}/elsewhere.png",
        f"404 for {served.url}no-such-page/",
        "console error: a console error",
        "uncaught Error: an uncaught error",
    ]
    deadline = time.monotonic() + 5
    while True:
        page.wait_for_timeout(50)  # lets the page's events reach the watch
        seen = "\n".join(watch.seen())
        missing = [w for w in wanted if w not in seen]
        if not missing or time.monotonic() > deadline:
            break
    assert not missing, f"the watch missed {missing}; it saw:\n{seen}"
    watch.take()  # all expected: they must not fail this test


def _target(served, url: str):
    """The built file an address under the site serves, and its fragment."""
    bare, fragment = urldefrag(url)
    path = unquote(bare[len(served.url) :].split("?", 1)[0])
    file = served.folder / path
    return (file / "index.html" if bare.endswith("/") or file.is_dir() else file), fragment


def test_every_page_loads_cleanly_and_every_link_and_asset_resolves(page, served):
    broken = []
    for path in served.pages():
        widgets.visit(page, served.url + path)
        for kind, url in page.evaluate(ADDRESSES):
            if url.startswith(("data:", "blob:", "mailto:")) or not url.startswith(served.origin):
                continue  # links to other sites are fine; requests to them are what the watch forbids
            if not url.startswith(served.url):
                broken.append(f"{path or 'home'}: {kind} {url} is outside the sub-path")
                continue
            file, fragment = _target(served, url)
            if not file.is_file():
                broken.append(f"{path or 'home'}: {kind} {url} has no file")
            elif fragment and file.suffix == ".html" and unquote(fragment) not in IDS.findall(file.read_text(encoding="utf-8")):
                broken.append(f"{path or 'home'}: {kind} {url} names no element on its page")
    assert not broken, "\n".join(sorted(set(broken)))


def test_search_finds_pages_under_the_sub_path(page, served):
    widgets.visit(page, served.url)
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    # Typed key by key, as a learner would: Material reads the query on keyup (or when its index is
    # ready), so `fill`, which sends no keyup, raced the search worker on a loaded machine.
    query.press_sequentially("checkback")
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    for href in results.evaluate_all("(links) => links.map((a) => a.href)"):
        assert href.startswith(served.url) and _target(served, href)[0].is_file(), href


def test_instant_navigation_carries_the_learner_through_every_page(page, served):
    widgets.visit(page, served.url)
    widgets.ready_to_navigate(page)
    page.evaluate("() => { window.__loaded = true; }")  # gone after a full load, kept by instant navigation
    seen = [served.url]
    while True:
        following = page.locator("a.md-footer__link--next")
        if not following.count():
            break
        href = widgets.follow(page, following)
        assert page.evaluate("() => window.__loaded === true"), f"{href} reloaded the page: instant navigation is off"
        seen.append(urldefrag(page.url)[0])
    assert sorted(seen) == sorted(served.url + p for p in served.pages())


def test_each_page_script_module_is_fetched_from_the_site_once_and_the_weight_counts_them_all(page, served):
    widgets.visit(page, served.url)
    entry = page.locator('script[src$="javascripts/course.js"]')
    # A module is deferred unless it is async: the widgets start after the page is parsed, never before first paint.
    assert entry.get_attribute("type") == "module" and entry.get_attribute("async") is None
    scripts = served.url + "javascripts/"
    on_home = sorted(u for u in page.evaluate(FETCHED) if u.startswith(scripts))
    # A page fetches only the modules of the widgets it has: the home page, its progress view's, and no quiz code.
    assert scripts + "progress.js" in on_home and scripts + "quiz.js" not in on_home and scripts + "scoring.js" not in on_home
    # Through every page by instant navigation, each module is fetched once, and the weight counts every one.
    widgets.ready_to_navigate(page)
    while page.locator("a.md-footer__link--next").count():
        widgets.follow(page, page.locator("a.md-footer__link--next"))
    fetched = [u for u in page.evaluate(FETCHED) if u.startswith(scripts)]
    counted = sorted(
        served.url + p.relative_to(served.folder).as_posix()
        for p in weight.course_assets(ROOT, served.folder)
        if p.suffix == ".js"
    )
    assert len(fetched) == len(set(fetched)), "instant navigation fetched a module again"
    # The self-study build's module is the one no page of the default build needs.
    assert sorted(fetched) == [u for u in counted if u != scripts + "self-check.js"]
