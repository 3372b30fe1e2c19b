"""Answers to throw at both scorers (grader/grading/scoring.py and docs/javascripts/scoring.js): every option, every
subset and order where there are few, random others, text that should and should not match, and malformed answers.
Pure and seeded: the same cases every run."""

from __future__ import annotations

import itertools
import random
import re
import re._parser as sre_parse  # the grader's own reading of a pattern, to write strings it matches
from typing import Any

from grader.course import ItemKey, Question

MOST_ORDERS = 120
"""All orders up to five items; a sample above that."""
MOST_MATCHINGS = 256
SAMPLE = 40

# Answers of every wrong shape: numbers, booleans, nested lists, text with quotes, escapes and characters beyond ASCII.
MALFORMED: list[Any] = [
    0,
    7,
    -3,
    1.5,
    -0.25,
    2.5e-05,
    1e-07,
    True,
    False,
    "zzz",
    "A",
    " a",
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    "tab\there\nnew line\r",
    "\x00\x1b\x7f\x85",
    "caf\u00e9 \u2019quoted\u2019 \u00a0space",
    "\u200b\u2028\u202e",
    "\U0001f600 \U000e0001",
    ["zzz"],
    [1, 2],
    [True],
    [None],
    [["a"]],
    [{"a": "b"}],
    {"x": "y"},
    {"a": 1},
    {"a": ["b"]},
    {"a": None},
    {"": ""},
]
# Short answers written as people write them: case, spacing, typographic quotes and dashes, full-width letters.
_VARIANTS = [
    str.upper,
    str.title,
    lambda s: "  " + s.replace(" ", " \t ") + "\n",
    lambda s: s.replace("'", "\u2019").replace('"', "\u201c"),
    lambda s: s.replace("-", "\u2013").replace(" ", "\u00a0"),
    lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s),  # full-width: NFKC makes them plain
    lambda s: s.replace("ss", "\u00df").replace("SS", "\u1e9e"),
    lambda s: s + ".",
    lambda s: s + "x",
    lambda s: s[:-1],
]


def _example(tree, rng: random.Random) -> str:
    """One string the parsed pattern `tree` matches (groups, classes, repeats and alternatives only)."""
    out = []
    for op, value in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "ANY":
            out.append(rng.choice("abc xyz"))
        elif name == "IN":
            chars = [chr(v) for kind, v in value if str(kind) == "LITERAL"]
            for kind, v in value:
                if str(kind) == "RANGE":
                    chars += [chr(c) for c in range(v[0], v[1] + 1)]
            negated = any(str(kind) == "NEGATE" for kind, _ in value)
            out.append(rng.choice([c for c in "abcxyz -.!" if c not in chars] if negated else chars or ["a"]))
        elif name == "BRANCH":
            out.append(_example(rng.choice(value[1]), rng))
        elif name == "SUBPATTERN":
            out.append(_example(value[3], rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, inner = value
            count = rng.randint(low, min(high, low + 2))
            out.extend(_example(inner, rng) for _ in range(count))
    return "".join(out)


def pattern_examples(pattern: str, rng: random.Random, count: int = 12) -> list[str]:
    """Strings `pattern` fully matches, in several spellings, each with near misses."""
    tree = sre_parse.parse(pattern)
    found = {_example(tree, rng) for _ in range(count)}
    return sorted(found)


def _texts(key: ItemKey, rng: random.Random) -> list[str]:
    base = list(key.accept) + (pattern_examples(key.pattern, rng) if key.pattern else [])
    out = list(base)
    for text in base:
        out += [variant(text) for variant in _VARIANTS]
    out += [
        "no idea",
        "I don't know",
        "win win",
        "-",
        "\u2212",
        "\u201cquoted\u201d",
        "STRASSE",
        "stra\u00dfe",
        "\u03a3\u0391\u03a3",
    ]
    return out


def answers_for(q: Question, key: ItemKey, rng: random.Random) -> list[Any]:
    """Every answer worth trying for one question: blanks, the malformed, and the well formed of its type."""
    out: list[Any] = [None, "", [], {}, *MALFORMED]
    if q.type in ("single", "multiple"):
        ids = [o.id for o in q.options]
        out += ids + [[i] for i in ids] + [ids[0].upper(), ids + ["zz"], [ids[0], ids[0]]]
        if q.type == "multiple":
            out += [list(combo) for size in range(1, len(ids) + 1) for combo in itertools.combinations(ids, size)]
            out += [rng.sample(ids, len(ids)) for _ in range(5)]
    elif q.type == "true_false":
        out += [True, False, "true", "false", 1, 0]
    elif q.type == "ordering":
        ids = [i.id for i in q.items]
        orders = (
            list(itertools.permutations(ids)) if len(ids) <= 5 else [tuple(rng.sample(ids, len(ids))) for _ in range(MOST_ORDERS)]
        )
        out += [list(order) for order in orders[:MOST_ORDERS]]
        out += [ids[:-1], ids + [ids[0]], [*ids[:-1], ids[0]], ids + ["zz"], ",".join(ids)]
    elif q.type == "matching":
        pairs, choices = [p.id for p in q.pairs], [c.id for c in q.choices]
        if len(choices) ** len(pairs) <= MOST_MATCHINGS:
            out += [dict(zip(pairs, combo, strict=True)) for combo in itertools.product(choices, repeat=len(pairs))]
        else:
            out += [{p: rng.choice(choices) for p in pairs} for _ in range(MOST_MATCHINGS)]
        out += [{p: rng.choice(choices) for p in rng.sample(pairs, rng.randint(1, len(pairs)))} for _ in range(SAMPLE)]
        out += [
            {pairs[0]: "zz"},
            {"zz": choices[0]},
            {pairs[0]: True},
            {pairs[0]: 1},
            {pairs[0]: [choices[0]]},
            dict(key.correct),
        ]
    elif q.type == "short_text":
        out += _texts(key, rng) + [12, 3.25, 1e-05]
    return out


def answer_sets(questions: list[Question], keys: dict, rng: random.Random, count: int = SAMPLE) -> list[dict]:
    """Whole answer sets for a quiz or practice set: each question answered with one of its cases, or left out."""
    cases = {q.id: answers_for(q, keys[q.id], rng) for q in questions}
    return [{q.id: rng.choice(cases[q.id]) for q in questions if rng.random() < 0.85} for _ in range(count)]


def unicode_samples(rng: random.Random) -> list[str]:
    """Every code point on its own (but surrogates), then letters in context: a final sigma, runs of mixed scripts."""
    import unicodedata

    singles = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"]
    words = ["\u039f\u0394\u039f\u03a3", "\u1e9e\u00df", "\u0130stanbul", "\u13a0\uab70", "\ufb00\ufb01", "\u1f88\u1fb3"]
    mixed = ["".join(rng.choice(singles) for _ in range(rng.randint(2, 12))) for _ in range(2000)]
    return singles + words + [w + " " + w.lower() for w in words] + mixed


# Only used to describe a failing case readably.
def shown(value: Any) -> str:
    return re.sub(r"\s+", " ", repr(value))[:120]
