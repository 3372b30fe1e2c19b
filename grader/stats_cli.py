"""The `grader stats`, `grader report` and `grader export` commands: class statistics, the HTML report, LMS exports."""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from grader import course as course_files
from grader import escape, exports, grading, html_report, output_guard, report, results_file, stats
from grader.labels import shorten
from grader.problems import CourseError
from grader.progress import Progress

EXIT_OK, EXIT_SOME_REJECTED = 0, 1


def _usage(message: str):
    from grader.cli import Usage  # cli imports this module, so import it late

    return Usage(message)


# ---------------------------------------------------------------- reading results or answer files


@dataclass
class ClassResults:
    """A class's graded results, where they came from, and the files read to get them."""

    doc: dict
    """The results document (as results.json holds it)."""
    source: dict
    """What was read and which attempts count, for the output's `source`."""
    course: course_files.Course
    inputs: list[Path]
    """Every file read, so no output overwrites one."""


def _results_file(paths: list[str]) -> Path | None:
    """The results.json a single PATH names (the file, or a grade output folder holding it), else None."""
    if len(paths) != 1:
        return None
    path = Path(paths[0])
    if path.is_dir() and (path / "results.json").is_file():
        return path / "results.json"
    if path.is_file() and path.name == "results.json":
        return path
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        # Grading output, however damaged, rather than an answer file handed in as JSON.
        if isinstance(data, dict) and {"results", "quizzes"} & set(data) and "answers" not in data:
            return path
    return None


def _course_root(args) -> Path | None:
    """The course folder, where schemas live when the package has none beside it; None when there is no course here."""
    try:
        return course_files.find_root(args.course)
    except CourseError:
        return None


def read_results(path: Path, args) -> dict:
    """Load a results.json written by `grader grade`; a one-line Usage error naming the file, the place and the fix when it is not one."""
    try:
        return results_file.read(path, _course_root(args))
    except results_file.ResultsError as error:
        raise _usage(str(error)) from None


def _course(args, keys_needed: bool) -> course_files.Course:
    """The course, with keys when they load; keys are required only where `keys_needed`."""
    keys = getattr(args, "keys", None) or True
    if keys_needed:
        return course_files.load_course(args.course, keys=keys)
    try:
        return course_files.load_course(args.course, keys=keys)
    except CourseError:
        return course_files.load_course(args.course)


def _version_warnings(doc: dict, course: course_files.Course) -> list[str]:
    out = []
    for quiz_id, meta in sorted(doc["quizzes"].items()):
        live = course.activity(quiz_id)
        if live is None:
            out.append(f"'{quiz_id}' is in the results but no longer in the course; its questions are shown without their texts")
        elif meta.get("version") and meta["version"] != live.version:
            out.append(f"'{quiz_id}' was graded at version {meta['version']}; the course now has {live.version}")
    return out


def class_from_results(args, found: Path) -> ClassResults:
    """The class as `grader grade` left it in `found` (a results.json)."""
    doc = read_results(found, args)
    course = _course(args, False)
    rules = sorted({s.get("rule") for s in doc.get("set_aside", ()) if s.get("rule")})
    attempts = (
        f"the attempt `grader grade` kept for each learner and quiz (--keep {rules[0]})" if len(rules) == 1
        else "the attempt `grader grade` kept for each learner and quiz (one file each, so no choice was needed)" if not rules
        else "the attempts `grader grade` kept"
    )
    source = {"kind": "results", "path": str(found), "attempts": attempts, "keep": rules[0] if len(rules) == 1 else None, "warnings": _version_warnings(doc, course)}
    return ClassResults(doc, source, course, [found])


def class_from_answers(args, paths: list[str], *, keep: str, json_mode: bool) -> ClassResults:
    """The class graded in memory from answer files and folders, with `keep` choosing among repeated attempts."""
    course = _course(args, True)
    try:
        files, skipped = grading.collect(paths)
    except grading.UsageError as error:
        raise _usage(str(error)) from None
    if not files:
        raise _usage(f"no answer files (.yml, .yaml, .json) and no results.json in {', '.join(paths)}")
    progress = Progress("grading", len(files), enabled=not json_mode)
    outcomes = grading.grade_files(files, course, jobs=getattr(args, "jobs", None) or os.cpu_count() or 1, progress=progress.update)
    progress.done()
    batch = grading.keep_one(outcomes, keep)
    batch.skipped = skipped
    doc = report.results_document(batch, course)
    moodle = ", Moodle's default" if keep == "first" else ""
    source = {
        "kind": "answers", "path": ", ".join(paths), "keep": keep,
        "attempts": f"each learner's {keep} attempt at each quiz (--keep {keep}{moodle})",
        "files": batch.files, "rejected": [{"file": r.file, "reason": r.reason} for r in batch.rejected], "warnings": [],
    }
    return ClassResults(doc, source, course, [Path(path) for path, _ in files])


def load_class(args, paths: list[str], *, keep: str, json_mode: bool) -> ClassResults:
    """The class from a grade output (a folder or its results.json) or from answer files graded in memory."""
    found = _results_file(paths)
    if found is not None:
        return class_from_results(args, found)
    return class_from_answers(args, paths, keep=keep, json_mode=json_mode)


def _target(given, option: str, command: str, inputs: list[Path], force: bool) -> Path:
    """Where to write `given`; a Usage error when that would overwrite something `command` did not write."""
    try:
        return output_guard.target(given, command=command, inputs=inputs, force=force, option=option)
    except output_guard.Refused as error:
        raise _usage(str(error)) from None


def _defined(value):
    """`value` with every NaN or infinite float (a statistic that is undefined) as None, so it prints as strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _defined(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_defined(item) for item in value]
    return value


# ---------------------------------------------------------------- grader stats


def cmd_stats(args) -> int:
    """Class statistics: scores, reliability and item analysis per quiz, dialogue paths, model-step mastery."""
    loaded = load_class(args, args.paths, keep=args.keep, json_mode=args.json)
    if not loaded.doc["results"]:
        rejected = loaded.source.get("rejected") or []
        first = f" (first: {rejected[0]['file']}: {rejected[0]['reason']})" if rejected else ""
        raise _usage(f"no graded results to analyse: every file was rejected or the folder is empty{first}")
    target = _target(args.out, "--out", output_guard.STATS, loaded.inputs, args.force) if args.out else None
    result = {"generated_by": output_guard.STATS, **stats.analyse(loaded.doc, loaded.course, source=loaded.source)}
    # Strict JSON that prints safely: a control character in a learner's text stays a \u escape.
    text = escape.json_text(_defined(result), indent=2) + "\n"
    if target is not None:
        report.write_atomic(target, text)
    if args.json:
        sys.stdout.write(text)
    else:
        sys.stdout.write(stats_text(result))
        if args.out:
            print(f"Wrote {args.out}.")
    return EXIT_SOME_REJECTED if loaded.source.get("rejected") else EXIT_OK


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: indent + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header), *(line(r) for r in rows)]


def _points(value: float | None) -> str:
    return stats.num(value, 2)


def stats_text(result: dict) -> str:
    """The statistics as readable tables."""
    pct, num = stats.pct, stats.num
    src = result["source"]
    out = [f"Class statistics: {result['learners']} learner(s), {result['results']} graded result(s)."]
    if src.get("attempts"):
        out.append(f"Counted: {src['attempts']}.")
    for warning in src.get("warnings", ()):
        out.append(f"Note: {warning}.")
    for rejected in src.get("rejected", ()):
        out.append(f"Rejected: {rejected['file']}: {rejected['reason']}")
    for quiz in result["quizzes"]:
        out += ["", f"== {quiz['title']} ({quiz['id']}) ==", ""]
        top = quiz["max"]
        out.append(
            f"Learners {quiz['learners']}; mean {_points(quiz['mean'])} of {_points(top)} ({pct(quiz['mean_share'])}); "
            f"median {_points(quiz['median'])} ({pct(quiz['median_share'])}); SD {_points(quiz['sd'])} ({pct(quiz['sd_share'])})"
        )
        if len(quiz["questions"]) > 1:
            out.append(
                f"Internal consistency ({quiz['cic_method']}) {pct(quiz['cic'])}; error ratio {pct(quiz['error_ratio'])}; "
                f"standard error {_points(quiz['standard_error'])} ({pct(quiz['standard_error_share'])}); "
                f"skewness {num(quiz['skewness'])}; kurtosis {num(quiz['kurtosis'])}"
            )
        out += ["", "Score distribution (share of the maximum)"]
        biggest = max((band["count"] for band in quiz["distribution"]), default=0) or 1
        for band in quiz["distribution"]:
            out.append(f"  {band['label']:>8}  {'#' * round(30 * band['count'] / biggest):<30} {band['count']}")
        if len(quiz["questions"]) > 1:
            out += ["", "Questions"]
            rows = [
                [q["id"], q["type"], num(q["points"]), pct(q["facility"]), pct(q["sd_share"]), pct(q["discrimination"]), pct(q["efficiency"]), ", ".join(f["code"] for f in q["flags"]) or "-"]
                for q in quiz["questions"]
            ]
            out += _table(["question", "type", "points", "facility", "SD", "discrimination", "efficiency", "flags"], rows)
        flagged = [(q, f) for q in quiz["questions"] for f in q["flags"]]
        if flagged and len(quiz["questions"]) > 1:
            out += ["", "Flags"]
            out += [f"  {q['id']}: {f['text']}" for q, f in flagged]
        out += ["", "Answers given (✓ marks a right answer)"]
        for q in quiz["questions"]:
            parts = []
            group = None
            for r in q["responses"]:
                if not r["count"] and r["correct"] is not True:
                    continue
                mark = " ✓" if r["correct"] else ""
                answer = r["answer"].split(": ", 1)[0] if q["type"] in ("single", "multiple", "matching") else r["answer"]
                prefix = ""
                if r["group"] and r["group"] != group:
                    group = r["group"]
                    prefix = f"[{group.split(': ', 1)[0]}] "
                parts.append(f"{prefix}{answer}{mark} {r['count']}")
            out.append(f"  {q['id']}: " + " · ".join(parts))
    for dlg in result["dialogues"]:
        out += ["", f"== Dialogue: {dlg['title']} ({dlg['id']}) ==", ""]
        bad = f" ({len(dlg['invalid'])} path(s) not valid, left out)" if dlg["invalid"] else ""
        out.append(f"{dlg['plays']} play(s){bad}; customer lost in {dlg['lost']}.")
        out.append("Endings: " + " · ".join(f"{e['title']} ({e['outcome']}) {e['count']}" for e in dlg["endings"]))
        common = dlg["most_common_path"]
        if common:
            out.append(f"Most common path: {' → '.join(common['path'])} ({common['count']} play(s), ends at {common['ending']}, {common['outcome']})")
        out += ["", "Replies taken at each node"]
        for node in dlg["nodes"]:
            replies = " · ".join(f"{r['id']} {r['count']}" + (f" ({pct(r['share'], 0)})" if r["share"] is not None else "") for r in node["replies"])
            out.append(f"  {node['id']} ({node['visits']} visit(s)): {replies}")
        if dlg["losing_replies"]:
            out += ["", "Replies that most often led to losing the customer"]
            for r in dlg["losing_replies"][:5]:
                out.append(f"  {r['id']} at {r['node']}: lost in {r['lost']} of {r['taken']} play(s) that took it ({pct(r['lost_share'], 0)}): {shorten(r['text'], 70)}")
    steps = result["steps"]
    if steps["steps"]:
        out += ["", f"== Model steps (mastered at {pct(steps['mastered_at'], 0)} or more, weak below {pct(steps['weak_below'], 0)}) ==", ""]
        rows = [[s["step"], s["title"], str(s["learners"]), pct(s["mean"]), s["status"], str(s["mastered"]), str(s["developing"]), str(s["weak"])] for s in steps["steps"]]
        out += _table(["step", "title", "learners", "class", "status", "mastered", "developing", "weak"], rows)
        weak = [lr for lr in steps["learners"] if lr["weak"]]
        if weak:
            out += ["", "Learners with weak steps"]
            for lr in weak:
                who = f"{lr['id']} ({lr['name']})" if lr["name"] else lr["id"]
                out.append(f"  {who}: {', '.join(lr['weak'])}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- grader report


def cmd_report(args) -> int:
    """Write one self-contained HTML report (tables and charts) from a grade output folder."""
    given = Path(args.out_dir)
    found = given / "results.json" if given.is_dir() else given
    if given.is_dir() and not found.is_file():
        raise _usage(f"{given}: no results.json there; run `grader grade PATHS --out {given}` first")
    loaded = class_from_results(args, found)
    target = _target(args.output or found.parent / "report.html", "--output" if args.output else "", output_guard.REPORT, loaded.inputs, args.force)
    result = stats.analyse(loaded.doc, loaded.course, source=loaded.source)
    report.write_atomic(target, html_report.render(result, loaded.course))
    print(f"Wrote {args.output or found.parent / 'report.html'}.")
    return EXIT_OK


# ---------------------------------------------------------------- grader export


DEFAULT_NAMES = {"canvas": "canvas-grades.csv", "moodle": "moodle-grades.csv", "gift": "questions-gift.txt"}


def cmd_export(args) -> int:
    """Export grades for Canvas or Moodle, or the quizzes as Moodle GIFT."""
    if args.to == "gift":
        if args.results or args.paths:
            raise _usage("--to gift exports the course's questions; it takes no results or answer files (use --quiz to choose quizzes)")
        course = _course(args, True)
        try:
            text = exports.gift(course, args.quiz or None)
        except exports.ExportError as error:
            raise _usage(str(error)) from None
        return _emit(text, _export_target(args, Path(DEFAULT_NAMES["gift"]), []), "")
    if args.to == "canvas" and (args.feedback or args.percent):
        raise _usage("--feedback and --percent are for --to moodle; Canvas takes points and the Points Possible row")
    if args.quiz:
        raise _usage("--quiz is for --to gift; a gradebook export has a column for every quiz in the results")
    if args.results and args.paths:
        raise _usage("give either a grade output (OUT, or --results OUT) or answer files, not both")
    if not args.results and not args.paths:
        raise _usage(f"--to {args.to} needs grades: the folder `grader grade --out` wrote, or answer files and folders to grade")
    mapping = None
    inputs = [Path(args.map)] if args.map else []
    if args.map:
        try:
            mapping = exports.read_map(Path(args.map))
        except exports.ExportError as error:
            raise _usage(str(error)) from None
    found = Path(args.results) if args.results else _results_file(args.paths)
    rejected = []
    if found is not None:
        if found.is_dir():
            found = found / "results.json"
        doc = read_results(found, args)
        course = _quiet_course(args) if args.feedback else None
        target = _export_target(args, found.parent / DEFAULT_NAMES[args.to], [*inputs, found])
    else:
        loaded = class_from_answers(args, args.paths, keep=args.keep, json_mode=args.output == "-")
        doc, course, rejected = loaded.doc, loaded.course, loaded.source["rejected"]
        target = _export_target(args, Path(DEFAULT_NAMES[args.to]), inputs + loaded.inputs)
    for rejection in rejected:
        print(f"grader: rejected {rejection['file']}: {rejection['reason']}", file=sys.stderr)
    if args.to == "canvas":
        table = exports.canvas_csv(doc, mapping)
    else:
        table = exports.moodle_csv(doc, mapping, feedback=args.feedback, percent=args.percent, course=course)
    for learner in table.unmapped:
        print(f"grader: learner '{learner}' is not in the map file {args.map}; left out of the export (add a row for them)", file=sys.stderr)
    for learner, why in table.unidentified:
        print(f"grader: learner '{learner}' {why}; left out of the export, since Moodle would give their grades to the learner above (fill it in the map file)", file=sys.stderr)
    note = f" Map the '{table.identifier}' column to '{table.maps_to}' when importing." if table.maps_to else ""
    code = _emit(table.text, target, note)
    return EXIT_SOME_REJECTED if table.unmapped or table.unidentified else code


def _export_target(args, default: Path, inputs: list[Path]) -> tuple[Path | None, str]:
    """Where the export goes (None: the terminal) and its name as given, checked before anything is written or said."""
    if args.output == "-":
        return None, "-"
    given = args.output or str(default)
    return _target(given, "--output" if args.output else "", output_guard.EXPORTS[args.to], inputs, args.force), given


def _quiet_course(args):
    """The course for naming steps in feedback, or None when it cannot be loaded here (the feedback then names lesson pages)."""
    try:
        return course_files.load_course(args.course)
    except CourseError:
        return None


def _emit(text: str, where: tuple[Path | None, str], note: str) -> int:
    target, shown = where
    if target is None:
        # CSV ends its lines with \r\n; any other control character in a cell is still shown, not obeyed.
        escape.unescaped(sys.stdout).write(escape.visible(text, crlf=True))
        return EXIT_OK
    report.write_atomic(target, text)
    print(f"Wrote {shown}.{note}")
    return EXIT_OK


# ---------------------------------------------------------------- wiring


def _overwrite_help(what: str, own: str) -> str:
    """The --help paragraph on which existing files a command overwrites."""
    return (
        f"{what} goes to a new file, or replaces {own}. It refuses to overwrite any other file (an input of the command, "
        "a file of a `grader grade` output: results.json, gradebook.csv, rejected.csv, feedback/ or anything beside results.json or gradebook.csv; "
        "another command's output; anything else already there) unless --force is given."
    )


def register(sub) -> None:
    """Add `stats`, `report` and `export` to the `grader` command."""
    p = sub.add_parser("stats", help="class statistics: scores, item analysis, dialogue paths, step mastery", description=cmd_stats.__doc__,
                       epilog=_overwrite_help("--out FILE", 'a statistics file it wrote before (a JSON file whose first key is "generated_by": "grader stats")'))
    p.add_argument("paths", nargs="+", metavar="PATH", help="a `grader grade` output folder (or its results.json), or answer files and folders to grade")
    p.add_argument("--keys", metavar="DIR", help="answer keys folder (default: quizzes/keys)")
    p.add_argument("--keep", choices=grading.KEEP, default="first", help="with answer files: which attempt counts when a learner hands in twice (default: first, as Moodle)")
    p.add_argument("--jobs", type=int, metavar="N", help="processes to grade with (default: all cores)")
    p.add_argument("--json", action="store_true", help="print every statistic as JSON, with no progress bar")
    p.add_argument("--out", metavar="FILE", help="also write every statistic as JSON to FILE (a new file, or one `grader stats` wrote)")
    p.add_argument("--force", action="store_true", help="let --out overwrite a file that `grader stats` did not write")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("report", help="write a self-contained HTML report from a grade output folder", description=cmd_report.__doc__,
                       epilog=_overwrite_help("The report", f"a report it wrote before (an HTML file whose head holds {html_report.GENERATOR})"))
    p.add_argument("out_dir", metavar="OUT", help="the folder `grader grade --out` wrote (or its results.json)")
    p.add_argument("--output", metavar="FILE", help="where to write the report (default: OUT/report.html)")
    p.add_argument("--force", action="store_true", help="overwrite the target even when `grader report` did not write it")
    p.add_argument("--keys", metavar="DIR", help="answer keys folder, to mark right options (default: quizzes/keys)")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("export", help="export grades for Canvas or Moodle, or the quizzes as Moodle GIFT", description=cmd_export.__doc__,
                       epilog=_overwrite_help("The export", "an export of the same kind it wrote before (a CSV whose header is exactly the Canvas or Moodle layout it writes, or a GIFT file starting with its first line)"))
    p.add_argument("paths", nargs="*", metavar="PATH", help="the folder `grader grade --out` wrote (or its results.json), or answer files and folders to grade")
    p.add_argument("--to", required=True, choices=("canvas", "moodle", "gift"), help="the target format")
    p.add_argument("--results", metavar="FILE", help="the same as giving the grade output as PATH: a results.json written by `grader grade`, or its folder")
    p.add_argument("--map", metavar="FILE.csv", help="CSV with learner_id and any of name, email, lms_id, sis_user_id, sis_login_id, section")
    p.add_argument("--output", metavar="FILE", help="where to write (default: beside results.json, or the working folder; '-' prints)")
    p.add_argument("--feedback", action="store_true", help="moodle: add a feedback column for each quiz")
    p.add_argument("--percent", action="store_true", help="moodle: grades as percentages (0-100) instead of points")
    p.add_argument("--quiz", action="append", metavar="QUIZ_ID", help="gift: export only this quiz (repeatable; default: every quiz)")
    p.add_argument("--keys", metavar="DIR", help="answer keys folder (default: quizzes/keys)")
    p.add_argument("--keep", choices=grading.KEEP, default="latest", help="with answer files: which attempt counts (default: latest, as `grader grade`)")
    p.add_argument("--jobs", type=int, metavar="N", help="processes to grade with (default: all cores)")
    p.add_argument("--force", action="store_true", help="overwrite the target even when this export did not write it")
    p.set_defaults(run=cmd_export)
