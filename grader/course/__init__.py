"""The course files: their model as dataclasses, loading and checking them, practice sets, lesson references, coverage, the site's copy.

course = load_course("path/to/course", keys=True)    # raises CourseError listing every problem
course.quizzes["five-step-process"].questions[0]
course.practice["five-step-process#clarify"].keys["clarify-2"]     # practice: public, keys included
"""

import importlib
from typing import TYPE_CHECKING, Any

from grader.common.problems import CourseError
from grader.course.coverage import CoverageRow, coverage
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

if TYPE_CHECKING:
    from grader.course.load import find_root, inspect_course, load_course
    from grader.course.public import load_public

# Loading and checking the files brings in JSON Schema and the YAML reader; code that needs only the model's classes
# (every command's start, grader --help) should not pay for them, so the loaders are imported on first use.
_LOADERS = {"find_root": "load", "inspect_course": "load", "load_course": "load", "load_public": "public"}


def __getattr__(name: str) -> Any:
    """find_root, inspect_course, load_course and load_public, imported the first time one is asked for."""
    if name not in _LOADERS:
        raise AttributeError(f"module 'grader.course' has no attribute '{name}'")
    return getattr(importlib.import_module(f"grader.course.{_LOADERS[name]}"), name)


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
