"""The instructors' map files: a self-contained page per scenario (map, path tables, best and worst paths in words, every reply's score), an index, and a CSV.

These carry what the public site never shows for an exam scenario, so `grader maps` writes them only into an
output folder of its own. Each page is one file: inline CSS and SVG, no script, no request."""

from __future__ import annotations

from grader.common.csv_text import csv_text
from grader.common.escape import html_text
from grader.common.text import OUTCOME_SHORT, signed
from grader.course import Course
from grader.dialogue.analysis import analyse_paths
from grader.dialogue.engine import replay
from grader.dialogue.model import Dialogue
from grader.dialogue.variants import Choice, as_written, played
from grader.site.scenario_map import map_svg, paths_table

_e = html_text
GENERATOR = '<meta name="generator" content="grader maps">'
CSS = """
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.25rem 3rem; font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; }
a { color: #0b4f8a; } a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #a04b00; outline-offset: 2px; }
h2 { margin-top: 2.25rem; border-top: 3px solid #0b4f8a; padding-top: .5rem; }
table { border-collapse: collapse; margin: .5rem 0 1.25rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #b3b3b3; padding: .3rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef5; } tbody th { background: #f5f7fa; }
.scroll { overflow-x: auto; } .meta { color: #4d4d4d; } ol li { margin-bottom: .4rem; }
"""
CSV_COLUMNS = ["scenario", "kind", "variant", "turns", "replies", "paths", "best", "best_path", "worst", "worst_path", "longest"]


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{GENERATOR}\n<title>{_e(title)}</title>\n<style>{CSS}</style></head><body>\n"
        f'<main id="main">\n{body}\n</main>\n</body></html>\n'
    )


def ways(d: Dialogue) -> list[tuple[str, Dialogue]]:
    """(variant id or "", the scenario as that variant plays it): as written first."""
    written = as_written(d)
    return [("", played(d, written))] + [(v.id, played(d, Choice(v.id, written.details))) for v in d.variants]


def _kind(d: Dialogue) -> str:
    return "exam (graded in a quiz; never on the site)" if d.exam else "practice"


def _path_in_words(d: Dialogue, path: tuple[str, ...]) -> str:
    """A path as the conversation it is: each customer line, then the reply chosen and its score, then the ending."""
    rep = replay(d, list(path))
    items = [
        f"<li><p>{_e(d.customer or 'Customer')}: \u201c{_e(d.nodes[nid].say)}\u201d</p>"
        f"<p><strong>{_e(reply.id)}</strong> ({_e(signed(reply.score))}): \u201c{_e(reply.text)}\u201d</p></li>"
        for nid, reply in rep.taken
    ]
    if not items:
        return "<p>None.</p>"
    ending = rep.ending
    end = f"<p>Ending: {_e(ending.title)} ({_e(OUTCOME_SHORT.get(ending.outcome, ending.outcome))}, {_e(signed(ending.score))}).</p>" if ending else ""
    return f"<ol>{''.join(items)}</ol>{end}"


def _replies_table(course: Course, d: Dialogue) -> str:
    rows = []
    for node in d.nodes.values():
        for reply in node.replies:
            steps = ", ".join(course.steps[s].title if s in course.steps else s for s in reply.steps)
            mistakes = ", ".join(course.anti_patterns[m].title if m in course.anti_patterns else m for m in reply.mistakes)
            effect = ", ".join(f"{m} {signed(v)}" for m, v in reply.effect.items())
            cells = [node.id, reply.text, reply.next, signed(reply.score), effect, steps, mistakes]
            rows.append(f'<tr><th scope="row">{_e(reply.id)}</th>' + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Reply", "At", "Text", "Leads to", "Score", "Meters", "Steps", "Mistakes"))
    return f'<div class="scroll"><table><caption>Every reply</caption><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def scenario_page(course: Course, d: Dialogue) -> str:
    """One scenario: its map, its path table as written and in each variant, its best and worst paths in words, every reply."""
    source = d.file + (f" and {d.key_file}" if d.key_file else "")
    parts = [
        f"<h1>{_e(d.title)}</h1>",
        f'<p class="meta">{_e(d.id)}: {_e(_kind(d))}, from {_e(source)}. <a href="index.html">Every scenario</a></p>',
        f"<p>{_e(d.summary)}</p>",
        f'<div class="scroll" tabindex="0" role="region" aria-label="Map of {_e(d.title)}">{map_svg(d)}</div>',
    ]
    for variant, version in ways(d):
        a = analyse_paths(version)
        label = f"Variant {variant}" if variant else "As written" if d.variants else "Paths"
        parts.append(f"<h2>{_e(label)}</h2>")
        if variant:
            parts.append(f"<p>{_e(next(v.label for v in d.variants if v.id == variant))}</p>")
        parts.append(paths_table(version, a))
        parts.append(f"<h3>The best path ({_e(signed(a.best or 0))})</h3>" + _path_in_words(version, a.best_path))
        parts.append(f"<h3>The worst path ({_e(signed(a.worst or 0))})</h3>" + _path_in_words(version, a.worst_path))
    parts.append("<h2>Replies</h2>" + _replies_table(course, d))
    return _page(f"Map: {d.title}", "\n".join(parts))


def index_page(course: Course) -> str:
    """Every scenario, practice and exam, with its figures and a link to its page."""
    rows = []
    for d in course.dialogues.values():
        a = analyse_paths(played(d, as_written(d)))
        cells = [_kind(d), "loops" if a.paths is None else str(a.paths), signed(a.best or 0), signed(a.worst or 0), str(len(d.variants) or "")]
        link = f'<a href="{_e(d.id)}.html">{_e(d.title)}</a> (<a href="{_e(d.id)}.svg">map alone</a>)'
        rows.append(f'<tr><th scope="row">{link}</th>' + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Scenario", "Kind", "Complete paths", "Best raw", "Worst raw", "Variants"))
    body = (
        "<h1>Scenario maps</h1>"
        "<p>Every scenario of the course, exam scenarios included: keep these files with the answer keys, off the public site. "
        "A dialogue's item score is its points times the raw score divided by the best raw score, kept between 0 and the points. "
        '<a href="paths.csv">paths.csv</a> holds the same figures for a spreadsheet.</p>'
        f'<table><caption>Scenarios</caption><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"<p class=\"meta\">Outcomes: {_e('; '.join(OUTCOME_SHORT.values()))}.</p>"
    )
    return _page("Scenario maps", body)


def paths_csv(course: Course) -> str:
    """One row per scenario and variant: its size, paths, best and worst raw scores with a path to each, the longest path."""
    rows = []
    for d in course.dialogues.values():
        for variant, version in ways(d):
            a = analyse_paths(version)
            replies = sum(len(n.replies) for n in version.nodes.values())
            rows.append(
                [d.id, "exam" if d.exam else "practice", variant, len(version.nodes), replies, "" if a.paths is None else a.paths,
                 "" if a.best is None else a.best, " ".join(a.best_path), "" if a.worst is None else a.worst, " ".join(a.worst_path),
                 "" if a.longest is None else a.longest]
            )
    return csv_text(CSV_COLUMNS, rows)
