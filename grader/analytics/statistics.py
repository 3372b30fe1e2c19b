"""The numbers behind class statistics: means, spreads, Moodle's item analysis and reliability, score bands, flags. Pure."""

from __future__ import annotations

import math
from typing import Any

# Step mastery: share of the evidence earned.
MASTERED = 0.8


WEAK = 0.5


# Item flags. Moodle marks a question as dubious when its discriminative efficiency is below 15%.
FACILITY_HIGH = 0.9


FACILITY_LOW = 0.2


DISCRIMINATION_LOW = 0.2


EFFICIENCY_LOW = 0.15


BANDS = 10


def mean(xs: list[float]) -> float | None:
    """Arithmetic mean; None for no values."""
    return sum(xs) / len(xs) if xs else None


def variance(xs: list[float]) -> float | None:
    """Sample variance (divides by n - 1), as Moodle uses throughout; None below 2 values."""
    if len(xs) < 2:
        return None
    m = sum(xs) / len(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def covariance(xs: list[float], ys: list[float]) -> float | None:
    """Sample covariance (divides by n - 1); None below 2 pairs."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def median(xs: list[float]) -> float | None:
    """Middle value; the mean of the two middle values for an even count."""
    if not xs:
        return None
    s, half = sorted(xs), len(xs) // 2
    return s[half] if len(s) % 2 else (s[half - 1] + s[half]) / 2


def describe(totals: list[float]) -> dict:
    """Count, mean, median, standard deviation (sample), skewness and kurtosis, by Moodle's formulas."""
    n = len(totals)
    out: dict[str, Any] = {"n": n, "mean": mean(totals), "median": median(totals), "sd": None, "skewness": None, "kurtosis": None}
    if n < 2:
        return out
    m = out["mean"]
    p2, p3, p4 = (sum((x - m) ** k for x in totals) for k in (2, 3, 4))
    out["sd"] = math.sqrt(p2 / (n - 1))
    if n > 2:
        m2, m3, m4 = p2 / n, p3 / n, p4 / n
        k2 = n * m2 / (n - 1)
        k3 = n * n * m3 / ((n - 1) * (n - 2))
        if k2:
            out["skewness"] = k3 / k2**1.5
            if n > 3:
                k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
                out["kurtosis"] = k4 / (k2 * k2)
    return out


def item_analysis(matrix: list[list[float]], maxima: list[float]) -> tuple[list[dict], dict]:
    """Moodle's item statistics for each column of `matrix` (rows: learners), and the quiz's internal consistency.

    Per item: facility = mean ÷ max; sd (sample); discrimination = Pearson correlation of
    the item score with the rest of the quiz; efficiency = covariance(item, rest) ÷ the
    covariance of the two sorted lists (the largest covariance those two sets of values allow).
    Quiz: coefficient of internal consistency = p/(p-1) × (1 − Σ item variances ÷ total variance),
    error ratio = √(1 − CIC), standard error = SD × error ratio.
    """
    n, p = len(matrix), len(maxima)
    totals = [sum(row) for row in matrix]
    items, variances = [], []
    for j, top in enumerate(maxima):
        x = [row[j] for row in matrix]
        rest = [t - v for t, v in zip(totals, x, strict=True)]
        var_x, var_rest, cov = variance(x), variance(rest), covariance(x, rest)
        cov_max = covariance(sorted(x), sorted(rest))
        average = mean(x)
        variances.append(var_x or 0.0)
        items.append(
            {
                "n": n,
                "mean": average,
                "facility": average / top if average is not None and top else None,
                "sd": math.sqrt(var_x) if var_x is not None else None,
                "discrimination": cov / math.sqrt(var_x * var_rest) if cov is not None and var_x and var_rest else None,
                "efficiency": cov / cov_max if cov is not None and cov_max else None,
                "dichotomous": all(v in (0, top) for v in x),
            }
        )
    quiz = describe(totals)
    k2 = variance(totals)
    cic = None
    if n > 2 and p > 1 and k2:
        cic = p / (p - 1) * (1 - sum(variances) / k2)
    error_ratio = math.sqrt(1 - cic) if cic is not None and cic <= 1 else None
    quiz.update(
        {
            "items": p,
            "cic": cic,
            "cic_method": "KR-20" if items and all(i["dichotomous"] for i in items) else "Cronbach's alpha",
            "error_ratio": error_ratio,
            "standard_error": error_ratio * quiz["sd"] if error_ratio is not None and quiz["sd"] is not None else None,
        }
    )
    return items, quiz


def distribution(percents: list[float], bands: int = BANDS) -> list[dict]:
    """How many scores fall in each band of the percentage scale; the top band includes 100%."""
    width = 100 / bands
    counts = [0] * bands
    for value in percents:
        counts[min(bands - 1, max(0, int(value // width)))] += 1
    return [
        {
            "low": round(i * width, 6),
            "high": round((i + 1) * width, 6),
            "label": f"{i * width:g}–{(i + 1) * width - (0 if i == bands - 1 else 1):g}%",
            "count": c,
        }
        for i, c in enumerate(counts)
    ]


def flags(item: dict) -> list[dict]:
    """Plain-language warnings for one question's statistics."""
    out = []
    facility, di, de = item.get("facility"), item.get("discrimination"), item.get("efficiency")
    if facility is not None and facility >= FACILITY_HIGH:
        out.append(
            {
                "code": "too-easy",
                "label": "too easy",
                "text": "almost everyone gets this right: it tells you little about who has learned the step",
            }
        )
    elif facility is not None and facility <= FACILITY_LOW:
        out.append(
            {
                "code": "too-hard",
                "label": "too hard",
                "text": "almost no one gets this right: check the key, the wording and how the lesson teaches it",
            }
        )
    if di is not None and di < 0:
        out.append(
            {
                "code": "negative-discrimination",
                "label": "negative discrimination",
                "text": "strong learners miss this more often than weak ones: check the key",
            }
        )
    elif (di is not None and di < DISCRIMINATION_LOW) or (de is not None and de < EFFICIENCY_LOW):
        out.append(
            {
                "code": "low-discrimination",
                "label": "weak discrimination",
                "text": "it barely separates learners who know the material from those who do not: sharpen the wrong options or the wording",
            }
        )
    return out
