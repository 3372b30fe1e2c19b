"""`grader template`: a blank answer file for a quiz or dialogue, each question as a comment, for learners who answer in an editor."""

from __future__ import annotations

import sys

from grader.cli.options import course_for
from grader.common.problems import EXIT_OK, UsageError
from grader.common.text import listed, points
from grader.course import Choice, Quiz
from grader.dialogue.model import Dialogue
from grader.dialogue.variants import SEEDS, random_choice


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


def _dealt(scenario: Dialogue) -> list[str]:
    """How to answer a dialogue whose variants or details the site deals at random."""
    dealt = [f"the opening mood ({', '.join(v.id for v in scenario.variants)})"] if scenario.variants else []
    dealt += [f"the customer's {listed(scenario.details)}"] if scenario.details else []
    # A real seed, so the example is an answer the grader accepts: the first that deals the last variant.
    last = scenario.variants[-1].id if scenario.variants else None
    seed = next(n for n in range(SEEDS) if random_choice(scenario, n).variant == last)
    example = "{replies: [...], " + (f"variant: {last}, " if last else "") + f"seed: {seed}}}"
    return _comment(
        f"The site deals {' and '.join(dealt)} at random and writes the answer as\n"
        f"  {example}\n"
        "Copy it from the site's answer file; without a seed the dialogue plays as written."
    )


def template_text(quiz: Quiz, scenarios: dict | None = None) -> str:
    """A blank answer file for `quiz`, with each question as a comment (`scenarios`: its dialogues, for their variants)."""
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
        scenario = (scenarios or {}).get(question.scenario or "")
        if scenario is not None and (scenario.variants or scenario.details):
            lines += _dealt(scenario)
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
    sys.stdout.write(template_text(quiz, course.dialogues))
    return EXIT_OK


def register(sub) -> None:
    """Add `grader template`."""
    template = sub.add_parser(
        "template", help="print a blank answer file for a quiz or dialogue", description=cmd_template.__doc__
    )
    template.add_argument("quiz", metavar="QUIZ_ID", help="quiz or dialogue id")
    template.set_defaults(run=cmd_template)
