"""The publish workflow: valid against GitHub's workflow schema, least privilege, and it checks before it publishes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"


def _check_jsonschema() -> str:
    beside = Path(sys.executable).with_name("check-jsonschema")
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    if not found:
        pytest.fail("check-jsonschema is not installed; `pip install -e '.[test]'` installs it")
    return found


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1); map it back.
    data = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_every_workflow_is_valid_against_the_github_schema():
    assert WORKFLOWS, "no workflow in .github/workflows"
    done = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_broken_workflow_is_caught_by_the_same_check(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo no runs-on\n")
    done = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0


def test_runs_on_every_push_to_main_and_by_hand(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]


def test_permissions_are_least_privilege(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        if name == "deploy":
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
        else:
            assert "permissions" not in job, f"job {name} should inherit contents: read"


def test_build_checks_the_course_and_builds_strictly_before_uploading(workflow):
    build = workflow["jobs"]["build"]
    runs = _runs(build)
    assert any(r.startswith("pip install -e .") for r in runs)
    check = next(i for i, r in enumerate(runs) if r.strip() == "grader check")
    strict = next(i for i, r in enumerate(runs) if r.strip() == "mkdocs build --strict")
    assert check < strict
    step = next(s for s in build["steps"] if s.get("run", "").strip() == "mkdocs build --strict")
    assert step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert _uses(build)[-1] == "actions/upload-pages-artifact"
    assert build["steps"][-1]["with"]["path"] == "site"


def test_deploy_uses_the_official_pages_actions(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert workflow["concurrency"]["group"] == "pages"


def test_a_separate_job_runs_the_tests(workflow):
    assert "make test" in _runs(workflow["jobs"]["test"])


def test_the_grading_recipe_in_the_instructor_docs_is_a_valid_workflow(tmp_path):
    page = (ROOT / "docs" / "instructor" / "publishing.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in page.split("```yaml\n")[1:]]
    recipes = [b for b in blocks if b.lstrip().startswith("name:") and "jobs:" in b]
    assert recipes, "no workflow recipe in docs/instructor/publishing.md"
    for number, text in enumerate(recipes):
        path = tmp_path / f"recipe-{number}.yml"
        path.write_text(text)
        done = subprocess.run(
            [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        recipe = yaml.safe_load(text)
        assert recipe["permissions"] == {"contents": "read"}
        assert any(
            "grader" in step.get("run", "") and " grade " in step.get("run", "") for step in recipe["jobs"]["grade"]["steps"]
        )
        assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in recipe["jobs"]["grade"]["steps"])
