"""`grader grade`: grade answer files, folders and zips into an output folder, and say what happened."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grader.cli.class_rules import add_class_rules, class_rules
from grader.cli.interrupted import Interrupted
from grader.cli.options import add_jobs, add_keep, add_keys, course_for, worker_count
from grader.cli.progress import Progress
from grader.common.problems import EXIT_OK, EXIT_SOME_REJECTED, UsageError
from grader.grading.feedback_model import REVEAL
from grader.grading.output_folder import OutputFolder, check_out

if TYPE_CHECKING:
    from grader.course.site_address import SiteAddress
    from grader.grading.batch import Outcome


def cmd_grade(args) -> int:
    """Grade answer files, folders and LMS zips; write the gradebook, results, feedback, rejections and what changed."""
    # Imported here, not at the top: `grader --help` registers every command and should not load the course machinery.
    from grader.cli.class_summary import class_json
    from grader.course.site_address import SiteAddress, site_address, web_address_problem
    from grader.grading.batch import grade_to
    from grader.grading.collect import handins
    from grader.grading.results_json import skipped_json

    check_out(args.out, args.paths)
    if args.site_url and web_address_problem(args.site_url):
        raise UsageError(f"--site-url {args.site_url} {web_address_problem(args.site_url)}")
    course = course_for(args, keys=True)
    site = SiteAddress(args.site_url.strip().rstrip("/") + "/") if args.site_url else site_address(course.root)
    rules = class_rules(args, course)
    with handins(args.paths, ignore_file_times=args.ignore_file_times) as (files, skipped):
        if not files:
            shown = ", ".join(f"{s.file} ({s.reason})" for s in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
            raise UsageError(
                f"no answer files (.yml, .yaml, .json) in {', '.join(args.paths)}"
                + (f"; skipped {len(skipped)}: {shown}" if skipped else "")
            )
        jobs = worker_count(args.jobs)
        progress = Progress("grading", len(files), enabled=not args.json)
        held: list[OutputFolder] = []
        try:
            outcome = grade_to(
                args.out,
                files,
                course,
                inputs=args.paths,
                keep=args.keep,
                strict_version=args.strict_version,
                jobs=jobs,
                site_url=site.url,
                reveal=args.reveal,
                skipped=skipped,
                rules=rules,
                progress=progress.update,
                on_open=held.append,
            )
        except KeyboardInterrupt:
            progress.done()
            raise Interrupted(_left_behind(args.out, held[0] if held else None)) from None
    progress.done()
    out = Path(args.out)
    if args.json:
        json.dump(
            {
                **outcome.summary(),
                "out": str(out),
                "rejected_files": [{"file": r.file, "reason": r.reason} for r in outcome.rejected],
                "skipped_files": [skipped_json(s) for s in outcome.skipped],
                **class_json(outcome),
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        _print_summary(outcome, out, args.keep, site)
    return EXIT_SOME_REJECTED if outcome.rejected else EXIT_OK


def _left_behind(out: str, folder: OutputFolder | None) -> str:
    """What an interrupted run leaves in its output folder, in words."""
    if folder is not None and folder.published:
        return f"interrupted; {out} holds this run's outputs, whole"
    if folder is not None and folder.previous:
        return f"interrupted; {out} still holds the previous run's outputs, whole"
    return f"interrupted; nothing was written to {out}"


def _print_summary(outcome: Outcome, out: Path, keep: str, site: SiteAddress) -> None:
    from grader.cli.class_summary import print_class
    from grader.grading.mail_merge import mail_merge_note

    quizzes = len({e.quiz for e in outcome.kept})
    learners = len({e.learner_id for e in outcome.kept})
    print(
        f"Read {outcome.files} answer file(s): {len(outcome.kept)} graded for {learners} learner(s) in {quizzes} quiz(zes), "
        f"{len(outcome.set_aside)} set aside, {len(outcome.rejected)} rejected."
    )
    if outcome.set_aside:
        print(f"Set aside (--keep {keep}, one file per learner and quiz):")
        for aside, kept in outcome.set_aside:
            print(f"  {aside.file} (kept {kept.file})")
    warned = [e for e in outcome.kept if e.warnings]
    if warned:
        print(f"Graded with a warning ({len(warned)}; see the status column):")
        for entry in warned:
            print(f"  {entry.file}: {'; '.join(entry.warnings)}")
    if outcome.rejected:
        print(f"Rejected ({len(outcome.rejected)}; listed in {out / 'rejected.csv'}):")
        for rejection in outcome.rejected:
            print(f"  {rejection.file}: {rejection.reason}")
    if outcome.skipped:
        print(f"Skipped ({len(outcome.skipped)}; looked at, not graded):")
        for skip in outcome.skipped:
            print(f"  {skip.file}: {skip.reason}")
    print_class(outcome, out)
    print(
        f"Wrote {out / 'gradebook.csv'}, {out / 'results.json'}, {out / 'rejected.csv'}, {out / 'changes.csv'}, "
        f"{out / 'mail-merge.csv'} and {len(outcome.kept)} feedback file(s) in {out / 'feedback'}, each as Markdown and as an HTML page."
    )
    print(mail_merge_note({e.learner_id for e in outcome.kept}, outcome.rules.roster))
    if site.url:
        print(f"Lesson links in the feedback go to {site.url}")
    else:
        print(f"Lessons are named in the feedback, not linked: {site.why}; pass --site-url URL to link them.")


def register(sub) -> None:
    """Add `grader grade`."""
    grade = sub.add_parser("grade", help="grade answer files, folders and LMS zips", description=cmd_grade.__doc__)
    grade.add_argument(
        "paths", nargs="+", metavar="PATH", help="answer files, folders (searched recursively) and zips (Canvas, Moodle or plain)"
    )
    add_keys(grade)
    grade.add_argument("--out", metavar="DIR", default="grades", help="where to write the outputs (default: grades)")
    add_keep(grade)
    grade.add_argument(
        "--strict-version",
        action="store_true",
        help="reject files answered against another version of the quiz instead of warning",
    )
    add_jobs(grade)
    grade.add_argument(
        "--site-url",
        metavar="URL",
        help="published course address, for lesson links in feedback (default: mkdocs.yml's site_url, which reads $SITE_URL; "
        "a local preview address such as http://127.0.0.1:8000/ is not used)",
    )
    grade.add_argument(
        "--reveal",
        choices=REVEAL,
        default="mistakes",
        help="which right answers the feedback shows: for the questions a learner did not get fully right (mistakes, the default), "
        "for every question (all), or for none, with no feedback text from the key for those questions (none)",
    )
    grade.add_argument("--json", action="store_true", help="print the summary as JSON, with no progress bar")
    add_class_rules(grade)
    grade.set_defaults(run=cmd_grade)
