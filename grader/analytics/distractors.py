"""Distractor analysis for choice questions: how often the top and bottom thirds of the class chose each option. Pure."""

from __future__ import annotations

from typing import Any

FLAG_TEXT = (
    "stronger learners chose this wrong option more often than weaker ones: it may be arguably right, "
    "or the question may reward a misreading; check the option and the key"
)


def thirds(totals: list[float]) -> tuple[list[int], list[int]]:
    """Indexes of the top and bottom thirds of the class by total score (empty below three learners)."""
    size = len(totals) // 3
    if not size:
        return [], []
    order = sorted(range(len(totals)), key=lambda i: (-totals[i], i))
    return order[:size], order[-size:]


def _chose(item: dict[str, Any] | None, option: str) -> bool:
    if not item or not item.get("answered"):
        return False
    value = item.get("answer")
    return option in (map(str, value) if isinstance(value, list) else [str(value)])


def distractors(option_ids: list[str], right: set[str] | None, answers: list[dict | None], totals: list[float]) -> list[dict]:
    """Per option: the share of the top and of the bottom third who chose it, and a flag for a wrong option strong learners prefer."""
    top, bottom = thirds(totals)
    if not top:
        return []
    rows = []
    for option in option_ids:
        top_n = sum(_chose(answers[i], option) for i in top)
        bottom_n = sum(_chose(answers[i], option) for i in bottom)
        correct = None if right is None else option in right
        rows.append(
            {
                "option": option,
                "correct": correct,
                "top": top_n,
                "bottom": bottom_n,
                "top_share": top_n / len(top),
                "bottom_share": bottom_n / len(bottom),
                "group_size": len(top),
                "flag": correct is False and top_n > bottom_n,
            }
        )
    return rows
