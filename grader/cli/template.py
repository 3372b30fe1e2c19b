"""`grader template`: a blank answer file for a quiz or dialogue, each question as a comment, for learners who answer in an editor."""

from __future__ import annotations

import sys

from grader.cli.options import course_for
from grader.common.problems import EXIT_OK, UsageError
from grader.common.text import points
from grader.course import Choice, Quiz


def _comment(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.strip().splitlines()]


HOW_TO_ANSWER = {
    "single": "one option id, e.g. {q}: {first}",
    "multiple": "a list of option ids, e.g. {q}: [{first}]",
    "true_false": "true or false",
    "ordering": "every item id in your order, e.g. {q}: [{all}]",
    "matching": "a mapping of each pair id to a choice id",
    "short_text": "a word or short phrase",
    "dialogue": "the reply ids you chose, in order (play it on the site)",
}


def template_text(quiz: Quiz) -> str:
    """A blank answer file for `quiz`, with each question as a comment."""
    lines = [
        f'# Answer file for "{quiz.title}" ({quiz.id}).',
        "# Fill in your learner id (letters, digits and . _ @ - only) and your answers,",
        "# then hand this file in. Leave an answer empty to skip it.",
        "format: 1",
        f"quiz: {quiz.id}",
        f'version: "{quiz.version}"',
        "learner:",
        '  id: ""',
        '  name: ""',
        "answers:",
    ]
    for number, question in enumerate(quiz.questions, 1):
        lines.append(f"  # Question {number} ({question.type.replace('_', ' ')}, {points(question.points)})")
        lines += _comment(question.prompt)
        for label, choices in (
            ("options", question.options),
            ("items", question.items),
            ("pairs", question.pairs),
            ("choices", question.choices),
        ):
            if choices:
                lines.append(f"  #   {label}:")
                lines += [f"  #     {c.id}: {c.text}" for c in choices]
        first = (question.options or question.items or (Choice("", ""),))[0].id
        every = ", ".join(c.id for c in question.items)
        lines.append("  # Answer with " + HOW_TO_ANSWER[question.type].format(q=question.id, first=first, all=every))
        if question.type == "matching":
            lines.append(f"  {question.id}:")
            lines += [f"    {p.id}:" for p in question.pairs]
        else:
            lines.append(f"  {question.id}:")
    return "\n".join(lines) + "\n"


def cmd_template(args) -> int:
    """Print a blank answer file for one quiz or dialogue."""
    course = course_for(args)
    quiz = course.activity(args.quiz)
    if quiz is None:
        known = ", ".join(sorted([*course.quizzes, *(d.id for d in course.dialogues.values() if not d.exam)]))
        raise UsageError(f"no quiz or dialogue '{args.quiz}' in this course (it has: {known})")
    sys.stdout.write(template_text(quiz))
    return EXIT_OK


def register(sub) -> None:
    """Add `grader template`."""
    template = sub.add_parser(
        "template", help="print a blank answer file for a quiz or dialogue", description=cmd_template.__doc__
    )
    template.add_argument("quiz", metavar="QUIZ_ID", help="quiz or dialogue id")
    template.set_defaults(run=cmd_template)
