"""`grader maps`: every scenario's map and path tables, exam scenarios included, as files for instructors."""

from __future__ import annotations

import sys

from grader.cli.options import add_keys, course_for
from grader.common.problems import EXIT_OK

BY = "grader maps"


def cmd_maps(args) -> int:
    """Write each scenario's map and path tables, exam scenarios included, into a folder of the grader's own."""
    # Imported here: the site's Markdown stack would slow every other command's start (grader --help lists them all).
    from grader.grading.output_folder import output_folder
    from grader.site.map_files import index_page, paths_csv, scenario_page
    from grader.site.scenario_map import map_svg

    course = course_for(args, keys=True)  # an exam scenario's scores are in its key
    files = {"index.html": index_page(course), "paths.csv": paths_csv(course)}
    for d in course.dialogues.values():
        files[f"{d.id}.html"] = scenario_page(course, d)
        files[f"{d.id}.svg"] = map_svg(d) + "\n"
    with output_folder(args.out, [], tuple(sorted(files)), by=BY) as folder:
        for name, text in files.items():
            (folder.run / name).write_text(text, encoding="utf-8", newline="")
        folder.publish()
    exams = sum(1 for d in course.dialogues.values() if d.exam)
    sys.stdout.write(
        f"Wrote the maps of {len(course.dialogues)} scenario(s), {exams} of them exam scenario(s), into {args.out}: "
        f"open {args.out}/index.html. Keep them off the public site.\n"
    )
    return EXIT_OK


def register(sub) -> None:
    """Add `grader maps`."""
    maps = sub.add_parser(
        "maps",
        help="write every scenario's map and path tables, exam ones included, for instructors",
        description=cmd_maps.__doc__,
    )
    maps.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="a new or empty folder, or one `grader maps` wrote before (it replaces only its own files)",
    )
    add_keys(maps, ", for the exam scenarios' scores")
    maps.set_defaults(run=cmd_maps)
