"""Each statistic in plain words, in the ranges Moodle's quiz statistics documentation and the psychometrics literature use. Pure."""

from __future__ import annotations

from grader.common.text import num, pct

# Moodle's "Quiz report statistics" (docs.moodle.org, Development:Quiz_report_statistics): facility index bands.
FACILITY_BANDS = (
    (0.05, "extremely hard: almost no one earns it; check the key and the wording"),
    (0.10, "very hard"),
    (0.20, "hard"),
    (0.35, "moderately hard"),
    (0.65, "about right for the average learner"),
    (0.80, "fairly easy"),
    (0.90, "easy"),
    (0.95, "very easy: it tells you little about who has learned the step"),
    (1.01, "extremely easy: almost everyone earns it, so it separates no one"),
)
# Moodle's discrimination index bands (the same page), which match Ebel and Frisbie's (1991) rule of thumb.
DISCRIMINATION_BANDS = (
    (0.0, "invalid: stronger learners do worse on it than weaker ones; check the key"),
    (0.20, "very weak: it barely separates learners who know the material from those who do not"),
    (0.30, "weak"),
    (0.50, "adequate"),
    (1.01, "very good: it separates stronger from weaker learners well"),
)
# Reliability: Moodle calls above 0.75 satisfactory and below 0.64 unsatisfactory; Nunnally and Bernstein
# (Psychometric Theory, 1994) ask 0.80 for decisions about groups and 0.90 for decisions about one person.
ALPHA_INDIVIDUAL, ALPHA_GROUP, ALPHA_SATISFACTORY, ALPHA_LOW = 0.90, 0.80, 0.75, 0.64


def coefficient(value: float | None) -> str:
    """A coefficient as the literature prints it: 0.75, never 75%."""
    return "\u2013" if value is None else f"{value:.2f}"


def _band(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    return next(words for top, words in bands if value < top)


def facility_reading(facility: float | None) -> str:
    """How hard a question was for this class."""
    return "no one answered it" if facility is None else _band(facility, FACILITY_BANDS)


def discrimination_reading(index: float | None) -> str:
    """Whether a question separates stronger from weaker learners."""
    if index is None:
        return "cannot tell: everyone scored the same on it, or on the rest of the quiz"
    return _band(index, DISCRIMINATION_BANDS)


def alpha_reading(alpha: float | None, questions: int) -> str:
    """What the quiz's internal consistency means for a decision based on its score."""
    if alpha is None:
        return "cannot be worked out: it needs more than two learners and more than one question"
    at = f"{coefficient(alpha)} on {questions} questions"
    if alpha >= ALPHA_INDIVIDUAL:
        return f"{at}: high; the score is consistent enough to support a decision about one learner"
    if alpha >= ALPHA_GROUP:
        return f"{at}: good for comparing groups and for a check-up; for a pass or fail on one learner, add other evidence"
    if alpha >= ALPHA_SATISFACTORY:
        return (
            f"{at}: satisfactory for a short quiz; fine for spotting what the class needs, "
            "but too low to pass or fail one learner on this score alone (0.90 or more is the usual bar)"
        )
    if alpha >= ALPHA_LOW:
        return f"{at}: borderline; some questions measure something else; use the score as a rough guide only"
    return f"{at}: low; the questions pull in different directions and the score says little on its own; look at the questions flagged below"


def spread_reading(sd_share: float | None) -> str:
    """Whether the scores are bunched up or spread out (Moodle suggests 12% to 18% of the maximum)."""
    if sd_share is None:
        return "needs two learners or more"
    if sd_share < 0.12:
        return "bunched together: the quiz separates learners little"
    if sd_share <= 0.18:
        return "a healthy spread"
    return "widely spread: the class is split between those who have it and those who do not"


def skew_reading(skewness: float | None) -> str:
    """Whether scores pile up at the top or the bottom."""
    if skewness is None:
        return "needs three learners or more"
    if skewness <= -1:
        return "most learners scored high, with a few far below"
    if skewness >= 1:
        return "most learners scored low, with a few far above"
    return "scores are spread about evenly either side of the middle"


def error_reading(standard_error: float | None, maximum: float) -> str:
    """The standard error in points: how far one learner's score may sit from what they really know."""
    if standard_error is None:
        return "cannot be worked out without the consistency"
    band = 2 * standard_error
    return (
        f"a learner's score could be about {num(standard_error)} points ({pct(standard_error / maximum if maximum else None, 0)}) "
        f"either way from what they really know; two scores less than {num(band)} points apart are not reliably different"
    )
