"""Course content, pure: markdown rendering and sanitising, course and module files.

Nothing here imports Flask, SQLAlchemy or the models: the CLI import/export and the
authoring pages call these functions and store what they return.
"""

from .courses import (
    CECredit,
    CourseSource,
    ModuleSource,
    PostTest,
    check_references,
    load_course_dir,
    load_courses,
    module_file_text,
    write_course,
)
from .glossary import load_glossary
from .render import RenderedModule, plain_text_of, render_module
from .sanitize import sanitize_html
from .source import ImportFailed, SourceProblem

__all__ = [
    "CECredit",
    "CourseSource",
    "ImportFailed",
    "ModuleSource",
    "PostTest",
    "RenderedModule",
    "SourceProblem",
    "check_references",
    "load_course_dir",
    "load_courses",
    "load_glossary",
    "module_file_text",
    "plain_text_of",
    "render_module",
    "sanitize_html",
    "write_course",
]
