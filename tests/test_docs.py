"""Every grader command and option is documented in the README."""

from __future__ import annotations

import argparse

import pytest

from grader.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices.items())


@pytest.mark.parametrize("name, parser", commands(), ids=[n for n, _ in commands()])
def test_command_documented(name, parser):
    assert f"### `grader {name}" in README, f"README has no section for `grader {name}`"
    section = README.split(f"### `grader {name}", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in section, f"`grader {name}` option {option} is not in its README section"


def test_readme_commands_exist():
    for line in README.splitlines():
        if line.startswith("make "):
            target = line.split()[1]
            assert f"\n{target}:" in (ROOT / "Makefile").read_text()
