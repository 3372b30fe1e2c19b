"""The course's quizzes as Moodle GIFT, for a question bank; what GIFT cannot say is written as notes for the instructor."""

from __future__ import annotations

from grader.common.problems import UsageError

# The first line of every GIFT export, by which `grader export --to gift` recognises its own earlier output.
GIFT_HEAD = "// Moodle GIFT export of the course quizzes, written by `grader export --to gift`."


# The grades Moodle accepts on an answer (percent); GIFT imports refuse others unless told to round.
MOODLE_FRACTIONS = (
    100,
    90,
    83.33333,
    80,
    75,
    70,
    66.66667,
    60,
    50,
    40,
    33.33333,
    30,
    25,
    20,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10,
    5,
    0,
)


def gift_escape(text: str) -> str:
    """Text safe inside GIFT: its special characters and backslashes escaped, line breaks as \\n."""
    text = str(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _percent(value: float) -> tuple[str, bool]:
    """A weight as a GIFT percentage from Moodle's list; True when it had to be rounded to fit."""
    sign = -1 if value < 0 else 1
    nearest = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(value)))
    text = f"{sign * nearest:.5f}".rstrip("0").rstrip(".")
    return text, abs(nearest - abs(value)) > 1e-4


def _feedback(text: str | None) -> str:
    return f"#{gift_escape(text)}" if text else ""


def _gift_question(quiz, question, key) -> list[str]:
    """GIFT lines for one question: comments, then the question."""
    title = f"::{gift_escape(quiz.id)} {gift_escape(question.id)}::"
    points = f"{question.points:g} point{'s' if question.points != 1 else ''}"
    lines = [f"// {question.id}: {question.type.replace('_', ' ')}, {points}; steps: {', '.join(question.steps) or 'none'}"]
    prompt = "[markdown]" + gift_escape(question.prompt.strip())
    fb = key.feedback if key else {}
    kind = question.type
    if kind == "single":
        lines.append(title + prompt + " {")
        lines += [
            f"\t{'=' if o.id == key.correct else '~'}{gift_escape(o.text)}{_feedback(fb.get(o.id))}" for o in question.options
        ]
        lines.append("}")
    elif kind == "multiple":
        right = set(key.correct or ())
        if key.policy == "weights":
            weights = {o.id: 100 * float(key.weights.get(o.id, 0)) for o in question.options}
        elif key.policy == "right_minus_wrong":
            weights = {o: (100 / len(right) if o in right else -100 / len(right)) for o in (x.id for x in question.options)}
        else:
            weights = {o: (100 / len(right) if o in right else -100) for o in (x.id for x in question.options)}
            lines.append("// all or nothing here; in Moodle each right option earns its share and any wrong one cancels it all")
        rounded = []
        body = []
        for option in question.options:
            share, changed = _percent(weights[option.id])
            if changed:
                rounded.append(option.id)
            body.append(f"\t~%{share}%{gift_escape(option.text)}{_feedback(fb.get(option.id))}")
        if rounded:
            lines.append(f"// weights of {', '.join(rounded)} rounded to the nearest grade Moodle accepts")
        lines.append(title + prompt + " {")
        lines += body
        lines.append("}")
    elif kind == "true_false":
        # GIFT shows the first feedback after a wrong answer, the second after a right one.
        wrong_fb, right_fb = (fb.get("false"), fb.get("true")) if key.correct else (fb.get("true"), fb.get("false"))
        tail = (f"#{gift_escape(wrong_fb or '')}#{gift_escape(right_fb or '')}") if (wrong_fb or right_fb) else ""
        lines.append(title + prompt + " {" + ("TRUE" if key.correct else "FALSE") + tail + "}")
    elif kind == "matching":
        texts = {c.id: c.text for c in question.choices}
        used = set(key.correct.values())
        lines.append(title + prompt + " {")
        lines += [f"\t={gift_escape(p.text)} -> {gift_escape(texts[key.correct[p.id]])}" for p in question.pairs]
        lines += [f"\t= -> {gift_escape(c.text)}" for c in question.choices if c.id not in used]
        if key.policy == "all_or_nothing":
            lines.insert(1, "// all or nothing here; Moodle gives a share of the points for each pair")
        general = fb.get("incorrect") or fb.get("correct")
        if general:
            lines.append(f"\t####{gift_escape(general)}")
        lines.append("}")
    elif kind == "short_text":
        if key.pattern:
            lines.append(
                f"// also accepted here: answers matching the pattern {key.pattern} (GIFT has no patterns; add them by hand)"
            )
        lines.append(title + prompt + " {")
        lines += [f"\t={gift_escape(a)}{_feedback(fb.get('correct'))}" for a in key.accept]
        if fb.get("incorrect"):
            lines.append(f"\t=%0%*{_feedback(fb.get('incorrect'))}")
        lines.append("}")
    elif kind == "ordering":
        order = ", ".join(next(i.text for i in question.items if i.id == item) for item in key.correct)
        items = "\\n".join(f"- {gift_escape(i.text)}" for i in question.items)
        lines.append("// ordering has no GIFT form: exported as an essay to mark by hand")
        lines.append(f"// right order: {order}")
        lines.append(title + prompt + "\\n\\n" + items + " {}")
    elif kind == "dialogue":
        lines.append("// a branching dialogue has no GIFT form: exported as a description that sends learners to the course site")
        lines.append(
            title
            + prompt
            + "\\n\\n"
            + gift_escape(f"Play the dialogue '{question.scenario}' on the course site and hand in its answer file.")
            + ""
        )
    return lines


def gift(course, quiz_ids: list[str] | None = None) -> str:
    """Every quiz (or the ones named) as Moodle GIFT, one category per quiz; needs the answer keys."""
    chosen = quiz_ids or sorted(course.quizzes)
    unknown = [q for q in chosen if q not in course.quizzes]
    if unknown:
        raise UsageError(
            f"no quiz {', '.join(repr(q) for q in unknown)} in this course (it has: {', '.join(sorted(course.quizzes))})"
        )
    missing = [q for q in chosen if q not in course.keys]
    if missing:
        raise UsageError(f"no answer key for {', '.join(missing)}; GIFT needs the keys (pass --keys DIR)")
    out = [
        GIFT_HEAD,
        "// Import: Question bank > Import > GIFT format. Lines starting with // are notes for you; Moodle skips them.",
        "",
    ]
    for quiz_id in chosen:
        quiz, key = course.quizzes[quiz_id], course.keys[quiz_id]
        out += [
            f"// {quiz.title} ({quiz.id}), {quiz.max_points:g} points",
            f"$CATEGORY: $course$/top/{quiz.title.replace('/', '-')}",
            "",
        ]
        for question in quiz.questions:
            out += _gift_question(quiz, question, key.items.get(question.id))
            out.append("")
    return "\n".join(out)
