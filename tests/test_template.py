"""`grader template`: a blank answer file that parses, and grades once filled in."""

from __future__ import annotations

import json

from grader.formats.loader import load_bytes
from tests.conftest import MINI


def test_template_is_a_valid_answer_file_that_grades_once_filled_in(cli, tmp_path, mini):
    result = cli("--course", MINI, "template", "mini-quiz")
    assert result.code == 0
    text = result.out
    assert f'version: "{mini.quizzes["mini-quiz"].version}"' in text
    assert "  # Question 1 (single, 2 points)" in text
    assert "  #     b: I'm sorry nobody called. Tell me what happened." in text
    assert "  # Answer with every item id in your order, e.g. q4: [fix, listen, check]" in text
    blank = load_bytes(text.encode(), "t.yml", answer=True).data
    assert blank["answers"] == {f"q{n}": None for n in range(1, 11) if n not in (5, 10)} | {
        "q5": {"uh-huh": None, "refund": None},
        "q10": {"p1": None, "p2": None},
    }
    filled = text.replace('id: ""', "id: s42").replace("  q1:\n", "  q1: b\n").replace("    refund:\n", "    refund: fix\n")
    (tmp_path / "a.yml").write_text(filled)
    graded = cli("--course", MINI, "grade", tmp_path / "a.yml", "--out", tmp_path / "out")
    assert graded.code == 0, graded.out
    assert "s42,,mini-quiz,3,18," in (tmp_path / "out" / "gradebook.csv").read_text()


def test_template_for_a_dialogue(cli):
    result = cli("--course", MINI, "template", "tiny")
    assert result.code == 0 and "quiz: tiny" in result.out and "  path:" in result.out


def test_template_unknown_quiz(cli):
    result = cli("--course", MINI, "template", "nope")
    assert result.code == 2
    assert result.err == "grader: no quiz or dialogue 'nope' in this course (it has: mini-quiz, tiny)\n"


def test_template_for_a_dialogue_with_variants_shows_an_answer_the_grader_accepts(cli, tmp_path):
    from tests.conftest import ROOT

    result = cli("--course", ROOT, "template", "late-delivery")
    assert result.code == 0
    example = next(line for line in result.out.splitlines() if "replies: [...]" in line)
    assert "  # The site deals the opening mood (shouting, quiet) at random and writes the answer as" in result.out
    # The example's seed deals the variant it names: with a real path, it grades.
    answer = example.strip("# ").replace("[...]", "[r3, r8]")
    assert "variant: quiet, seed: " in answer
    filled = result.out.replace('id: ""', "id: s42").replace("  path:\n", f"  path: {answer}\n")
    (tmp_path / "a.yml").write_text(filled)
    graded = cli("--course", ROOT, "grade", tmp_path / "a.yml", "--out", tmp_path / "out")
    item = json.loads((tmp_path / "out" / "results.json").read_text())["results"][0]["items"][0]
    assert item["evidence"]["variant"] == "quiet" and "changed after" not in item["note"], graded.out


def test_template_for_a_dialogue_with_details_names_them(cli):
    from tests.conftest import ROOT

    result = cli("--course", ROOT, "template", "poor-quality")
    assert "  # The site deals the customer's order, colour and size at random and writes the answer as" in result.out
    assert "  #   {replies: [...], seed: 0}" in result.out
