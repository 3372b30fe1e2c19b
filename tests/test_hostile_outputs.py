"""The grade output folder: nothing lost, never two runs in one output, no worker left behind.

Each test runs the real `grader` command as a separate process, the way an instructor (or a
machine that kills it) would, and then reads the whole output set back.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CASES, MINI
from tests.outputs import OUTPUT_NAMES, grader_env, output_set, run_grader, snapshot

CLASS = CASES / "grade" / "class"


def answer(learner: str, pick: str = "b") -> str:
    return f"format: 1\nquiz: mini-quiz\nlearner: {{id: {learner}}}\nanswers: {{q1: {pick}}}\n"


def make_class(folder: Path, count: int, prefix: str) -> Path:
    """`count` answer files for learners `prefix0000`, `prefix0001`, ..."""
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{prefix}{n:04d}.yml").write_text(answer(f"{prefix}{n:04d}", "ab"[n % 2]), encoding="utf-8")
    return folder


def learners(out: Path) -> set[str]:
    return {learner for learner, _quiz in output_set(out)["feedback"]}


def runs_left(out: Path) -> list[str]:
    """Run folders under the grader's internal folder: exactly one once a run has finished or been cleaned up."""
    runs = out / ".grader" / "runs"
    return sorted(p.name for p in runs.iterdir()) if runs.is_dir() else []


def processes_naming(text: str) -> list[int]:
    """Pids of live processes whose command line holds `text` (the grader's workers share its command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if text in line and state != "Z":
            found.append(int(entry.name))
    return found


class Started:
    """A `grader` process running in the background, its output going to files (a pipe nobody reads could fill)."""

    def __init__(self, args, folder: Path):
        folder.mkdir(exist_ok=True)
        self.out, self.err = folder / "stdout", folder / "stderr"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            # Its own session, as a shell job would be, so a signal reaches the grader alone.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grader", *map(str, args)],
                env=grader_env(),
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        self.pid = self.process.pid

    def send_signal(self, number: int) -> None:
        self.process.send_signal(number)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")


def start(*args, logs: Path) -> Started:
    """Start `python -m grader ARGS...` without waiting."""
    return Started(args, logs)


def wait_for(condition, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return False


# ---------------------------------------------------------------- nothing lost


def test_out_inside_the_hand_ins_is_refused_and_nothing_is_touched(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ada.yml").write_text(answer("ada"))
    (subs / "feedback").mkdir()
    (subs / "feedback" / "notes.md").write_text("my notes on the class\n")
    (subs / "feedback" / "ben.yml").write_text(answer("ben"))
    before = snapshot(tmp_path)
    for out in (subs, subs / "grades", subs / "feedback"):
        done = run_grader("--course", MINI, "grade", subs, "--out", out)
        assert done.code == 2
        assert "inside the input" in done.err and str(subs) in done.err
        assert snapshot(tmp_path) == before


def test_an_input_inside_out_is_refused(tmp_path):
    out = tmp_path / "grades"
    (out / "inbox").mkdir(parents=True)
    (out / "inbox" / "ada.yml").write_text(answer("ada"))
    before = snapshot(tmp_path)
    done = run_grader("--course", MINI, "grade", out / "inbox", "--out", out)
    assert done.code == 2 and "is inside --out" in done.err
    assert snapshot(tmp_path) == before


def test_a_folder_the_grader_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "grades"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "notes.md").write_text("an instructor's notes\n")
    before = snapshot(tmp_path)
    done = run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out)
    assert done.code == 2
    assert f"--out {out} already holds files the grader did not write (feedback)" in done.err
    assert snapshot(tmp_path) == before


def test_an_empty_out_is_refused(tmp_path):
    before = snapshot(tmp_path)
    for empty in ("", "  "):
        done = run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", empty, cwd=tmp_path)
        assert (done.code, done.err) == (2, "grader: --out is empty; give a folder, such as --out grades\n")
    assert snapshot(tmp_path) == before


def test_an_output_replaced_by_hand_is_kept_and_the_run_refused(tmp_path):
    out = tmp_path / "grades"
    assert run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out).code == 0
    # A spreadsheet saving over the gradebook replaces the grader's link with a file of its own.
    edited = out / "gradebook.csv"
    edited.unlink()
    edited.write_text("learner_id,score\r\ns001,17 (after a regrade by hand)\r\n")
    (out / "notes.txt").write_text("kept beside the outputs\n")
    before = snapshot(tmp_path, skip=out / ".grader")
    done = run_grader("--course", MINI, "grade", CLASS / "bob.yml", "--out", out)
    assert done.code == 2
    assert f"{out}/gradebook.csv is not the grader's link to its outputs" in done.err and "move it out" in done.err
    assert snapshot(tmp_path, skip=out / ".grader") == before
    assert len(runs_left(out)) == 1


def test_a_rerun_keeps_everything_else_in_the_folder(tmp_path):
    out = tmp_path / "grades"
    assert run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out).code == 0
    (out / "notes.txt").write_text("mine\n")
    (out / "report.html").write_text("<!doctype html><title>an older report</title>\n")
    assert run_grader("--course", MINI, "grade", CLASS / "bob.yml", "--out", out).code == 0
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "report.html").read_text().endswith("an older report</title>\n")
    assert learners(out) == {"s002"}
    assert len(runs_left(out)) == 1


def test_output_paths_stay_as_documented(tmp_path):
    out = tmp_path / "grades"
    assert run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out).code == 0
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_NAMES
    assert (out / "feedback" / "s001" / "mini-quiz.md").read_text(encoding="utf-8").startswith("# Mini quiz: your feedback")


def test_outputs_respect_the_umask(tmp_path):
    out = tmp_path / "grades"
    for mask, file_mode, dir_mode in ((0o002, 0o664, 0o775), (0o027, 0o640, 0o750)):
        done = subprocess.run(
            [sys.executable, "-m", "grader", "--course", str(MINI), "grade", str(CLASS / "ada.yml"), "--out", str(out)],
            env=grader_env(),
            capture_output=True,
            preexec_fn=lambda mask=mask: os.umask(mask),
        )
        assert done.returncode == 0, done.stderr
        for name in ("gradebook.csv", "results.json", "rejected.csv", "feedback/s001/mini-quiz.md"):
            assert (out / name).stat().st_mode & 0o777 == file_mode, name
        for name in ("feedback", "feedback/s001"):
            assert (out / name).stat().st_mode & 0o777 == dir_mode, name


def test_a_write_error_names_the_folder_the_user_gave(cli, tmp_path, monkeypatch):
    from grader.grading import batch

    out = tmp_path / "grades"
    assert cli("--course", MINI, "grade", CLASS / "ada.yml", "--out", out).code == 0
    before = snapshot(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(batch, "write_all", full)
    done = cli("--course", MINI, "grade", CLASS / "bob.yml", "--out", out)
    assert done.code == 2
    assert (
        done.err
        == f"grader: cannot write the outputs in {out}: No space left on device; it still holds the previous run's outputs, whole\n"
    )
    assert snapshot(tmp_path, skip=out / ".grader") == {k: v for k, v in before.items() if not k.startswith("grades/.grader")}
    assert len(runs_left(out)) == 1


def test_an_out_that_is_a_file_or_holds_a_folder_named_like_an_output(tmp_path):
    (tmp_path / "file").write_text("x")
    done = run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", tmp_path / "file")
    assert (done.code, done.err) == (2, f"grader: --out {tmp_path / 'file'} is a file; give a folder\n")
    out = tmp_path / "grades"
    assert run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out).code == 0
    (out / "gradebook.csv").unlink()
    (out / "gradebook.csv").mkdir()
    done = run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", out)
    assert done.code == 2 and f"{out}/gradebook.csv is not the grader's link" in done.err
    assert ".tmp" not in done.err


# ---------------------------------------------------------------- --jobs


@pytest.mark.parametrize("jobs", ["0", "-1", "two", ""])
def test_jobs_must_be_a_positive_number(tmp_path, jobs):
    done = run_grader("--course", MINI, "grade", CLASS / "ada.yml", "--out", tmp_path / "out", "--jobs", jobs)
    assert done.code == 2 and "--jobs" in done.err and "1 or more" in done.err
    assert not (tmp_path / "out").exists()


def test_jobs_is_capped_at_the_cores_available(tmp_path):
    folder = make_class(tmp_path / "class", 400, "l")
    done = run_grader("--course", MINI, "grade", folder, "--out", tmp_path / "out", "--jobs", "100000", timeout=120)
    cores = len(os.sched_getaffinity(0))
    assert done.code == 0
    assert f"--jobs 100000 is more than the {cores} core(s) here; grading with {cores}." in done.err
    assert len(learners(tmp_path / "out")) == 400


# ---------------------------------------------------------------- never two runs in one output


def test_two_runs_into_one_folder_never_mix(tmp_path):
    out = tmp_path / "grades"
    first = make_class(tmp_path / "first", 3000, "a")
    second = make_class(tmp_path / "second", 5, "b")
    running = start("--course", MINI, "grade", first, "--out", out, "--jobs", "2", logs=tmp_path / "logs")
    assert wait_for(lambda: len(runs_left(out)) == 1), "the first run never started writing"
    done = run_grader("--course", MINI, "grade", second, "--out", out)
    assert done.code == 2
    assert f"another `grader grade` (process {running.pid}) is writing to {out}" in done.err
    assert running.wait(timeout=300) == 0, running.stderr()
    assert learners(out) == {f"a{n:04d}" for n in range(3000)}
    # Once the first run is done, the second may write, and replaces it whole.
    assert run_grader("--course", MINI, "grade", second, "--out", out).code == 0
    assert learners(out) == {f"b{n:04d}" for n in range(5)}
    assert len(runs_left(out)) == 1


def new_run(out: Path, old: list[str]) -> Path | None:
    """The run folder a running grader is writing, once it has made it."""
    made = [name for name in runs_left(out) if name not in old]
    return out / ".grader" / "runs" / made[0] if made else None


MOMENTS = {
    # Seconds after the run holds the folder: grading in the workers.
    "grading": lambda out, old: new_run(out, old) is not None,
    "grading+0.3": lambda out, old: new_run(out, old) is not None and not time.sleep(0.3),
    "grading+0.8": lambda out, old: new_run(out, old) is not None and not time.sleep(0.8),
    # Writing the outputs into the run folder.
    "writing": lambda out, old: (new_run(out, old) or out / "none").joinpath("results.json").exists(),
    # Switched: the old run is being removed and the summary printed.
    "switched": lambda out, old: (
        os.path.realpath(out / ".grader" / "current") != os.path.realpath(out / ".grader" / "runs" / old[0])
    ),
}


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_run_stopped_at_any_moment_leaves_one_whole_run(tmp_path, how, moment):
    out = tmp_path / "grades"
    old = make_class(tmp_path / "old", 3, "old")
    new = make_class(tmp_path / "new", 2500, "new")
    assert run_grader("--course", MINI, "grade", old, "--out", out).code == 0
    before = runs_left(out)
    running = start("--course", MINI, "grade", new, "--out", out, "--jobs", "2", logs=tmp_path / "logs")
    reached = wait_for(lambda: MOMENTS[moment](out, before) or running.process.poll() is not None)
    assert reached
    if how == "SIGINT":
        os.killpg(running.pid, signal.SIGINT)  # Ctrl-C reaches the grader and its workers alike
    else:
        running.send_signal(getattr(signal, how))
    code = running.wait(timeout=120)
    err = running.stderr()
    assert "Traceback" not in err
    # Whatever the moment, the folder holds one whole run: the old one or the new one.
    assert learners(out) in ({f"old{n:04d}" for n in range(3)}, {f"new{n:04d}" for n in range(2500)})
    assert wait_for(lambda: not processes_naming(str(out)), timeout=10), "a worker outlived the grader"
    if how != "SIGKILL":
        assert code in (0, 130), err
        if code == 130:
            assert err.startswith("grader: interrupted; ")
        assert len(runs_left(out)) == 1, "an interrupted run left its folder behind"
    # The next run clears whatever a killed run left, and replaces the outputs whole.
    assert run_grader("--course", MINI, "grade", old, "--out", out).code == 0
    assert learners(out) == {f"old{n:04d}" for n in range(3)}
    assert len(runs_left(out)) == 1
    assert sorted(p.name for p in (out / ".grader").iterdir()) == ["current", "lock", "output.json", "runs"]


def test_a_first_run_stopped_early_writes_no_outputs(tmp_path):
    out = tmp_path / "grades"
    new = make_class(tmp_path / "new", 2500, "new")
    running = start("--course", MINI, "grade", new, "--out", out, "--jobs", "2", logs=tmp_path / "logs")
    assert wait_for(lambda: len(runs_left(out)) == 1)
    running.send_signal(signal.SIGTERM)
    assert running.wait(timeout=120) == 130
    assert running.stderr() == f"grader: interrupted; nothing was written to {out}.\n"
    assert sorted(p.name for p in out.iterdir()) == [".grader"]
    assert runs_left(out) == []


def test_workers_die_with_a_killed_grader(tmp_path):
    out = tmp_path / "grades"
    new = make_class(tmp_path / "new", 3000, "new")
    running = start("--course", MINI, "grade", new, "--out", out, "--jobs", "2", logs=tmp_path / "logs")
    assert wait_for(lambda: len(processes_naming(str(out))) >= 3), "the workers never started"
    running.send_signal(signal.SIGKILL)
    running.wait(timeout=30)
    assert wait_for(lambda: not processes_naming(str(out)), timeout=10), "a worker outlived the grader"


def test_a_ctrl_c_after_the_run_is_done_leaves_its_exit_code(tmp_path):
    # A Ctrl-C landing in interpreter shutdown once killed a finished run with SIGINT's status and no
    # message; after the summary the stopping signals are ignored, so the exit code is the grader's.
    script = (
        "import os, signal, sys\n"
        "from grader.__main__ import run\n"
        f"sys.argv = ['grader', '--course', {str(MINI)!r}, 'check']\n"
        "code = run()\n"
        "assert all(signal.getsignal(s) == signal.SIG_IGN for s in (signal.SIGINT, signal.SIGTERM)), 'still handled'\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
