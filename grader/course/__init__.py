"""The course files: their model as dataclasses, loading and checking them, practice sets, lesson references, coverage, the site's copy.

course = load_course("path/to/course", keys=True)    # raises CourseError listing every problem
course.quizzes["five-step-process"].questions[0]
course.practice["five-step-process#clarify"].keys["clarify-2"]     # practice: public, keys included
"""

from grader.common.problems import CourseError
from grader.course.coverage import CoverageRow, coverage
from grader.course.load import find_root, inspect_course, load_course
from grader.course.model import (
    TYPES,
    AntiPattern,
    Choice,
    Course,
    ItemKey,
    Key,
    Model,
    PracticeSet,
    Question,
    Quiz,
    Source,
    Step,
    dialogue_activity,
    version_of,
)
from grader.course.public import load_public

__all__ = [
    "TYPES",
    "AntiPattern",
    "Choice",
    "Course",
    "CourseError",
    "CoverageRow",
    "ItemKey",
    "Key",
    "Model",
    "PracticeSet",
    "Question",
    "Quiz",
    "Source",
    "Step",
    "coverage",
    "dialogue_activity",
    "find_root",
    "inspect_course",
    "load_course",
    "load_public",
    "version_of",
]
