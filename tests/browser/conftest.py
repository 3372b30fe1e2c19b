"""Session fixtures: one strict build served under /course/, one Chromium, and a fresh watched context per test.

The site is built with `SITE_URL` pointing at the sub-path it is served from, as a GitHub Pages project
site is, so Material's instant navigation is really on. Every page a test opens is watched: a request
outside the served site, an uncaught exception, a console error or an error response fails the test.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MOUNT = "/course/"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Generous waits (never assertions on time): a loaded CI machine may take seconds to start a page.
TIMEOUT_MS = 15_000


# ---------------------------------------------------------------- the served site


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under MOUNT only; anything else is a 404, as on a project site's host."""

    def translate_path(self, path: str) -> str:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if not bare.startswith(MOUNT):
            return os.path.join(self.directory, "__outside_the_mount__")
        return super().translate_path(path[len(MOUNT) - 1 :])

    def list_directory(self, path):
        # GitHub Pages lists no folders; a link to a folder without index.html must fail here too.
        self.send_error(404)
        return None

    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser drops connections it no longer needs (instant navigation cancels fetches).
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Site:
    """The built site and where it is served."""

    origin: str
    """`http://127.0.0.1:PORT`"""
    url: str
    """The site's address, ending in MOUNT."""
    folder: Path

    def pages(self) -> list[str]:
        """Every page's path below `url` (`""` for the home page, `lessons/x/` for the others)."""
        found = (p.parent.relative_to(self.folder).as_posix() for p in self.folder.rglob("index.html"))
        return sorted("" if p == "." else p + "/" for p in found)

    def pages_with(self, marker: str) -> list[str]:
        """The pages whose HTML contains `marker`."""
        return [p for p in self.pages() if marker in (self.folder / p / "index.html").read_text(encoding="utf-8")]


def _build(folder: Path, site_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DIR"}
    env.update(SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}"


# Package scope: torn down when the browser tests end, because a thread can hold only one Playwright
# sync session and tests elsewhere (tests/test_html_report.py) start their own.
@pytest.fixture(scope="package")
def served(tmp_path_factory) -> Site:
    """The course built once with its real site_url and served under /course/ on a free loopback port."""
    folder = tmp_path_factory.mktemp("browser") / "site"
    folder.mkdir()
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    _build(folder, origin + MOUNT)
    thread = threading.Thread(target=server.serve_forever, name="site", daemon=True)
    thread.start()
    yield Site(origin, origin + MOUNT, folder)
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, launched once for all browser tests; they fail (never skip) when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package first.", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core's script, installed from npm by `make test`."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make test`, which runs `npm ci` first.", pytrace=False)
    return AXE


@dataclass
class Watch:
    """What went wrong on the pages of one test: requests leaving the site, script errors, error responses."""

    site: str
    outside: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    context: object = None

    def inside(self, url: str) -> bool:
        return url.startswith(self.site) or url.startswith(("data:", "blob:"))

    def attach(self, page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error.name}: {error.message}"))
        page.on(
            "console", lambda msg: self.errors.append(f"{page.url}: console error: {msg.text}") if msg.type == "error" else None
        )
        page.on(
            "response",
            lambda r: (
                self.errors.append(f"{page.url}: {r.status} for {r.url}") if r.status >= 400 and self.inside(r.url) else None
            ),
        )

    def seen(self) -> list[str]:
        """Every problem seen so far."""
        return [f"request outside the site: {u}" for u in self.outside] + self.errors

    def take(self) -> list[str]:
        """Every problem seen so far, which are then forgotten."""
        for page in self.context.pages if self.context else ():
            if not page.is_closed():
                page.evaluate("0")  # one round trip, so events still in flight arrive first
        found = self.seen()
        self.outside.clear()
        self.errors.clear()
        return found


@pytest.fixture
def watch(served) -> Watch:
    return Watch(served.url)


@pytest.fixture
def context(browser, watch):
    """A fresh context per test: clean localStorage, downloads accepted, light palette, every page watched."""
    ctx = browser.new_context(accept_downloads=True, color_scheme="light", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.on("page", watch.attach)
    ctx.on("request", lambda request: None if watch.inside(request.url) else watch.outside.append(request.url))
    # Nothing leaves the machine: a request outside the site is recorded above and refused here.
    ctx.route(lambda url: not watch.inside(url), lambda route: route.abort())
    watch.context = ctx
    yield ctx
    watch.context = None
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test's own checks pass, fail it for anything its watched pages did wrong."""
    result = yield
    watched = item.funcargs.get("watch")
    if isinstance(watched, Watch):
        problems = watched.take()
        if problems:
            pytest.fail("the pages did something wrong:\n  " + "\n  ".join(problems), pytrace=False)
    return result
