"""The page script's modules: their JSDoc types pass `tsc --noEmit`, the entry reaches every one, and the build publishes
each without comments, the code unchanged. The modules are found in docs/javascripts/, never listed here.

TypeScript comes from npm (package.json, `npm ci`, which `make test` runs); like every tool the tests need, a
missing one fails the test rather than skipping it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import project, site
from grader.site.page_script import ScriptError, strip_comments
from tests.conftest import ROOT

SCRIPTS = ROOT / "docs" / "javascripts"
ENTRY = SCRIPTS / "course.js"
MODULES = sorted(SCRIPTS.rglob("*.js"))
CONFIG = ROOT / "jsconfig.json"
TYPESCRIPT = ROOT / "node_modules" / "typescript"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
# The syntax tree of each file named, as one line per node: depth, kind, and the text of leaves and operators.
# Two files with the same lines are the same program: comments and the JSDoc on nodes are not in the tree.
SHAPE = r"""
const ts = require(process.argv[1]);
const fs = require("fs");
const out = {};
for (const file of process.argv.slice(2)) {
  const tree = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const lines = [];
  const visit = (node, depth) => {
    let children = 0;
    ts.forEachChild(node, () => { children++; });
    const leaf = children ? "" : " " + (node.text !== undefined ? JSON.stringify(node.text) : node.getText(tree));
    lines.push(depth + " " + ts.SyntaxKind[node.kind] + leaf + (node.operator !== undefined ? " operator " + node.operator : ""));
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(tree, 0);
  out[file] = { errors: tree.parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), lines };
}
process.stdout.write(JSON.stringify(out));
"""
# What each file named loads when it runs: the specifiers of its import and export-from declarations and import() calls.
IMPORTS = r"""
const ts = require(process.argv[1]);
const fs = require("fs");
const out = {};
for (const file of process.argv.slice(2)) {
  const tree = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const name = node.arguments[0];
      found.push(ts.isStringLiteral(name) ? name.text : name.getText(tree));
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  out[file] = found;
}
process.stdout.write(JSON.stringify(out));
"""


def _tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `npm ci` (`make test` runs it first).", pytrace=False)
    return path


def _node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.fail("node is missing: install Debian's nodejs and npm packages, then run `npm ci`.", pytrace=False)
    return found


def _tsc(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_node(), str(_tool(TSC)), "--noEmit", "--pretty", "false", "-p", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _parsed(script: str, files: list[Path]) -> list:
    done = subprocess.run(
        [_node(), "-e", script, str(_tool(TYPESCRIPT)), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return [found[str(f)] for f in files]


def _shapes(*files: Path) -> list[dict]:
    return _parsed(SHAPE, list(files))


# ---------------------------------------------------------------- the types


def test_the_page_script_passes_the_type_check():
    done = _tsc(CONFIG)
    assert done.returncode == 0 and not done.stdout.strip(), (
        f"tsc --noEmit -p jsconfig.json found errors:\n{done.stdout}{done.stderr}"
    )


def test_the_type_check_reads_every_module():
    done = subprocess.run(
        [_node(), str(_tool(TSC)), "--listFilesOnly", "-p", str(CONFIG)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    checked = {Path(line) for line in done.stdout.splitlines() if Path(line).is_relative_to(SCRIPTS)}
    assert len(MODULES) > 1 and checked == set(MODULES)


def _checked_copy(tmp_path: Path, old: str, new: str) -> subprocess.CompletedProcess:
    """tsc, with the project's settings, on a copy of the page script's modules with `old` replaced by `new` in the one that has it."""
    copy = tmp_path / "javascripts"
    shutil.copytree(SCRIPTS, copy)
    holding = [m for m in sorted(copy.rglob("*.js")) if old in m.read_text(encoding="utf-8")]
    assert len(holding) == 1, f"{old!r} is in {len(holding)} modules, not one"
    holding[0].write_text(holding[0].read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    config = tmp_path / "tsconfig.json"
    config.write_text(json.dumps({"extends": str(CONFIG), "include": ["javascripts/**/*.js"]}), encoding="utf-8")
    return _tsc(config)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        # The payload's typedef knows every field grader/site.py writes, and no other.
        ('source.customer || "Customer"', 'source.customerName || "Customer"', "Property 'customerName' does not exist"),
        # strict: a parameter without a type is an error, not `any`.
        ("function disarm(button) {", "function disarm(button, why) {", "Parameter 'why' implicitly has an 'any' type"),
        # strictNullChecks: querySelector may find nothing.
        ("if (search) search.setAttribute(", "search.setAttribute(", "'search' is possibly 'null'"),
        # Across modules: a name a module keeps to itself cannot be imported,
        (
            'import { startDialogue } from "./dialogue.js";',
            'import { groupedList, startDialogue } from "./dialogue.js";',
            "declares 'groupedList' locally, but it is not exported",
        ),
        # a type names a typedef its module really has,
        ('import("./answer-file.js").HandIn', 'import("./answer-file.js").HandOver', "has no exported member 'HandOver'"),
        # and an imported function keeps its parameter types.
        (
            "source.learner, speaker(",
            "source.id, speaker(",
            "Argument of type 'string' is not assignable to parameter of type 'LearnerRule'",
        ),
    ],
)
def test_the_type_check_catches_mistakes(tmp_path, old, new, error):
    done = _checked_copy(tmp_path, old, new)
    assert done.returncode != 0 and error in done.stdout, done.stdout + done.stderr


def test_the_type_check_reads_es2020_and_the_dom_only(tmp_path):
    done = _checked_copy(
        tmp_path, 'export const LEARNER_KEY = "course:learner";', 'export const LEARNER_KEY = ["course:learner"].at(0);'
    )
    assert done.returncode != 0 and "Property 'at' does not exist" in done.stdout, done.stdout


# ---------------------------------------------------------------- the modules


def test_each_module_opens_with_one_line_saying_what_it_owns():
    for module in MODULES:
        first, second = module.read_text(encoding="utf-8").splitlines()[:2]
        assert first.startswith("// ") and len(first) > 20 and not second.startswith("//"), f"{module.name}: {first!r}"


def test_the_entry_reaches_every_module_and_each_import_names_one():
    # The browser asks for what an import names, as written: a sibling file, its .js included.
    imports = dict(zip(MODULES, _parsed(IMPORTS, MODULES), strict=False))
    reached, waiting = {ENTRY}, [ENTRY]
    while waiting:
        module = waiting.pop()
        for name in imports[module]:
            target = (module.parent / name).resolve()
            assert name.startswith("./") and name.endswith(".js") and target in imports, (
                f"{module.name} imports {name!r}, which is no module"
            )
            if target not in reached:
                reached.add(target)
                waiting.append(target)
    assert reached == set(MODULES), f"no module imports {sorted(m.name for m in set(MODULES) - reached)}"


# ---------------------------------------------------------------- comments out


@pytest.mark.parametrize(
    ("source", "published"),
    [
        ("let a = 1; // one\nlet b = 2;\n", "let a = 1;\nlet b = 2;\n"),
        ("/** @type {number} */\nlet a = /** @type {number} */ (x);\n", "let a = (x);\n"),
        ("function f() {\n  /* a\n     b */\n\n  return 1;\n}\n", "function f() {\n  return 1;\n}\n"),
        # Strings and regular expressions that look like comments stay whole.
        ("const u = \"http://x/*y*/\" + '//z';\n", "const u = \"http://x/*y*/\" + '//z';\n"),
        ("s.replace(/[/*]+\\//g, '') // tidy\n", "s.replace(/[/*]+\\//g, '')\n"),
        ("const t = `a // b\n/* c */`;\n", "const t = `a // b\n/* c */`;\n"),
        ("if (x) return /\\/\\/x/.test(y);\n", "if (x) return /\\/\\/x/.test(y);\n"),
        # A slash after a value divides; the comment after it still goes.
        ("const half = total / 2 / /* twice */ count;\n", "const half = total / 2 / count;\n"),
        # A comment that held a line break leaves one, so JavaScript ends statements where it did.
        ("function f() {\n  return /*\n  */ value;\n}\n", "function f() {\n  return\nvalue;\n}\n"),
        ("a/**/b\n", "a b\n"),
    ],
)
def test_strip_comments(source, published):
    assert strip_comments(source) == published
    assert strip_comments(published) == published


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("let a = 1;\n/* open\n", "line 2: a comment that does not end"),
        ("let a = 1;\nlet b = 'open;\n", "line 2: a string that does not end"),
        ("let a = 1;\n\nlet r = /open;\n", "line 3: a regular expression that does not end"),
        ("let a = `x ${b}`;\n", "line 1: a template literal with ${...}"),
    ],
)
def test_what_the_stripper_cannot_read_is_refused_naming_the_line(source, message):
    with pytest.raises(ScriptError, match=re.escape(message)):
        strip_comments(source)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_each_published_module_is_the_same_program_without_comments(tmp_path, module):
    published = tmp_path / module.name
    published.write_text(strip_comments(module.read_text(encoding="utf-8")), encoding="utf-8")
    source_shape, published_shape = _shapes(module, published)
    assert source_shape["errors"] == [] and published_shape["errors"] == []
    assert published_shape["lines"] == source_shape["lines"]
    text = published.read_text(encoding="utf-8")
    assert "@typedef" not in text and "@param" not in text and "// " not in text
    assert len(text) < 0.9 * module.stat().st_size


def test_the_shape_compare_sees_where_a_statement_ends(tmp_path):
    # Control for the test above: a lost line break turns `return` and the value into one statement.
    one, two = tmp_path / "one.js", tmp_path / "two.js"
    one.write_text("function f() {\n  return\n  value;\n}\n", encoding="utf-8")
    two.write_text("function f() {\n  return value;\n}\n", encoding="utf-8")
    first, second = _shapes(one, two)
    assert first["lines"] != second["lines"]


# ---------------------------------------------------------------- the build


def test_the_build_publishes_every_module_without_comments_and_leaves_the_sources_alone(tmp_path):
    before = {m: m.read_bytes() for m in MODULES}
    site.build(ROOT, "mkdocs.yml", tmp_path / "site", "http://127.0.0.1:8000/")
    assert {m: m.read_bytes() for m in MODULES} == before
    published = tmp_path / "site" / "javascripts"
    assert sorted(published.rglob("*.js")) == [published / m.relative_to(SCRIPTS) for m in MODULES]
    for module, source in before.items():
        assert (published / module.relative_to(SCRIPTS)).read_text(encoding="utf-8") == strip_comments(source.decode("utf-8")), (
            module.name
        )


def test_a_module_the_stripper_cannot_read_stops_the_build_naming_it(tmp_path):
    # A module mkdocs.yml does not list, as every module the entry imports: the hook reads them all.
    copy = project.snapshot(ROOT, tmp_path / "project")
    script = copy / "docs" / "javascripts" / "unlisted.js"
    script.write_text("// A module with a comment never closed.\nexport const ready = true;\n/* never closed\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=copy,
        env=project.env(copy, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "docs/javascripts/unlisted.js: line 3: a comment that does not end" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "site" / "javascripts" / "unlisted.js").exists()
