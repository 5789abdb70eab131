"""Learning modules: course packages loaded from folders, validated, searched (no Qt here).

The format is described for authors in courses/README.md. The UI uses `load_catalogue`,
`Catalogue`, `Course`, `step_text` and the rich-text helpers on StepText and QuizOption.
"""

from kiosk.core.courses.catalogue import (
    BrokenPackage,
    Catalogue,
    find_packages,
    load_catalogue,
    load_packages,
)
from kiosk.core.courses.loader import LoadedPackage, load_package
from kiosk.core.courses.model import (
    Block,
    BulletList,
    Course,
    Image,
    Paragraph,
    Quiz,
    QuizOption,
    Step,
    StepKind,
    StepText,
    inline_html,
    resolve_language,
    step_text,
)
from kiosk.core.courses.problems import Problem
from kiosk.core.courses.search import normalise
from kiosk.core.courses.validate import CheckResult, check_courses

__all__ = [
    "Block",
    "BrokenPackage",
    "BulletList",
    "Catalogue",
    "CheckResult",
    "Course",
    "Image",
    "LoadedPackage",
    "Paragraph",
    "Problem",
    "Quiz",
    "QuizOption",
    "Step",
    "StepKind",
    "StepText",
    "check_courses",
    "find_packages",
    "inline_html",
    "load_catalogue",
    "load_package",
    "load_packages",
    "normalise",
    "resolve_language",
    "step_text",
]
