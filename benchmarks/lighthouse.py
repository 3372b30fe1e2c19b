"""Lighthouse (npm `lighthouse`, Debian's Chromium, no network) on pages of the built site served under a sub-path."""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VERSION = "13"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
# Kept outside the repo so package.json stays test-only; reused between runs.
TOOLS = Path(os.environ.get("LIGHTHOUSE_DIR", Path(tempfile.gettempdir()) / "deescalation-bench-lighthouse"))
SUB_PATH = "course"
PAGES = {
    "lesson, with its practice dialogue": "lessons/five-step-process/",
    "quiz": "quizzes/five-step-process/",
    "final assessment (quiz with a dialogue question)": "quizzes/final-assessment/",
    "scenario maps (instructor)": "instructor/scenario-maps/",
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install() -> Path:
    """The lighthouse CLI script, installed with npm into TOOLS on first use (never into the repo)."""
    script = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not script.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--silent", f"lighthouse@{VERSION}"],
            cwd=TOOLS,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return script


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    # Compressed once per file, as a CDN keeps it: compressing on every request put the server's
    # CPU time into the page's measured response time.
    return gzip.compress(path.read_bytes(), compresslevel=6)


class _LikePages(SimpleHTTPRequestHandler):
    """Serves text files gzipped when the browser asks, as GitHub Pages does; logs nothing."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # the redirect to the address with a slash
            path = path / "index.html"
        if path.suffix in COMPRESSED and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = _gzipped(path, path.stat().st_mtime_ns)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(root: Path, port: int):
    """Serve `root` at http://127.0.0.1:PORT/ while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_LikePages, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Score:
    """One page's Lighthouse figures."""

    page: str
    url: str
    preset: str
    performance: float | None = None
    accessibility: float | None = None
    metrics: dict = field(default_factory=dict)
    failing: list = field(default_factory=list)
    """(audit id, title, selectors) for accessibility audits below full marks."""
    error: str = ""
    runs: tuple = ()
    """Performance score of every run of this page and preset; the figures above are the median run's."""


METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")


def read_report(report: dict, page: str, url: str, preset: str) -> Score:
    """The scores, the main metrics and the failing accessibility audits from a Lighthouse JSON report."""
    score = Score(page, url, preset)
    categories = report.get("categories", {})
    score.performance = categories.get("performance", {}).get("score")
    score.accessibility = categories.get("accessibility", {}).get("score")
    audits = report.get("audits", {})
    score.metrics = {m: audits[m].get("displayValue", "") for m in METRICS if m in audits}
    for ref in categories.get("accessibility", {}).get("auditRefs", []):
        audit = audits.get(ref["id"], {})
        if audit.get("score") is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])
            selectors = [i.get("node", {}).get("selector", "") for i in items][:3]
            score.failing.append((ref["id"], audit.get("title", ""), selectors))
    if report.get("runtimeError"):
        score.error = report["runtimeError"].get("message", "runtime error")
    return score


def run(script: Path, url: str, page: str, preset: str, scratch: Path) -> Score:
    """One Lighthouse run; `preset` is `mobile` (Lighthouse's default, throttled) or `desktop`."""
    out = scratch / f"lighthouse-{abs(hash((url, preset)))}.json"
    argv = [
        "node",
        str(script),
        url,
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        argv.append("--preset=desktop")
    done = subprocess.run(argv, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        return Score(page, url, preset, error=(done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1])
    return read_report(json.loads(out.read_text()), page, url, preset)


def why_not(site: Path) -> str:
    """Why Lighthouse cannot run here, or "" when it can."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "node and npm are not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (set CHROME_PATH)"
    if not (site / "index.html").exists():
        return f"no built site at {site}"
    return ""


def median_run(scores: list[Score]) -> Score:
    """The run with the median performance score, carrying every run's score; a failed run only when all failed."""
    done = sorted((s for s in scores if not s.error), key=lambda s: s.performance or 0)
    if not done:
        return scores[-1]
    middle = done[(len(done) - 1) // 2]
    middle.runs = tuple(round(100 * (s.performance or 0)) for s in scores if not s.error)
    return middle


def measure(serve_root: Path, port: int, scratch: Path, presets=("mobile", "desktop"), runs: int = 3) -> list[Score]:
    """Score each page in PAGES that the build has, under http://127.0.0.1:PORT/course/, `runs` times each.

    Lighthouse's own guidance: one run varies by several points on a shared machine, so report the median.
    """
    script = install()
    scores = []
    with serve(serve_root, port) as base:
        for page, path in PAGES.items():
            if not (serve_root / SUB_PATH / path / "index.html").exists():
                continue
            for preset in presets:
                url = f"{base}{SUB_PATH}/{path}"
                scores.append(median_run([run(script, url, page, preset, scratch) for _ in range(max(1, runs))]))
    return scores
