"""Start-up: a command imports only what it needs, and the lazy parser reads every command line as the full one does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grader.cli import COMMANDS, build_parser, parse
from tests.conftest import MINI
from tests.outputs import ROOT, grader_env

# Run `grader ARGS` in a fresh interpreter and list the grader modules it imported.
PROBE = """
import json, sys
from grader.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as done:  # --help
    code = done.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith("grader"))}), file=sys.stderr)
"""


def _imported(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, env=grader_env(), capture_output=True, text=True, timeout=120
    )
    found = json.loads(done.stderr.strip().splitlines()[-1])
    return found["code"], set(found["modules"])


def test_check_imports_no_grading_and_no_analytics():
    code, modules = _imported("--course", str(MINI), "check")
    assert code in (0, 1)
    assert "grader.course" in modules
    heavy = {m for m in modules if m.startswith(("grader.grading.", "grader.analytics.", "grader.cli.grade"))}
    assert heavy <= {"grader.grading.keep"}  # the --keep choices, and nothing of the grading itself


def test_template_imports_no_other_command():
    _code, modules = _imported("--course", str(MINI), "template", "--help")
    others = {f"grader.cli.{name}" for name in COMMANDS if name != "template"}
    assert not modules & others


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["--course", "grade", "check", "-v"],
        ["--course=x", "stats", "a", "--json"],
        ["--cour", "grade", "check", "--keys", "k"],  # an abbreviated --course whose value is a command name
        ["template", "five-step-process"],
        ["export", "out", "--to", "canvas", "--roster", "r.csv"],
    ],
)
def test_lazy_parse_reads_as_the_full_parser(argv):
    full = vars(build_parser().parse_args(argv))
    lazy = vars(parse(argv))
    assert {k: v for k, v in lazy.items() if k != "run"} == {k: v for k, v in full.items() if k != "run"}
    assert lazy["run"].__qualname__ == full["run"].__qualname__


def test_every_command_still_listed_in_help(capsys):
    with pytest.raises(SystemExit):
        parse(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_help_loads_no_grading_statistics_or_site_code():
    # grader --help registers every command; registering one must not load what running it needs.
    code, modules = _imported("--help")
    assert code == 0
    heavy = {
        m
        for m in modules
        if m.startswith(("grader.grading.batch", "grader.analytics.class_stats", "grader.analytics.report_page", "grader.site"))
        or m in {"grader.cohort.overrides", "grader.cli.class_data", "grader.cli.class_summary"}
    }
    assert not heavy, sorted(heavy)
