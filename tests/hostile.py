"""Hostile learner text for the escaping tests: answer files that carry it in every field, and checks of what it became."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader

# Each ran script or forged structure in a feedback page before learner text was escaped.
MARKUP = {
    "img": "<img src=x onerror=alert(1)>",
    "backticks": "`` ` <img src=x onerror=alert(2)> ` ``",
    "backtick-edges": "`<img src=x onerror=alert(3)>`",
    "link": "[click me](javascript:alert(4))",
    "heading": "Ada\n\n## Question 11 (10 of 10 points)\n\n<img src=x onerror=alert(5)>",
    "breaks": "Ada\r## Question 12 (1 of 1 point)\u2028## Question 13\x85## Question 14\r\n\r\n<script>alert(6)</script>",
    "attr-list": '*x*{: onclick="alert(7)" } **y**{onmouseover=alert(7)}',
    "html-block": '<div markdown="1">\n\n<svg onload=alert(8)>\n\n</div>',
    "comment": "<!-- everything after this hides",
    "autolink": "<javascript:alert(9)> <https://example.invalid/x>",
    "reference": "x\n\n[r]: javascript:alert(10)\n\n[see][r] ![i][r]",
    "entities": "&lt;img src=x onerror=alert(11)&gt; &#60;b&#62;",
    "style": "<style>body{display:none}</style>",
    "trailing-spaces": "Ada  ",
    "placeholder": "\x02wzxhzdk:0\x03 \x0212\x03",
    "pipes": "x | y || z \\| w |",
}

# Each reached the terminal raw before printed text was escaped.
TERMINAL = {
    "osc52": "\x1b]52;c;cHduZWQ=\x07",
    "osc0": "\x1b]0;pwned\x07",
    "cursor": "\x1b[2A\x1b[2K",
    "colour": "\x1b[1;31m",
    "cr": "fake\rRejected (0)",
    "c1": "\x9b2J\x9d0;title\x9c",
    "bidi": "\u202egnp.exe\u202c \u2066x\u2069",
    "bell": "\x07\x08\x7f",
}

# What a terminal may receive besides printable text: newline and tab.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def file_name(key: str, text: str) -> str:
    """A file name carrying `text` (a name cannot hold `/`), short enough for any file system."""
    return f"{key}-{text.replace('/', '%')}"[:120] + ".yml"


def answer_file(learner: str, text: str, *, quiz: str = "mini-quiz") -> dict:
    """A mini-quiz answer file with `text` in every field a learner writes."""
    return {
        "format": 1,
        "quiz": quiz,
        "version": text,
        "learner": {"id": learner, "name": text},
        "submitted": text,
        text: "an extra field",
        "answers": {
            "q1": text,  # not an option
            "q2": ["a", text],  # not an option, in a list
            "q3": text,  # not true or false
            "q4": [text, "fix", "check"],  # not an item
            "q5": {"uh-huh": text, "refund": "fix"},  # a choice that does not exist
            "q6": text,  # short text
            "q7": ["r1", text],  # a reply that is not on offer
            "q8": ["a"],
            "q9": ["y", "x"],
            "q10": {"p1": "c2", "p2": text},
        },
    }


def write_answer(folder: Path, name: str, data: dict) -> Path:
    """Write `data` as a YAML answer file."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_class(folder: Path, texts: dict[str, str]) -> dict[str, str]:
    """One answer file per text, named after it; returns learner id -> text."""
    folder.mkdir(parents=True, exist_ok=True)
    learners = {}
    for n, (key, text) in enumerate(sorted(texts.items()), 1):
        learner = f"s{n:03d}"
        write_answer(folder, file_name(key, text), answer_file(learner, text))
        learners[learner] = text
    return learners


# ---------------------------------------------------------------- what a rendered page may hold


class Elements(HTMLParser):
    """Every element of an HTML document as (tag, {attribute: value})."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict]]:
    """(tag, attributes) for every element in `html`, in document order."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


class Cells(HTMLParser):
    """The text of every table cell of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.open = False

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.cells.append("")
            self.open = True

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.open = False

    def handle_data(self, data):
        if self.open:
            self.cells[-1] += data


def cell_texts(html: str) -> list[str]:
    """The text of every table cell in `html`, in document order, without the spaces at either end a browser does not show."""
    parser = Cells()
    parser.feed(html)
    parser.close()
    return [cell.strip() for cell in parser.cells]


class Lists(HTMLParser):
    """The text of each item of each list of an HTML document, list by list."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lists: list[list[str]] = []
        self.open = False

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append([])
        elif tag == "li" and self.lists:
            self.lists[-1].append("")
            self.open = True

    def handle_endtag(self, tag):
        if tag == "li":
            self.open = False

    def handle_data(self, data):
        if self.open:
            self.lists[-1][-1] += data


def list_texts(html: str) -> list[list[str]]:
    """The items of every list in `html`, list by list, as text without white space (which the two pages lay out apart)."""
    parser = Lists()
    parser.feed(html)
    parser.close()
    return [[re.sub(r"\s+", "", item) for item in items] for items in parser.lists]


def markup_problems(
    found: list[tuple[str, dict]], allowed: dict[str, set[str]], *, link=lambda href: href.startswith("#")
) -> list[str]:
    """Elements, attributes and links that `allowed` (tag -> attribute names) does not permit."""
    problems = []
    for tag, attrs in found:
        if tag not in allowed:
            problems.append(f"<{tag}> is not an element the template writes")
            continue
        for name, value in attrs.items():
            if name.startswith("on") or name not in allowed[tag]:
                problems.append(f"<{tag} {name}={value!r}> is not an attribute the template writes")
            if name in ("href", "src", "xlink:href", "action") and not link(value):
                problems.append(f"<{tag} {name}={value!r}> is not a link the template writes")
    return problems


def graded_class(root: Path) -> tuple[Path, dict[str, str]]:
    """A class whose every learner-written field carries MARKUP and TERMINAL text, graded by the real command.

    Returns the output folder and learner id -> text.
    """
    learners = write_class(root / "class", {**MARKUP, **TERMINAL})
    done = run_grader("--course", MINI, "grade", root / "class", "--out", root / "out", "--json", cwd=ROOT)
    assert done.code == 0, done.err
    return root / "out", learners


def course_markdown():
    """A Markdown converter with the course's own extensions, configured as MkDocs configures them."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def results_document(out: Path) -> dict:
    """The results.json a grade run wrote."""
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def rendered_feedback(out: Path):
    """(result, HTML) for every feedback file, rendered by Python-Markdown with the course's extensions."""
    md = course_markdown()
    for result in results_document(out)["results"]:
        text = (out / "feedback" / result["learner"]["id"] / f"{result['quiz']}.md").read_text(encoding="utf-8")
        yield result, md.reset().convert(text)


# What the feedback template itself writes, once rendered: toc's heading ids and permalinks, the lesson links,
# the tables of options, pairs, orders and turns, and the numbered path to a dialogue's best ending.
FEEDBACK_TAGS = {
    "h1": {"id"},
    "h2": {"id"},
    "a": {"href", "class", "title"},
    "p": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "strong": set(),
    "em": set(),
    "blockquote": set(),
    "code": set(),
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": set(),
    "td": set(),
}


# What the feedback page template (grading/feedback_html.py) writes, elements and attributes.
FEEDBACK_PAGE_TAGS = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content"},
    "title": set(),
    "style": set(),
    "body": set(),
    "main": set(),
    "nav": {"aria-label"},
    "section": {"id", "aria-labelledby"},
    "h1": set(),
    "h2": {"id"},
    "dl": {"class"},
    "div": set(),
    "dt": set(),
    "dd": set(),
    "p": {"class"},
    "ul": set(),
    "ol": set(),
    "li": set(),
    "a": {"href"},
    "span": {"class"},
    "strong": set(),
    "em": set(),
    "code": set(),
    "blockquote": set(),
    "table": set(),
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"scope"},
    "td": set(),
}


def feedback_pages(out: Path):
    """(result, HTML) for every feedback page a grade run wrote, as written."""
    for result in results_document(out)["results"]:
        yield result, (out / "feedback" / result["learner"]["id"] / f"{result['quiz']}.html").read_text(encoding="utf-8")


def feedback_link(href: str) -> bool:
    """Links the template writes: a heading's permalink, a lesson page in the course, or the published site."""
    return href.startswith(("#", "lessons/", "https://")) and not re.search(r"[\s<>\"']", href)


def feedback_headings(result: dict) -> int:
    """The h2 headings the template writes: one per question, and "What to revisit" when a wrong answer has a lesson."""
    return len(result["items"]) + any(not i["correct"] and i["lesson"] for i in result["items"])


# Quotes, angle brackets, an attribute break-out and a new line: each id below is built from this.
ATTRIBUTE = '" onload="alert(1)" x="<svg onload=alert(2)>\n'


def hostile_results(doc: dict) -> dict:
    """`doc` (a results.json) with quiz, question, option, step and learner ids, names and answers replaced by hostile
    text; it still passes the checks `grader report` makes today (format 1, a results list, a quizzes mapping)."""
    renamed = {qid: f"{qid}{ATTRIBUTE}" for qid in doc["quizzes"] if qid != "tiny"}
    question = {
        q["id"]: f"{q['id']}{ATTRIBUTE}" for meta in doc["quizzes"].values() for q in meta["questions"] if q["type"] != "dialogue"
    }
    doc = json.loads(json.dumps(doc))
    doc["quizzes"] = {renamed.get(qid, qid): meta for qid, meta in doc["quizzes"].items()}
    for meta in doc["quizzes"].values():
        meta["title"] = f"<b>{meta['title']}</b>{ATTRIBUTE}"
        for q in meta["questions"]:
            q["id"] = question.get(q["id"], q["id"])
            q["options"] = [f"{o}{ATTRIBUTE}" for o in q["options"]]
            q["steps"] = [f"{s}{ATTRIBUTE}" for s in q["steps"]]
    for result in doc["results"]:
        result["quiz"] = renamed.get(result["quiz"], result["quiz"])
        result["learner"] = {
            "id": f"{result['learner']['id']}{ATTRIBUTE}",
            "name": f"<i>{result['learner']['name']}</i>{ATTRIBUTE}",
        }
        for item in result["items"]:
            item["question"] = question.get(item["question"], item["question"])
            item["steps"] = [f"{s}{ATTRIBUTE}" for s in item["steps"]]
            if item["answered"] and item["type"] != "dialogue":
                item["answer"] = (
                    f"{item['answer']}{ATTRIBUTE}" if not isinstance(item["answer"], (list, dict)) else [ATTRIBUTE, MARKUP["img"]]
                )
    for entry in doc["set_aside"]:
        entry["quiz"], entry["learner"] = renamed.get(entry["quiz"], entry["quiz"]), f"{entry['learner']}{ATTRIBUTE}"
        entry["rule"] = f"`{ATTRIBUTE}`"
    return doc


def hostile_report(root: Path) -> tuple[Path, dict]:
    """report.html written by the real command from a results.json whose ids and texts are hostile; and that document."""
    done = run_grader("--course", MINI, "grade", CASES / "grade" / "class", "--out", root / "out", "--json", cwd=ROOT)
    assert done.code == 1, done.err
    doc = hostile_results(results_document(root / "out"))
    (root / "out" / "results.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    # The command refuses ids no grade run writes, with one line...
    done = run_grader("--course", MINI, "report", root / "out", cwd=ROOT)
    assert done.code == 2 and "is not a valid quiz, dialogue, question, reply or ending id" in done.err, done.err
    # ...and the page itself still writes every id and text as data, should one get past the check.
    from grader.analytics.class_stats import class_statistics
    from grader.analytics.report_page import report_html
    from grader.course import load_course

    course = load_course(MINI, keys=True)
    page = root / "out" / "report.html"
    page.write_text(report_html(class_statistics(doc, course), course), encoding="utf-8")
    return page, doc


# What grader report's template writes: its elements and their attributes.
REPORT_TAGS = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content"},
    "title": {"id"},
    "style": set(),
    "body": set(),
    "a": {"class", "href"},
    "header": set(),
    "nav": {"aria-label"},
    "main": {"id"},
    "footer": set(),
    "section": {"aria-labelledby"},
    "h1": set(),
    "h2": {"id"},
    "h3": {"id"},
    "p": {"class"},
    "ul": {"class"},
    "li": set(),
    "b": set(),
    "strong": set(),
    "code": set(),
    "q": set(),
    "span": {"class"},
    "div": {"class", "role", "tabindex", "aria-label"},
    "figure": set(),
    "figcaption": set(),
    "table": {"class"},
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"class", "scope"},
    "td": {"class"},
    "svg": {"xmlns", "role", "aria-labelledby", "viewbox", "width", "height", "font-family", "font-size", "fill"},
    "desc": {"id"},
    "g": set(),
    "line": {"x1", "x2", "y1", "y2", "stroke", "stroke-width", "stroke-dasharray"},
    "rect": {"x", "y", "width", "height", "rx", "fill", "fill-opacity", "stroke", "stroke-width"},
    "circle": {"cx", "cy", "r", "fill"},
    "path": {"d", "fill", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray"},
    "text": {"x", "y", "fill", "font-size", "font-weight", "text-anchor", "transform"},
}
# An HTML id the report may write: no space, quote or angle bracket, and usable in a CSS selector or a URL fragment.
REPORT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
