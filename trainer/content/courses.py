"""Course folders on disk: `courses/<slug>/course.yaml` plus `NN-slug.md` modules.

The format is courses/README.md. Loading validates every field, renders every module
(so an unknown directive fails the import, not a page view) and reports every problem
in every file at once, each with its file and line. Writing produces the same layout,
so an export loads back to equal courses.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from trainer.ce.post_test import DEFAULT_ATTEMPTS, DEFAULT_WAIT_HOURS, policy_problems

from .glossary import load_glossary
from .render import render_module
from .source import (
    ImportFailed,
    LineDict,
    LineList,
    ProblemList,
    SourceProblem,
    load_yaml,
    read_text,
)

COURSE_FILE = "course.yaml"
GLOSSARY_FILE = "glossary.yaml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MODULE_FILE = re.compile(r"(?P<number>\d\d)-(?P<slug>[^/\\]+)\.md")

AUDIENCES = ("students", "technicians", "both")
ACTIVITY_TYPES = ("knowledge", "application")
STATUSES = ("draft", "published")
CE_TOPICS = ("01", "02", "03", "04", "05", "06", "07", "08")  # ACPE topic designators

# ACPE Universal Activity Number PPPP-JJJJ-YY-SSS-FTT-A, e.g. 0669-0000-23-023-H03-T.
# Jointly accredited providers have letters in their ID (JA4008164), so the provider
# and joint-provider parts are four digits or letters followed by digits.
UAN = re.compile(
    r"(?P<provider>\d{4}|[A-Z]{1,3}\d{4,9})"
    r"-(?P<joint>\d{4}|[A-Z]{1,3}\d{4,9})"
    r"-(?P<year>\d{2})"
    r"-(?P<sequence>\d{3})"
    r"-(?P<format>[LHB])(?P<topic>\d{2})"  # live, home study, blended
    r"-(?P<audience>[PT])"  # pharmacist, technician
)

# The database's limits (and the authoring forms'), so a file that loads also saves, on
# PostgreSQL as on SQLite: a slug is at most 80 characters, a title 200.
MAX_SLUG = 80
MAX_TITLE = 200
MAX_CE_HOURS = 100
MAX_MINUTES = 600

_COURSE_FIELDS = (
    "title", "summary", "audience", "ce", "post_test", "prerequisites", "references", "status",
)  # fmt: skip
_CE_FIELDS = ("hours", "topic", "activity_type", "uan")
_POST_TEST_FIELDS = ("quiz", "pass_mark", "attempts", "wait_hours")
_MODULE_FIELDS = ("title", "objectives", "minutes", "references")


@dataclass
class CECredit:
    """The CE a course awards on completion."""

    hours: float  # contact hours, in steps of 0.25
    topic: str  # ACPE topic designator "01"–"08"
    activity_type: str  # knowledge | application
    uan: str | None = None


@dataclass
class PostTest:
    """The quiz that closes a course, and the percent needed to pass it."""

    quiz: str | None  # None only in a draft: the quiz is chosen before publishing
    pass_mark: int
    # Attempts a learner has, and hours between two of them (trainer.ce.post_test): optional.
    attempts: int = DEFAULT_ATTEMPTS
    wait_hours: int = DEFAULT_WAIT_HOURS


@dataclass
class ModuleSource:
    """One module as read from `NN-slug.md`: front matter, markdown and its rendering."""

    number: int
    slug: str
    title: str
    objectives: list[str]
    minutes: int
    references: list[str]
    markdown: str  # the body after the front matter, exactly as written
    html: str = ""  # sanitised, with knowledge-check placeholders
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # question ids, in page order
    plain_text: str = ""
    word_count: int = 0
    # Where it came from: for problem reports only, so not part of equality.
    file: str | None = field(default=None, compare=False)
    check_lines: list[int] = field(default_factory=list, compare=False)

    @property
    def filename(self) -> str:
        """The module's file name, `NN-slug.md`."""
        return f"{self.number:02d}-{self.slug}.md"

    @property
    def content_hash(self) -> str:
        """SHA-256 of what the author wrote (front matter and markdown), not of its layout."""
        return _digest(
            {
                "title": self.title,
                "objectives": list(self.objectives),
                "minutes": self.minutes,
                "references": list(self.references),
                "markdown": self.markdown,
            }
        )


@dataclass
class CourseSource:
    """One course folder: course.yaml and its modules in order."""

    slug: str
    title: str
    summary: str
    audience: str
    ce: CECredit
    post_test: PostTest
    prerequisites: list[str]
    references: list[str]
    status: str
    modules: list[ModuleSource] = field(default_factory=list)
    file: str | None = field(default=None, compare=False)  # path of course.yaml
    # Line of each field in course.yaml ("post_test.quiz", "prerequisites[0]"…).
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the course's fields and its modules' hashes: changes when anything does."""
        return _digest(
            {
                "course": _course_mapping(self),
                "modules": [[m.number, m.slug, m.content_hash] for m in self.modules],
            }
        )

    def line_of(self, key: str) -> int | None:
        """The line of a field in course.yaml ("post_test.quiz"), else of its parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return self.lines.get("")


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- loading -------------------------------------------------------------------------


def load_courses(root, glossary: Mapping[str, str] | None = None) -> list[CourseSource]:
    """Load every course folder under `root`, sorted by slug; raise one ImportFailed with all problems."""
    root = Path(root)
    if not root.is_dir():
        raise ImportFailed([SourceProblem(str(root), None, "is not a folder of courses")])
    problems: list[SourceProblem] = []
    glossary = _default_glossary(root, glossary, problems)
    courses, folders = [], set()
    for folder in sorted(root.iterdir()):
        # .git, .DS_Store and _drafts-style folders are not courses
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        folders.add(folder.name)
        course = _load_course(folder, glossary, problems)
        if course is not None:
            courses.append(course)
    # A course that failed to load is already reported; its dependants are not at fault.
    problems.extend(_prerequisite_problems(courses, folders))
    if problems:
        raise ImportFailed(problems)
    return courses


def load_course_dir(path, glossary: Mapping[str, str] | None = None) -> CourseSource:
    """Load one course folder; the glossary defaults to glossary.yaml beside the folder."""
    # Whether prerequisites exist needs the other courses: load_courses checks that.
    folder = Path(path)
    problems: list[SourceProblem] = []
    glossary = _default_glossary(folder.parent, glossary, problems)
    course = _load_course(folder, glossary, problems)
    if problems or course is None:
        raise ImportFailed(problems)
    return course


def _default_glossary(root: Path, glossary, problems: list[SourceProblem]) -> Mapping[str, str]:
    if glossary is not None:
        return glossary
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return {}
    try:
        return load_glossary(path)
    except ImportFailed as failed:
        problems.extend(failed.problems)
        return {}


def _load_course(
    folder: Path, glossary: Mapping[str, str], problems: list[SourceProblem]
) -> CourseSource | None:
    slug = folder.name
    course_file = folder / COURSE_FILE
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        problems.append(
            SourceProblem(
                str(folder), None, "a course folder's name is its slug: lowercase letters, "
                f"digits and single hyphens, at most {MAX_SLUG} characters", item=slug,
            )
        )  # fmt: skip
        return None
    if not course_file.is_file():
        problems.append(SourceProblem(str(folder), None, f"has no {COURSE_FILE}", item=slug))
        return None

    count_before = len(problems)
    course = _read_course_yaml(course_file, slug, problems)
    draft = course is not None and course.status == "draft"
    modules = _load_modules(folder, slug, glossary, problems, may_be_empty=draft)
    if course is None or len(problems) > count_before:
        return None
    course.modules = modules
    return course


def _read_course_yaml(path: Path, slug: str, problems: list[SourceProblem]) -> CourseSource | None:
    file = str(path)
    try:
        data = load_yaml(read_text(path, file), file)
    except ImportFailed as failed:
        problems.extend(replace(p, item=p.item or slug) for p in failed.problems)
        return None
    fields = _Fields(ProblemList(file), slug)
    if not isinstance(data, LineDict):
        fields.problems.add(1, "course.yaml must be a mapping of fields", item=slug)
        problems.extend(fields.problems.problems)
        return None

    fields.lines[""] = data.line or 1
    fields.no_unknown(data, _COURSE_FIELDS)
    title = fields.title(data)
    summary = _read_summary(fields, data)
    audience = fields.choice(data, "audience", AUDIENCES)
    ce = _read_ce(fields, data)
    post_test = _read_post_test(fields, data)
    prerequisites = _read_prerequisites(fields, data, slug)
    references = fields.text_list(data, "references", allow_empty=True)
    status = fields.choice(data, "status", STATUSES)
    # A draft written in the browser may not have its post-test yet; learners only ever
    # see published courses, and a published course must be completable.
    if post_test is not None and post_test.quiz is None and status == "published":
        fields.problems.add(
            fields.lines["post_test.quiz"], "is required for a published course (a draft may "
            "leave it null)", item=slug, field="post_test.quiz",
        )  # fmt: skip

    problems.extend(fields.problems.problems)
    if fields.problems:
        return None
    return CourseSource(
        slug=slug,
        title=title,
        summary=summary,
        audience=audience,
        ce=ce,
        post_test=post_test,
        prerequisites=prerequisites,
        references=references,
        status=status,
        file=file,
        lines=fields.lines,
    )


def _read_summary(fields: _Fields, data: LineDict) -> str | None:
    # The summary is markdown too, rendered when the course is saved: its problems are
    # the file's problems, found now rather than halfway through writing.
    summary = fields.text(data, "summary")
    if summary is None:
        return None
    try:
        rendered = render_module(summary)
    except ImportFailed as failed:
        for problem in failed.problems:
            fields.add(data, "summary", "summary", problem.message)
        return None
    if rendered.checks:
        fields.add(data, "summary", "summary",
                   "a summary cannot hold a knowledge check; put it in a module")
        return None
    return summary


def _read_ce(fields: _Fields, data: LineDict) -> CECredit | None:
    ce = fields.mapping(data, "ce", _CE_FIELDS)
    if ce is None:
        return None
    hours = fields.value(ce, "hours", "ce.hours")
    if hours is not None:
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            fields.add(ce, "hours", "ce.hours", "must be a number of hours, e.g. 1.5")
            hours = None
        elif hours <= 0 or not float(hours * 4).is_integer():
            fields.add(ce, "hours", "ce.hours", "must be more than 0, in steps of 0.25 hours")
            hours = None
        elif hours > MAX_CE_HOURS:
            fields.add(ce, "hours", "ce.hours", f"a course awards at most {MAX_CE_HOURS} hours")
            hours = None

    topic = fields.value(ce, "topic", "ce.topic")
    # An unquoted 04 reads as the number 4: unambiguous, so accept it.
    if isinstance(topic, int) and not isinstance(topic, bool) and 1 <= topic <= 8:
        topic = f"{topic:02d}"
    if topic is not None and topic not in CE_TOPICS:
        fields.add(
            ce, "topic", "ce.topic", f'must be an ACPE topic designator "01"–"08", not {topic!r}'
        )
        topic = None

    activity_type = fields.choice(ce, "activity_type", ACTIVITY_TYPES, "ce.activity_type")

    uan = ce.get("uan")
    if uan is not None:
        match = UAN.fullmatch(uan) if isinstance(uan, str) else None
        if match is None:
            fields.add(
                ce, "uan", "ce.uan",
                f"{uan!r} is not an ACPE UAN (PPPP-JJJJ-YY-SSS-FTT-A, e.g. 0669-0000-23-023-H03-T "
                "or JA4008164-0000-24-001-H05-T)",
            )  # fmt: skip
            uan = None
        elif match["topic"] not in CE_TOPICS:
            fields.add(
                ce, "uan", "ce.uan", f"the UAN's topic designator {match['topic']} is not 01–08"
            )
            uan = None
        elif topic is not None and match["topic"] != topic:
            fields.add(
                ce, "uan", "ce.uan",
                f"the UAN's topic designator {match['topic']} does not match ce.topic {topic}",
            )  # fmt: skip
    if None in (hours, topic, activity_type):
        return None
    return CECredit(hours=float(hours), topic=topic, activity_type=activity_type, uan=uan)


def _read_post_test(fields: _Fields, data: LineDict) -> PostTest | None:
    post_test = fields.mapping(data, "post_test", _POST_TEST_FIELDS)
    if post_test is None:
        return None
    quiz = None
    fields.lines["post_test.quiz"] = fields.line_of(post_test, "quiz")
    if post_test.get("quiz") is not None:  # null is for a draft: checked with the status
        quiz = fields.text(post_test, "quiz", "post_test.quiz")
    if quiz is not None and not SLUG.fullmatch(quiz):
        fields.add(
            post_test,
            "quiz",
            "post_test.quiz",
            f"{quiz!r} is not a quiz slug (lowercase letters, digits, hyphens)",
        )
        quiz = None
    pass_mark = fields.value(post_test, "pass_mark", "post_test.pass_mark")
    if pass_mark is not None and (
        isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100
    ):
        fields.add(
            post_test, "pass_mark", "post_test.pass_mark", "must be a whole percent from 1 to 100"
        )
        pass_mark = None
    limits = {}
    for name, default in (("attempts", DEFAULT_ATTEMPTS), ("wait_hours", DEFAULT_WAIT_HOURS)):
        fields.lines[f"post_test.{name}"] = fields.line_of(post_test, name)
        value = post_test.get(name, default)
        problem = dict(policy_problems(value, DEFAULT_WAIT_HOURS) if name == "attempts"
                       else policy_problems(DEFAULT_ATTEMPTS, value)).get(name)
        if problem:
            fields.add(post_test, name, f"post_test.{name}", problem)
            return None
        limits[name] = value
    if pass_mark is None or (quiz is None and post_test.get("quiz") is not None):
        return None
    return PostTest(quiz=quiz, pass_mark=pass_mark, **limits)


def _read_prerequisites(fields: _Fields, data: LineDict, slug: str) -> list[str]:
    if data.get("prerequisites") is None:  # optional: none
        return []
    prerequisites = fields.text_list(data, "prerequisites", allow_empty=True) or []
    items = data["prerequisites"]
    for index, prerequisite in enumerate(prerequisites):
        where = f"prerequisites[{index}]"
        line = items.line_of(index)
        fields.lines[where] = line
        if not SLUG.fullmatch(prerequisite):
            fields.problems.add(
                line, f"{prerequisite!r} is not a course slug", item=slug, field="prerequisites"
            )
        elif prerequisite == slug:
            fields.problems.add(
                line, "a course cannot be its own prerequisite", item=slug, field="prerequisites"
            )
        elif prerequisite in prerequisites[:index]:
            fields.problems.add(
                line, f"{prerequisite!r} is listed twice", item=slug, field="prerequisites"
            )
    return prerequisites


class _Fields:
    """Reads fields of one YAML file, recording each problem with its line and field name."""

    def __init__(self, problems: ProblemList, item: str):
        self.problems = problems
        self.item = item
        self.lines: dict[str, int] = {}

    def add(self, data: LineDict, key: str, name: str, message: str) -> None:
        self.problems.add(self.line_of(data, key), message, item=self.item, field=name)

    def no_unknown(self, data: LineDict, known: tuple[str, ...], prefix: str = "") -> None:
        for key in data:
            if key not in known:
                self.problems.add(
                    data.line_of(key),
                    f"unknown field {prefix}{key!r} (known: {', '.join(known)})",
                    item=self.item,
                )

    def value(self, data: LineDict, key: str, name: str | None = None):
        name = name or key
        self.lines[name] = self.line_of(data, key)
        value = data.get(key)
        if value is None:
            self.problems.add(self.lines[name], "is required", item=self.item, field=name)
        return value

    @staticmethod
    def line_of(data: LineDict, key: str) -> int | None:
        # A missing key inside `ce:` is reported on the `ce:` line, not on its first child.
        if key in data.key_lines:
            return data.key_lines[key]
        return getattr(data, "owner_line", None) or data.line

    def title(self, data: LineDict) -> str | None:
        title = self.text(data, "title")
        if title is not None and len(title) > MAX_TITLE:
            self.add(data, "title", "title", f"must be at most {MAX_TITLE} characters")
            return None
        return title

    def text(self, data: LineDict, key: str, name: str | None = None) -> str | None:
        name = name or key
        value = self.value(data, key, name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(data, key, name, "must be text")
            return None
        return value

    def choice(self, data: LineDict, key: str, options: tuple[str, ...], name: str | None = None):
        name = name or key
        value = self.value(data, key, name)
        if value is not None and value not in options:
            self.add(data, key, name, f"must be one of {', '.join(options)}, not {value!r}")
            return None
        return value

    def text_list(self, data: LineDict, key: str, *, allow_empty: bool, name: str | None = None):
        name = name or key
        self.lines[name] = data.line_of(key)
        value = data.get(key)
        if value is None and allow_empty and key in data:
            value = LineList()
            value.line, value.item_lines = data.line_of(key), []
        if not isinstance(value, LineList):
            self.add(data, key, name, "is required: a list" if value is None else "must be a list")
            return None
        if not value and not allow_empty:
            self.add(data, key, name, "must list at least one entry")
            return None
        texts = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problems.add(
                    value.line_of(index), "each entry must be text", item=self.item, field=name
                )
            else:
                texts.append(item)
        return texts if len(texts) == len(value) else None

    def mapping(self, data: LineDict, key: str, known: tuple[str, ...]) -> LineDict | None:
        value = self.value(data, key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.add(data, key, key, f"must be a mapping with {', '.join(known)}")
            return None
        value.owner_line = data.line_of(key)
        self.no_unknown(value, known, prefix=f"{key}.")
        return value


def _load_modules(
    folder: Path, course_slug: str, glossary: Mapping[str, str], problems: list[SourceProblem],
    *, may_be_empty: bool = False,
) -> list[ModuleSource]:
    by_number: dict[int, list[Path]] = {}
    by_slug: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix != ".md" or path.name.startswith("."):
            continue
        match = MODULE_FILE.fullmatch(path.name)
        if match is None or not SLUG.fullmatch(match["slug"]) or len(match["slug"]) > MAX_SLUG:
            problems.append(
                SourceProblem(
                    str(path), None, "a module file is named NN-slug.md: a two-digit number, a "
                    "hyphen, then lowercase letters, digits and hyphens (e.g. 03-sig-codes.md), "
                    f"the slug at most {MAX_SLUG} characters", item=course_slug,
                )
            )  # fmt: skip
            continue
        number, slug = int(match["number"]), match["slug"]
        by_number.setdefault(number, []).append(path)
        if slug in by_slug:
            problems.append(
                SourceProblem(
                    str(path), None, f"module slug {slug!r} is also used by {by_slug[slug].name}",
                    item=f"{course_slug}/{slug}",
                )
            )  # fmt: skip
        else:
            by_slug[slug] = path

    for number, paths in sorted(by_number.items()):
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            for path in paths:
                problems.append(
                    SourceProblem(
                        str(path),
                        None,
                        f"module number {number:02d} is used by {names}",
                        item=course_slug,
                    )
                )
    if not by_number:
        if not may_be_empty:  # a draft may be waiting for its first module
            problems.append(
                SourceProblem(
                    str(folder), None, "a published course needs at least one module "
                    "(NN-slug.md)", item=course_slug,
                )
            )  # fmt: skip
    else:
        expected = range(1, max(by_number) + 1)
        missing = [f"{n:02d}" for n in expected if n not in by_number]
        if missing:
            problems.append(
                SourceProblem(
                    str(folder), None, f"modules are numbered from 01 without gaps: missing "
                    f"{', '.join(missing)}", item=course_slug,
                )
            )  # fmt: skip

    modules = []
    for number, paths in sorted(by_number.items()):
        for path in paths:
            module = _load_module(path, number, course_slug, glossary, problems)
            if module is not None:
                modules.append(module)
    return modules


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line the body starts on), or None without front matter."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _load_module(
    path: Path,
    number: int,
    course_slug: str,
    glossary: Mapping[str, str],
    problems: list[SourceProblem],
) -> ModuleSource | None:
    file = str(path)
    slug = MODULE_FILE.fullmatch(path.name)["slug"]
    item = f"{course_slug}/{slug}"
    try:
        text = read_text(path, file)
        parts = _split_front_matter(text)
        if parts is None:
            raise ImportFailed(
                [
                    SourceProblem(
                        file, 1, "a module starts with YAML front matter between two '---' lines"
                    )
                ]
            )
        front_matter, body, body_line = parts
        data = load_yaml(front_matter, file, first_line=2)
    except ImportFailed as failed:
        problems.extend(replace(p, item=p.item or item) for p in failed.problems)
        return None

    fields = _Fields(ProblemList(file), item)
    if not isinstance(data, LineDict):
        fields.problems.add(2, "the front matter must be a mapping of fields", item=item)
        problems.extend(fields.problems.problems)
        return None
    fields.no_unknown(data, _MODULE_FIELDS)
    title = fields.title(data)
    objectives = fields.text_list(data, "objectives", allow_empty=False)
    minutes = fields.value(data, "minutes")
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES
    ):
        fields.add(data, "minutes", "minutes", f"must be a whole number of minutes from 1 to {MAX_MINUTES}")
        minutes = None
    references = fields.text_list(data, "references", allow_empty=False)
    if not body.strip():
        fields.problems.add(body_line, "the module has no text after its front matter", item=item)

    rendered = None
    try:
        rendered = render_module(body, glossary, file=file, first_line=body_line)
    except ImportFailed as failed:
        fields.problems.problems.extend(replace(p, item=p.item or item) for p in failed.problems)

    problems.extend(fields.problems.problems)
    if fields.problems or rendered is None:
        return None
    return ModuleSource(
        number=number,
        slug=slug,
        title=title,
        objectives=objectives,
        minutes=minutes,
        references=references,
        markdown=body,
        html=rendered.html,
        toc=rendered.toc,
        checks=rendered.checks,
        plain_text=rendered.plain_text,
        word_count=rendered.word_count,
        file=file,
        check_lines=rendered.check_lines,
    )


def _prerequisite_problems(courses: list[CourseSource], folders: set[str]) -> list[SourceProblem]:
    known = {course.slug: course for course in courses}
    problems = []
    for course in courses:
        for index, prerequisite in enumerate(course.prerequisites):
            if prerequisite not in folders:
                problems.append(
                    SourceProblem(
                        course.file, course.line_of(f"prerequisites[{index}]"),
                        f"prerequisite {prerequisite!r} is not a course", item=course.slug,
                        field="prerequisites",
                    )
                )  # fmt: skip

    # A cycle would make every course in it impossible to start.
    state: dict[str, str] = {}

    def visit(slug: str, path: list[str]) -> None:
        state[slug] = "visiting"
        for prerequisite in known[slug].prerequisites:
            if prerequisite not in known:
                continue
            if state.get(prerequisite) == "visiting":
                cycle = path[path.index(prerequisite) :] + [prerequisite]
                course = known[slug]
                problems.append(
                    SourceProblem(
                        course.file, course.line_of("prerequisites"),
                        f"prerequisites go round in a circle: {' → '.join(cycle)}",
                        item=slug, field="prerequisites",
                    )
                )  # fmt: skip
            elif prerequisite not in state:
                visit(prerequisite, [*path, prerequisite])
        state[slug] = "done"

    for slug in known:
        if slug not in state:
            visit(slug, [slug])
    return problems


def check_references(
    courses: list[CourseSource], question_ids: Collection[str], quiz_slugs: Collection[str]
) -> list[SourceProblem]:
    """Problems for post-test quizzes and knowledge checks that the question bank lacks."""
    problems = []
    for course in courses:
        if course.post_test.quiz is not None and course.post_test.quiz not in quiz_slugs:
            problems.append(
                SourceProblem(
                    course.file or f"{course.slug}/{COURSE_FILE}", course.line_of("post_test.quiz"),
                    f"post-test quiz {course.post_test.quiz!r} is not in the question bank",
                    item=course.slug, field="post_test.quiz",
                )
            )  # fmt: skip
        for module in course.modules:
            lines = module.check_lines or [None] * len(module.checks)
            for question, line in zip(module.checks, lines, strict=False):
                if question not in question_ids:
                    problems.append(
                        SourceProblem(
                            module.file or f"{course.slug}/{module.filename}", line,
                            f"knowledge check {question!r} is not a question in the bank",
                            item=f"{course.slug}/{module.slug}",
                        )
                    )  # fmt: skip
    return problems


# --- writing -------------------------------------------------------------------------


_STR_TAG = "tag:yaml.org,2002:str"


class _CourseDumper(yaml.SafeDumper):
    """Writes YAML the way the README shows it: indented lists, `|` blocks for long text."""

    def ignore_aliases(self, data):
        """Write shared values out in full: the loader refuses anchors and aliases."""
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = None
    if "\n" in value:
        style = "|"
    elif dumper.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        style = '"'  # text that would read back as a number, a date or null: topic: "04"
    return dumper.represent_scalar(_STR_TAG, value, style=style)


class _Quoted(str):
    """Text always written in double quotes, as the README writes references."""


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted):
    return dumper.represent_scalar(_STR_TAG, str(value), style='"')


_CourseDumper.add_representer(str, _represent_text)
_CourseDumper.add_representer(_Quoted, _represent_quoted)


def _dump(mapping: dict) -> str:
    return yaml.dump(
        mapping,
        Dumper=_CourseDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # one reference a line, however long
    )


def _hours(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _post_test_mapping(post_test) -> dict:
    mapping = {"quiz": post_test.quiz, "pass_mark": post_test.pass_mark}
    # Written when they differ from the defaults, so a course written before they existed
    # keeps its file and its hash.
    if (post_test.attempts, post_test.wait_hours) != (DEFAULT_ATTEMPTS, DEFAULT_WAIT_HOURS):
        mapping.update(attempts=post_test.attempts, wait_hours=post_test.wait_hours)
    return mapping


def _course_mapping(course) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "audience": course.audience,
        "ce": {
            "hours": _hours(course.ce.hours),
            "topic": course.ce.topic,
            "activity_type": course.ce.activity_type,
            "uan": course.ce.uan,
        },
        "post_test": _post_test_mapping(course.post_test),
        "prerequisites": list(course.prerequisites),
        "references": [_Quoted(r) for r in course.references],
        "status": course.status,
    }


def module_file_text(module) -> str:
    """The text of a module file: front matter between '---' lines, then the markdown."""
    front_matter = {
        "title": module.title,
        "objectives": list(module.objectives),
        "minutes": module.minutes,
        "references": [_Quoted(r) for r in module.references],
    }
    return f"---\n{_dump(front_matter)}---\n{module.markdown}"


def write_course(course, root) -> Path:
    """Write a course (a CourseSource or anything shaped like one) as root/<slug>/; return the folder."""
    # Only the authored fields are read (not html, toc…), so the database export can pass
    # its own objects. Module files no longer in the course are removed, so the folder
    # loads back to exactly this course.
    if not SLUG.fullmatch(course.slug):
        raise ValueError(f"not a course slug: {course.slug!r}")
    names = []
    for module in course.modules:
        if not SLUG.fullmatch(module.slug) or not 1 <= module.number <= 99:
            raise ValueError(
                f"module {module.number!r} {module.slug!r} cannot be written as NN-slug.md"
            )
        names.append(f"{module.number:02d}-{module.slug}.md")
    if len(set(names)) != len(names) or len({m.number for m in course.modules}) != len(names):
        raise ValueError(f"course {course.slug!r} has two modules with the same number or name")

    folder = Path(root) / course.slug
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / COURSE_FILE, _dump(_course_mapping(course)))
    for name, module in zip(names, course.modules, strict=True):
        _write_atomically(folder / name, module_file_text(module))
    for stale in folder.iterdir():
        if stale.is_file() and MODULE_FILE.fullmatch(stale.name) and stale.name not in names:
            stale.unlink()
    return folder


def _write_atomically(path: Path, text: str) -> None:
    # A reader (or a crash) never sees half a file: write beside it, then rename over it.
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
