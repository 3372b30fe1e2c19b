"""The scenario map (SVG) and statistics table: well formed, accessible, escaped and deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader.common.text import OUTCOME_SHORT as OUTCOME_LABEL
from grader.dialogue.analysis import analyse_paths as analyse
from grader.dialogue.parse import build
from grader.formats.loader import load_file
from grader.formats.schemas import problems as schema_problems
from grader.site.scenario_map import STYLE
from grader.site.scenario_map import map_svg as render_map
from grader.site.scenario_map import paths_table as render_stats_table
from tests.conftest import CASES, ROOT

DIALOGUES = CASES / "dialogues"
REAL = sorted((ROOT / "quizzes" / "dialogues").glob("*.yml"))
SVG = "{http://www.w3.org/2000/svg}"
LIGHT_BG, DARK_BG = "#ffffff", "#1e2129"  # Material's default and slate backgrounds


def scenario(path: Path, **changes):
    data = load_file(path).data
    data.update(changes)
    assert schema_problems(data, str(path), "dialogue") == []
    return build(data, str(path), "00000000")


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_map_is_one_accessible_svg_naming_every_turn_reply_and_ending():
    d = scenario(DIALOGUES / "valid-small.yml")
    root = ET.fromstring(render_map(d, analyse(d)))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    labelled = root.get("aria-labelledby").split()
    assert labelled == ["dlgmap-valid-small-title", "dlgmap-valid-small-desc"] and set(labelled) <= ids
    assert root.find(f"{SVG}title").text == "Map of the scenario \u201cA short call about a late parcel\u201d"
    desc = root.find(f"{SVG}desc").text
    assert (
        "3 customer turns, 7 replies and 3 endings" in desc
        and "7 complete paths" in desc
        and "best raw score 7, worst -4" in desc
    )
    words = texts(root)
    for reply in ["r1 +2", "r2 0", "r3 \u22121", "r4 +2", "r5 0", "r6 +1", "r7 \u22121"]:
        assert reply in words
    for label in [
        "n1 (start)",
        "n2",
        "n3",
        "sorted",
        "escalated",
        "hangs-up",
        "resolved, customer kept",
        "lost",
        "rule: Calm \u2264 0",
        "score \u22122, 1 path",
    ]:
        assert label in words, label
    # Endings are hexagons, turns are boxes.
    assert len(root.findall(f".//{SVG}polygon")) == 3 and len(root.findall(f".//{SVG}rect")) == 3


def test_reply_kinds_differ_by_colour_line_style_and_words():
    d = scenario(DIALOGUES / "valid-small.yml")
    root = ET.fromstring(render_map(d))
    replies = [p for p in root.iter(f"{SVG}path") if "dialogue-map-reply" in (p.get("class") or "")]
    assert len(replies) == 7
    by_kind = {}
    for p in replies:
        kind = p.get("class").split()[-1].removeprefix("dialogue-map-")
        by_kind.setdefault(kind, set()).add((p.get("stroke"), p.get("stroke-dasharray")))
        assert p.find(f"{SVG}title").text.split(": ")[1].startswith(f"{kind} reply")
    assert {k: len(v) for k, v in by_kind.items()} == {"good": 1, "neutral": 1, "poor": 1}
    assert len({v.pop()[1] for v in by_kind.values()}) == 3  # three different line styles
    legend = " ".join(texts(root))
    for _, _, _, words in STYLE.values():
        assert words in legend


@pytest.mark.parametrize("kind", list(STYLE))
def test_line_colours_keep_3_to_1_contrast_in_light_and_dark_themes(kind):
    colour = STYLE[kind][0]
    assert contrast(colour, LIGHT_BG) >= 3 and contrast(colour, DARK_BG) >= 3


def test_text_and_outlines_follow_the_theme():
    svg = render_map(scenario(DIALOGUES / "valid-small.yml"))
    root = ET.fromstring(svg)
    assert root.get("fill") == "currentColor"
    assert not any(t.get("fill") for t in root.iter(f"{SVG}text"))
    assert {r.get("stroke") for r in root.iter(f"{SVG}rect")} == {"currentColor"}


def test_map_loads_nothing_from_outside():
    svg = render_map(scenario(DIALOGUES / "valid-small.yml"))
    assert "<script" not in svg and "@import" not in svg and "<image" not in svg and "href" not in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert re.findall(r"url\(([^)]*)\)", svg) and all(
        u.startswith("#dlgmap-valid-small-") for u in re.findall(r"url\(([^)]*)\)", svg)
    )


def test_every_text_is_escaped():
    nasty = "<script>alert(\"x\")</script> & 'quotes'"
    d = scenario(DIALOGUES / "valid-small.yml", title=nasty)
    svg, table = render_map(d), render_stats_table(d)
    assert "<script>" not in svg and "<script>" not in table
    assert "&lt;script&gt;" in svg and "&lt;script&gt;" in table
    root = ET.fromstring(svg)
    assert nasty in root.find(f"{SVG}title").text
    assert nasty in ET.fromstring(table).find("caption").text


def test_same_scenario_gives_the_same_bytes():
    one = render_map(scenario(DIALOGUES / "valid-small.yml"))
    two = render_map(scenario(DIALOGUES / "valid-small.yml"))
    assert one == two
    assert render_stats_table(scenario(DIALOGUES / "loop-with-exit.yml")) == render_stats_table(
        scenario(DIALOGUES / "loop-with-exit.yml")
    )


def test_loops_are_drawn_and_counted_as_unlimited():
    d = scenario(DIALOGUES / "loop-with-exit.yml")
    root = ET.fromstring(render_map(d))
    assert "an unlimited number of complete paths" in root.find(f"{SVG}desc").text
    assert "score 0, unlimited paths" in texts(root)
    table = ET.fromstring(render_stats_table(d))
    cells = {row.find("th").text: row.find("td").text for row in table.iter("tr") if row.find("td") is not None}
    assert cells["Complete paths"] == "unlimited (the dialogue can loop)"
    assert cells["Longest path"] == "unlimited (the dialogue can loop)"
    assert cells["Best raw score"] == "+3 (path: r1, r3)"


def test_unreached_nodes_still_appear_on_the_map():
    d = scenario(DIALOGUES / "unreachable-node.yml")
    assert "n3" in texts(ET.fromstring(render_map(d)))


def test_stats_table_lists_sizes_scores_and_endings_by_outcome():
    d = scenario(DIALOGUES / "valid-small.yml")
    html = render_stats_table(d, analyse(d))
    table = ET.fromstring(html)
    assert table.tag == "table" and table.find("caption").text == "Paths through \u201cA short call about a late parcel\u201d"
    assert all(th.get("scope") in ("col", "row", "rowgroup") for th in table.iter("th"))
    cells = [(row.find("th").text, row.find("td").text) for row in table.iter("tr") if row.find("td") is not None]
    assert cells == [
        ("Customer turns", "3"),
        ("Replies", "7"),
        ("Complete paths", "7"),
        ("Best raw score", "+7 (path: r1, r4)"),
        ("Worst raw score", "\u22124 (path: r3, r7)"),
        ("Longest path", "3 decisions"),
        (f"{OUTCOME_LABEL['resolved_retained']}: Sam is happy (sorted, score +3)", "3"),
        ("escalated: Passed to a manager (escalated, score 0)", "3"),
        ("lost: Sam hangs up (hangs-up, score \u22122)", "1"),
    ]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_scenarios_render(path):
    d = scenario(path)
    root = ET.fromstring(render_map(d))
    words = texts(root)
    for node in d.nodes.values():
        for reply in node.replies:
            assert any(w.startswith(f"{reply.id} ") for w in words)
    assert ET.fromstring(render_stats_table(d)).find("caption") is not None
