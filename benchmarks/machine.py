"""What machine the figures come from, so a reader can judge and reproduce them."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

import yaml


def _first(path: str, pattern: str) -> str:
    try:
        match = re.search(pattern, Path(path).read_text(), re.M)
    except OSError:
        return "unknown"
    return match.group(1).strip() if match else "unknown"


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return (done.stdout.strip().splitlines() or ["unknown"])[0]


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict:
    """Cores, CPU model, memory, OS, and the versions of every tool the figures depend on."""
    kib = _first("/proc/meminfo", r"^MemTotal:\s+(\d+)")
    return {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": _first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$"),
        "memory": f"{int(kib) / 1024 / 1024:.1f} GiB" if kib.isdigit() else "unknown",
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PyYAML": f"{yaml.__version__}, "
        + ("with libyaml (C loader)" if yaml.__with_libyaml__ else "without libyaml: pure-Python loader"),
        "MkDocs": _package("mkdocs"),
        "Material for MkDocs": _package("mkdocs-material"),
        "pymdown-extensions": _package("pymdown-extensions"),
        "Node.js": _version(["node", "--version"]),
        "Chromium": _version([os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"]),
    }
