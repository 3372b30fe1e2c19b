"""Feedback that teaches: each answer beside what was right and why, by question type, as --reveal allows, in both pages."""

from __future__ import annotations

import pytest
import yaml

from grader.grading.collect import Handin
from grader.grading.feedback import feedback_page, file_name
from grader.grading.feedback_html import feedback_html
from grader.grading.feedback_markdown import feedback_markdown
from grader.grading.feedback_model import Options
from grader.grading.one_file import Graded, grade_file, versions
from tests import hostile
from tests.conftest import CASES, MINI, ROOT
from tests.outputs import run_grader

CLASS = CASES / "grade" / "class"


def graded(mini, tmp_path, answers: dict, *, name: str = "hand-in.yml") -> Graded:
    """A real answer file for the small course's mini quiz, written to disk and graded."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"format": 1, "quiz": "mini-quiz", "version": mini.quizzes["mini-quiz"].version, "learner": {"id": "s9", "name": "Ida"}}
    path.write_text(yaml.safe_dump({**doc, "answers": answers}), encoding="utf-8")
    found = grade_file(Handin(str(path), str(path)), mini, versions(mini), False)
    assert isinstance(found, Graded), found
    return found


def pages(mini, found: Graded, reveal: str = "mistakes", site_url: str | None = None) -> tuple[str, str]:
    """The Markdown and the HTML page for one graded file."""
    page = feedback_page(found, mini.quizzes["mini-quiz"], mini, Options(site_url, reveal))
    return feedback_markdown(page), feedback_html(page)


def section(markdown: str, number: int) -> str:
    """One question's part of the Markdown page."""
    return markdown.split(f"## Question {number}:", 1)[1].split("\n## ", 1)[0]


def test_a_multiple_choice_scored_zero_says_which_option_was_chosen_and_which_is_right(mini, tmp_path):
    md, html = pages(mini, graded(mini, tmp_path, {"q2": ["b", "d"]}))
    q2 = section(md, 2)
    assert q2.startswith(" wrong (0 of 2 points)")
    assert "| a: Listen | no | yes |\n| b: Argue | yes | no |\n| c: Offer a fix | no | yes |\n| d: Interrupt | yes | no |" in q2
    # Feedback only where it applies, saying which is which: nothing is called right that was not.
    assert "- **Right, not chosen:** a: Listen — Listening helps.\n" in q2
    assert "- **Your choice, wrong:** b: Argue — Arguing hurts.\n" in q2
    assert "- **Right, not chosen:** c: Offer a fix — A fix helps.\n" in q2
    assert "- **Your choice, wrong:** d: Interrupt — Interrupting hurts.\n" in q2
    assert "Your choice, right" not in q2
    assert "<li><strong>Your choice, wrong:</strong> b: Argue — <p>Arguing hurts.</p></li>" in html


def test_an_option_neither_chosen_nor_right_has_no_feedback(mini, tmp_path):
    q2 = section(pages(mini, graded(mini, tmp_path, {"q2": ["a", "c"]}))[0], 2)
    assert "Interrupting hurts." not in q2 and "Arguing hurts." not in q2
    assert q2.count("- **Your choice, right:**") == 2


def test_matching_is_shown_pair_by_pair(mini, tmp_path):
    q5 = section(pages(mini, graded(mini, tmp_path, {"q5": {"uh-huh": "fix"}}))[0], 5)
    assert '| "Uh huh." | Fix | Listen | wrong |\n| "I\'ll refund it." | (none) | Fix | wrong |' in q5


def test_ordering_shows_the_right_order_beside_the_learners(mini, tmp_path):
    q4 = section(pages(mini, graded(mini, tmp_path, {"q4": ["check", "listen", "fix"]}))[0], 4)
    assert "| 1 | Check | Listen |\n| 2 | Listen | Fix |\n| 3 | Fix | Check |" in q4


def test_short_text_shows_what_was_written_and_what_is_accepted(mini, tmp_path):
    q6 = section(pages(mini, graded(mini, tmp_path, {"q6": "listen <b>"}))[0], 6)
    assert "**You wrote:** listen &lt;b>" in q6
    assert "**Accepted:** fix; fix it (and other wordings of the same answer)" in q6


def test_a_dialogue_is_told_in_the_replies_own_words(mini, tmp_path):
    md, html = pages(mini, graded(mini, tmp_path, {"q7": ["r2"]}))
    q7 = section(md, 7)
    assert "| 1 | My order is wrong! | You must have ordered the wrong one. | −1 (best there: +2) |" in q7
    assert "r2" not in q7
    assert "**Ending:** Hangs up (lost)\n\nCalm ran out." in q7
    assert "- **Mistakes:** Argues" in q7
    assert "- “You must have ordered the wrong one.”, 3 points below the best reply there — Blaming them costs calm." in q7
    assert "Revisit: Let them finish, in the lesson Calm first" in q7
    assert (
        "**A path to the best ending:**\n\n1. I'm sorry. What arrived?\n2. I'll send the red one today and a return label." in q7
    )
    assert "<caption>Your conversation with Sam</caption>" in html


def test_a_path_that_cannot_be_played_is_shown_as_far_as_it_goes_and_says_why(mini, tmp_path):
    md, _ = pages(mini, graded(mini, tmp_path, {"q7": ["r1", "r9"]}))
    q7 = section(md, 7)
    assert "**Not scored as given:** choice 2, 'r9', is not on offer at node n2 (offered: r3, r4)" in q7
    assert "| 1 | My order is wrong! | I'm sorry. What arrived? |" in q7 and "|  | r9 |" in q7


def test_an_unanswered_question_gives_the_reason_and_the_answer(mini, tmp_path):
    md, html = pages(mini, graded(mini, tmp_path, {"q1": "b"}))
    q9 = section(md, 9)
    assert q9.startswith(" not answered (0 of 1 point)")
    assert "**Your answer:** none; the question was not answered." in q9
    assert "**Right order:** X → Y" in q9
    assert "<p><strong>Your answer:</strong> none; the question was not answered.</p>" in html


def test_an_answer_of_the_wrong_shape_is_shown_as_written_with_why(mini, tmp_path):
    q1 = section(pages(mini, graded(mini, tmp_path, {"q1": "zz"}))[0], 1)
    assert q1.startswith(" not scored (0 of 2 points)")
    assert '**Your answer as written:** `"zz"`' in q1
    assert "**Not scored as given:** 'zz' is not one of the options (a, b, c)" in q1


def test_mistakes_reveals_the_right_answers_only_for_what_was_not_fully_right(mini, tmp_path):
    found = graded(mini, tmp_path, {"q6": "fix", "q1": "a"})
    mistakes, _ = pages(mini, found)
    assert "**Accepted:**" not in section(mistakes, 6) and "| Right |" in section(mistakes, 1)
    everything, _ = pages(mini, found, "all")
    assert "**Accepted:** fix; fix it" in section(everything, 6)


def key_texts(mini) -> set[str]:
    """Every feedback text of the mini quiz's key and of the tiny scenario, and the short text's accepted answers."""
    texts = {text for item in mini.keys["mini-quiz"].items.values() for text in item.feedback.values()}
    scenario = mini.dialogues["tiny"]
    texts |= {reply.feedback for node in scenario.nodes.values() for reply in node.replies}
    texts |= {ending.debrief for ending in scenario.endings.values()}
    return texts | {"fix it"}


def test_reveal_none_shows_no_right_answer_and_no_text_from_the_key(mini, tmp_path):
    bob = yaml.safe_load((CLASS / "bob.yml").read_text(encoding="utf-8"))["answers"]
    md, html = pages(mini, graded(mini, tmp_path, bob), "none")
    for text in key_texts(mini):
        assert text not in md and text not in html, text
    assert "| Right |" not in md and "Right match" not in md and "Right order" not in md and "**Accepted:**" not in md
    assert "A path to the best ending" not in md and "best there" not in md and "cost the most" not in md
    assert "Right answers are not shown, because this quiz will be used again." in md
    # Still: how each question went, the learner's own answers, and what to read again.
    assert section(md, 1).startswith(" wrong (0 of 2 points)") and "| a: That is not my department. | yes |" in md
    assert "**Ending:** Passed on (escalated)" in md and "**Revisit:** Let them finish, in the lesson Calm first" in md


def test_reveal_none_still_confirms_a_right_answer(mini, tmp_path):
    md, _ = pages(mini, graded(mini, tmp_path, {"q1": "b"}), "none")
    assert "| b: I'm sorry nobody called. Tell me what happened. | yes | yes |" in section(md, 1)


def test_links_go_to_the_published_lesson_section(mini, tmp_path):
    md, html = pages(mini, graded(mini, tmp_path, {"q1": "a"}), site_url="https://you.example/course/")
    assert "**Revisit:** [Let them finish](https://you.example/course/lessons/calm/#listen), in the lesson Calm first" in md
    assert '<a href="https://you.example/course/lessons/calm/#listen">Let them finish</a>, in the lesson Calm first' in html
    assert "- the lesson [Calm first](https://you.example/course/lessons/calm/)" in md


def test_no_path_from_the_instructors_machine_reaches_the_learner(mini, tmp_path):
    inbox = tmp_path / "home" / "instructor" / "inbox"
    md, html = pages(mini, graded(mini, inbox, {"q1": "b"}, name="ada.yml"))
    assert "- **File:** ada.yml\n" in md and "<dd>ada.yml</dd>" in html
    assert str(tmp_path) not in md and str(tmp_path) not in html
    assert file_name("C:\\Users\\instructor\\inbox\\ada.yml") == "ada.yml"
    assert file_name("inbox/late/ada.yml") == "ada.yml"


@pytest.fixture(scope="module")
def golden_class(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "out"
    done = run_grader("--course", MINI, "grade", CLASS, "--out", out)
    assert done.code == 1, done.err
    return out


def test_the_html_page_holds_what_the_markdown_holds(golden_class):
    markdown = hostile.course_markdown()
    for result in hostile.results_document(golden_class)["results"]:
        base = golden_class / "feedback" / result["learner"]["id"] / result["quiz"]
        from_markdown = markdown.reset().convert(base.with_suffix(".md").read_text(encoding="utf-8"))
        page = base.with_suffix(".html").read_text(encoding="utf-8")
        # The same tables, cell for cell, and the same lists (after the facts, a list in Markdown and the page's contents).
        assert hostile.cell_texts(page) == hostile.cell_texts(from_markdown), result["file"]
        assert hostile.list_texts(page)[1:] == hostile.list_texts(from_markdown)[1:], result["file"]
        assert len(hostile.list_texts(from_markdown)) > 1


def test_reveal_is_an_option_of_grade(tmp_path):
    done = run_grader("--course", MINI, "grade", CLASS / "bob.yml", "--out", tmp_path / "out", "--reveal", "none")
    assert done.code == 0, done.err
    page = (tmp_path / "out" / "feedback" / "s002" / "mini-quiz.md").read_text(encoding="utf-8")
    assert "Right answers are not shown" in page and "Deflecting makes it worse." not in page
    done = run_grader("--course", MINI, "grade", CLASS / "bob.yml", "--out", tmp_path / "out2", "--reveal", "some")
    assert done.code == 2 and "invalid choice: 'some'" in done.err


def test_a_learners_text_equal_to_an_authors_is_still_escaped():
    from grader.grading import feedback_html, feedback_markdown
    from grader.grading.feedback_model import Author

    # Both pages keep what they made of each text; the kind of text is part of what they keep it by.
    assert feedback_html.inline((Author("*x* <b>"),)) == "<em>x</em> &lt;b&gt;"
    assert feedback_html.inline(("*x* <b>",)) == "*x* &lt;b&gt;"
    assert feedback_markdown.inline((Author("*x*"),)) == "*x*"
    assert feedback_markdown.inline(("*x*",)) == "\\*x\\*"


def test_every_example_learner_reads_what_they_got_wrong_and_why(tmp_path):
    from grader.common.author_text import markdown_html

    done = run_grader("grade", ROOT / "examples" / "submissions", "--out", tmp_path / "out", cwd=ROOT)
    assert done.code == 1, done.err
    results = hostile.results_document(tmp_path / "out")["results"]
    assert len(results) == 33
    for result in results:
        base = tmp_path / "out" / "feedback" / result["learner"]["id"] / result["quiz"]
        md, html = base.with_suffix(".md").read_text(encoding="utf-8"), base.with_suffix(".html").read_text(encoding="utf-8")
        for n, item in enumerate(result["items"], 1):
            if item["correct"]:
                continue
            # What went wrong: the result in the heading, the right answer beside theirs, the section to revisit...
            part = section(md, n)
            assert part.split("(", 1)[0].strip() in ("wrong", "partly right", "not answered", "not scored"), (result["file"], n)
            assert any(mark in part for mark in ("| Right |", "Right match", "Right order", "**Accepted:**", "best ending")), (
                result["file"],
                n,
            )
            assert "**Revisit:**" in part, (result["file"], n)
            # ...and why: every feedback text the key gives for this answer, in both pages.
            for text in item["feedback"]:
                assert " ".join(text.split()) in " ".join(part.split()), (result["file"], n, text)
                assert markdown_html(text) in html, (result["file"], n, text)
