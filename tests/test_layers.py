"""The package's shape: subpackages by job, layered imports with no cycle, a pure core, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "grader"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
# What each subpackage may import from the others, lowest layer first.
ALLOWED = {
    "common": set(),
    "formats": {"common"},
    "dialogue": {"common", "formats"},
    "course": {"common", "formats", "dialogue"},
    # The class around the hand-ins; overrides re-score with the scorer's own results, and nothing else of grading.
    "cohort": {"common", "formats", "dialogue", "course", "grading.scoring"},
    "grading": {"common", "formats", "dialogue", "course", "cohort"},
    # Statistics group short-text answers by the scorer's own comparison rule, and nothing else of grading.
    "analytics": {"common", "formats", "dialogue", "course", "cohort", "grading.scoring"},
    # The site renders course files; it never reaches grading outputs or the command line.
    "site": {"common", "formats", "dialogue", "course"},
    "cli": {"common", "formats", "dialogue", "course", "cohort", "grading", "analytics", "site"},
}
# The core does no I/O and knows no command line.
PURE = [
    "grading/scoring.py",
    "dialogue/engine.py",
    "dialogue/analysis.py",
    "dialogue/model.py",
    "analytics/statistics.py",
    "analytics/class_stats.py",
    "analytics/cohort_stats.py",
    "cohort/lms.py",
    "cohort/identity.py",
    "cohort/deadlines.py",
    "cohort/regrade.py",
    "cohort/changes.py",
]
IMPURE_MODULES = {"os", "io", "sys", "pathlib", "shutil", "tempfile", "subprocess", "argparse", "socket", "multiprocessing"}
IMPURE_CALLS = {"open", "print", "input"}
MOST_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(p) for p in MODULES}


def imports_of(path: Path) -> set[str]:
    """Every grader module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            # `from grader.grading import answers` imports the module grader.grading.answers.
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in NAMES else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("grader")}
    return found


def subpackage(name: str) -> str:
    """The subpackage a module belongs to (`grading` for grader.grading.batch); "" for the package's own modules."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else ""


GRAPH = {module_name(p): imports_of(p) for p in MODULES}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_each_module_imports_only_the_layers_below_it(name):
    home = subpackage(name)
    if not home:
        return  # grader/__init__.py and __main__.py sit above every layer
    for target in GRAPH[name]:
        other = subpackage(target)
        if not other or other == home:
            continue
        allowed = ALLOWED[home]
        assert other in allowed or any(target == a or target.startswith(f"grader.{a}") for a in allowed if "." in a), (
            f"{name} imports {target}: {home} may import only from {sorted(allowed)}"
        )


def test_there_is_no_import_cycle():
    modules = {name: {t for t in targets if t in GRAPH} for name, targets in GRAPH.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in modules[name]:
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, name, target]))
            if target not in state:
                visit(target, [*trail, name])
        state[name] = 2

    for name in modules:
        if name not in state:
            visit(name, [])


@pytest.mark.parametrize("relative", PURE)
def test_the_core_does_no_io_and_knows_no_command_line(relative):
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & IMPURE_MODULES, f"{relative} imports {sorted(imported & IMPURE_MODULES)}"
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not calls & IMPURE_CALLS, f"{relative} calls {sorted(calls & IMPURE_CALLS)}"
    assert not any(t.startswith("grader.cli") for t in imports_of(PACKAGE / relative))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_small_and_says_what_it_owns(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MOST_LINES, f"{path.relative_to(ROOT)} has {text.count(chr(10))} lines; split it by job"
    doc = ast.get_docstring(ast.parse(text))
    assert doc, f"{path.relative_to(ROOT)} has no docstring saying what it owns"
    assert "\n" not in doc.split("\n\n")[0].strip(), f"{path.relative_to(ROOT)}: the docstring's first paragraph is one line"


def test_the_fences_keep_their_stable_path():
    from grader.site import dialogue_fence, dialogue_map_fence, practice_fence, quiz_fence

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for fence in (quiz_fence, dialogue_fence, dialogue_map_fence, practice_fence):
        assert f"!!python/name:grader.site.{fence.__name__}" in config
