"""`grader template`: a blank answer file that parses, and grades once filled in."""

from __future__ import annotations

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
