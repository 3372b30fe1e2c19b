"""`grader play`: try a scenario in the terminal (the customer's lines, numbered replies, the meters, the feedback, undo), or replay a path's transcript."""

from __future__ import annotations

import sys
import textwrap

from grader.cli.options import add_keys, course_for
from grader.common.problems import EXIT_OK, UsageError
from grader.common.text import OUTCOMES, listed, number, signed
from grader.course import Course
from grader.course.groups import grouped, mistake_group, step_model
from grader.dialogue.analysis import analyse_paths, item_score
from grader.dialogue.costs import TURNING_OUTCOMES, reply_costs, turning_point
from grader.dialogue.engine import replay
from grader.dialogue.model import Dialogue, Replay, Reply
from grader.dialogue.variants import SEEDS, Choice, as_written, played, random_choice

WIDTH = 100
PROMPT = "Choose {choices}, u to undo, r to restart or q to quit: "


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    lines = textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent
    )
    return "\n".join(lines) + "\n" if lines else ""


def _meters(d: Dialogue, values: dict) -> str:
    return " · ".join(f"{m.label} {values[m.id]} of {m.max}" for m in d.meters.values())


def _changes(d: Dialogue, before: dict, after: dict) -> str:
    moved = [f"{m.label} {before[m.id]} -> {after[m.id]}" for m in d.meters.values() if before[m.id] != after[m.id]]
    return " · ".join(moved) or "the meters do not move"


class Transcript:
    """Writes a play to the terminal, turn by turn, in the words the page uses."""

    def __init__(self, course: Course, d: Dialogue, write) -> None:
        self.course, self.d, self.write = course, d, write
        self.customer = d.customer or "Customer"

    def header(self, how: str) -> None:
        d = self.d
        kind = "exam" if d.exam else "practice"
        self.write(f"{d.title} ({d.id}, {kind}{', ' + how if how else ''})\n")
        if d.exam and not d.scored:
            self.write("Its scores, feedback and outcomes are in its key, which was not loaded: playing the lines only.\n")
        if d.setting:
            self.write(_wrap(d.setting, "  ", "Setting: "))

    def turn(self, number_: int, nid: str, values: dict) -> None:
        node = self.d.nodes[nid]
        self.write(f"\n{_meters(self.d, values)}\n" if self.d.meters else "\n")
        self.write(_wrap(f"{self.customer}: \u201c{node.say}\u201d", "  ", f"Turn {number_}. "))
        if node.note:
            self.write(_wrap(f"({node.note})", "  "))
        for i, reply in enumerate(node.replies, 1):
            self.write(_wrap(reply.text, "     ", f"  {i}. "))

    def reply(self, reply: Reply, before: dict, after: dict, cost: int | None) -> None:
        self.write(_wrap(f"You: \u201c{reply.text}\u201d", "  ", ""))
        if not self.d.scored:
            self.write(f"  {_changes(self.d, before, after)}\n")
            return
        if reply.feedback:
            self.write(_wrap(reply.feedback, "  ", "  Feedback: "))
        if reply.steps:
            self.write(_wrap("; ".join(self._step(s) for s in reply.steps), "    ", "  Steps: "))
        if reply.mistakes:
            self.write(_wrap("; ".join(self._mistake(m) for m in reply.mistakes), "    ", "  Mistakes: "))
        if reply.lesson:
            self.write(f"  Lesson: {reply.lesson}\n")
        costs = "" if cost is None else f" · cost {cost}"
        self.write(f"  {_changes(self.d, before, after)} · score {signed(reply.score)}{costs}\n")

    def _step(self, step_id: str) -> str:
        step = self.course.steps.get(step_id)
        return f"{step.title} ({step_model(self.course, step_id)})" if step else step_id

    def _mistake(self, anti_id: str) -> str:
        pattern = self.course.anti_patterns.get(anti_id)
        return f"{pattern.title} ({mistake_group(self.course, anti_id)})" if pattern else anti_id

    def ending(self, rep: Replay, points: float) -> None:
        d, ending = self.d, rep.ending
        if ending is None:
            return
        if not d.scored:
            self.write(f"\nEnding: {ending.title}\n")
            return
        self.write(f"\nEnding: {ending.title} ({OUTCOMES.get(ending.outcome, ending.outcome)})\n")
        self.write(_wrap(ending.debrief, "  "))
        best = analyse_paths(d).best
        self.write(
            f"Score: {number(item_score(d, rep, points))} of {number(points)} points (raw {signed(rep.raw)}; the best path scores {signed(best or 0)})\n"
        )
        steps = grouped(
            {s: step_model(self.course, s) for s in rep.steps_shown}, self._titles(self.course.steps), rep.steps_shown
        )
        mistakes = grouped(
            {m: mistake_group(self.course, m) for m in rep.mistakes}, self._titles(self.course.anti_patterns), rep.mistakes
        )
        for label, groups in (("Steps used well", steps), ("Mistakes made", mistakes)):
            self.write(f"{label}:{'' if groups else ' none'}\n")
            for group, titles in groups:
                self.write(_wrap(f"{group}: {listed(titles)}", "    ", "  "))
        point = turning_point(d, rep)
        if point is not None and ending.outcome in TURNING_OUTCOMES:
            reply = rep.taken[point.turn][1]
            self.write(
                _wrap(
                    f"your reply at turn {point.turn + 1} ({reply.id}, cost {point.cost}): \u201c{reply.text}\u201d",
                    "  ",
                    "Turning point: ",
                )
            )
            self.write(_wrap(reply.feedback, "  "))

    @staticmethod
    def _titles(known: dict) -> dict[str, str]:
        return {k: v.title for k, v in known.items()}


def _choice(d: Dialogue, seed: int | None, variant: str | None) -> tuple[Choice, str]:
    """How to deal the scenario, and how the header says it was dealt."""
    if seed is not None:
        if not 0 <= seed < SEEDS:
            raise UsageError(f"--seed {seed} is out of range; give a whole number from 0 to {SEEDS - 1}")
        choice = random_choice(d, seed)
        how = f"seed {seed}"
    elif variant is not None:
        if variant not in [v.id for v in d.variants]:
            known = ", ".join(v.id for v in d.variants) or "none"
            raise UsageError(f"scenario '{d.id}' has no variant '{variant}' (its variants: {known})")
        choice, how = Choice(variant, as_written(d).details), ""
    else:
        return as_written(d), "as written" if d.variants or d.details else ""
    dealt = ([f"variant {choice.variant}"] if choice.variant else []) + [f"{k} {v}" for k, v in choice.details.items()]
    return choice, ", ".join(([how] if how else []) + dealt)


def _replay_path(show: Transcript, d: Dialogue, path: list[str], points: float) -> Replay:
    """Print the transcript of `path` as far as it goes; the replay says whether it went all the way."""
    rep = replay(d, path)
    costs = reply_costs(d, rep) if rep.ok else [None] * len(rep.taken)
    for i, (node, reply) in enumerate(rep.taken):
        show.turn(i + 1, node, rep.meters[i])
        show.write(f"> {[r.id for r in d.nodes[node].replies].index(reply.id) + 1}\n")
        show.reply(reply, rep.meters[i], rep.meters[i + 1], costs[i])
    if rep.ok:
        show.ending(rep, points)
    return rep


def _points(course: Course, d: Dialogue) -> float:
    """What the scenario is worth: the points of the quiz question that grades it, else its own."""
    found = [q.points for quiz in course.quizzes.values() for q in quiz.questions if q.scenario == d.id]
    return found[0] if d.exam and found else float(d.points)


def _interactive(show: Transcript, d: Dialogue, points: float, read, echo: bool) -> list[str]:
    """Play from the keyboard until an ending, or until the author quits; the path taken."""
    path: list[str] = []
    while True:
        rep = replay(d, path)
        if rep.ending is not None:
            show.ending(rep, points)
            return path
        nid = rep.taken[-1][1].next if rep.taken else d.start
        node = d.nodes[nid]
        show.turn(len(path) + 1, nid, rep.meters[-1])
        while True:
            show.write(PROMPT.format(choices=f"1-{len(node.replies)}" if len(node.replies) > 1 else "1"))
            line = read()
            if line == "":  # end of input
                show.write("\n")
                return path
            if echo:  # typed input shows on a terminal; piped input is written out so the transcript reads the same
                show.write(line if line.endswith("\n") else line + "\n")
            answer = line.strip().lower()
            if answer == "q":
                return path
            if answer in ("u", "r"):
                if not path:
                    show.write("Nothing to undo yet.\n")
                    continue
                path = path[:-1] if answer == "u" else []
                show.write("Last choice undone.\n" if answer == "u" else "Started again.\n")
                break
            if answer.isdigit() and 1 <= int(answer) <= len(node.replies):
                reply = node.replies[int(answer) - 1]
                after = replay(d, [*path, reply.id])
                cost = (reply_costs(d, after) or [None])[-1]
                show.reply(reply, rep.meters[-1], after.meters[-1], cost)
                path.append(reply.id)
                break
            show.write(f"Type a number from 1 to {len(node.replies)}, or u, r or q.\n")


def cmd_play(args) -> int:
    """Play a scenario in the terminal, or print the transcript of one path through it."""
    # An exam scenario's scoring is in the keys: use them when they are there, and insist on them when named.
    course = course_for(args, keys=bool(args.keys), keys_if_found=True)
    scenario = course.dialogues.get(args.scenario)
    if scenario is None:
        raise UsageError(f"no scenario '{args.scenario}' in this course (it has: {', '.join(sorted(course.dialogues))})")
    choice, how = _choice(scenario, args.seed, args.variant)
    d = played(scenario, choice)
    show = Transcript(course, d, sys.stdout.write)
    show.header(how)
    if args.path is not None:
        path = [p.strip() for p in args.path.split(",") if p.strip()]
        rep = _replay_path(show, d, path, _points(course, d))
        if not rep.ok:
            raise UsageError(f"--path: {rep.reason}")
        sys.stdout.write(f"\nPath: {','.join(path)}\n")
        return EXIT_OK
    path = _interactive(show, d, _points(course, d), sys.stdin.readline, echo=not sys.stdin.isatty())
    again = f"grader play {d.id}" + (
        f" --seed {args.seed}" if args.seed is not None else f" --variant {args.variant}" if args.variant else ""
    )
    sys.stdout.write(
        f"\nPath: {','.join(path) or '(none)'}\n" + (f"Replay it: {again} --path {','.join(path)}\n" if path else "")
    )
    return EXIT_OK


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; give a whole number from 0 to {SEEDS - 1}") from None


def register(sub) -> None:
    """Add `grader play`."""
    play = sub.add_parser(
        "play", help="play a scenario in the terminal, or print a path's transcript", description=cmd_play.__doc__
    )
    play.add_argument("scenario", metavar="SCENARIO", help="scenario id")
    play.add_argument("--path", metavar="R1,R2,...", help="replay these reply ids and print the transcript instead of playing")
    dealt = play.add_mutually_exclusive_group()
    dealt.add_argument(
        "--seed",
        type=_seed,
        metavar="N",
        help="deal the variant and details as the page did with this seed (answer files record it)",
    )
    dealt.add_argument("--variant", metavar="ID", help="play this variant, each detail as first written")
    add_keys(play, ", for an exam scenario's scoring")
    play.set_defaults(run=cmd_play)
