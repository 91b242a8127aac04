"""Loading course folders: a good course, and every kind of bad file with its file and line."""

from __future__ import annotations

import pytest

from trainer.content import (
    CECredit,
    ImportFailed,
    PostTest,
    check_references,
    load_course_dir,
    load_courses,
)

from .factories import (
    COURSE_YAML,
    GLOSSARY_YAML,
    MODULE_MD,
    SECOND_MODULE_MD,
    make_course,
    make_glossary,
)


def problems_of(call, *args, **kwargs):
    """The problems of the ImportFailed that call(*args) raises."""
    with pytest.raises(ImportFailed) as failed:
        call(*args, **kwargs)
    return failed.value.problems


def only_problem(call, *args, **kwargs):
    (problem,) = problems_of(call, *args, **kwargs)
    return problem


def bad_course(tmp_path, old: str, new: str):
    """A course whose course.yaml has one line changed; returns the folder."""
    assert old in COURSE_YAML
    return make_course(tmp_path, course_yaml=COURSE_YAML.replace(old, new))


def bad_module(tmp_path, old: str, new: str, name: str = "01-sig-codes.md"):
    """A course whose first module has one piece of text changed; returns the folder."""
    assert old in MODULE_MD
    return make_course(
        tmp_path,
        modules={name: MODULE_MD.replace(old, new), "02-ndc-numbers.md": SECOND_MODULE_MD},
    )


# --- a good course -------------------------------------------------------------------


def test_good_course_loads_every_field(tmp_path):
    make_glossary(tmp_path)
    course = load_course_dir(make_course(tmp_path))

    assert course.slug == "rx-intake"
    assert course.title == "Prescription intake and processing"
    assert course.summary == "From the prescription in hand to a clean claim.\n"
    assert course.audience == "both"
    assert course.ce == CECredit(hours=2.0, topic="04", activity_type="knowledge", uan=None)
    assert course.post_test == PostTest(quiz="rx-intake-post-test", pass_mark=80)
    assert course.prerequisites == []
    assert course.references == ["21 CFR 1306.05 — manner of issuance of prescriptions"]
    assert course.status == "published"
    assert course.file == str(tmp_path / "rx-intake" / "course.yaml")
    assert course.line_of("post_test.quiz") == 11

    first, second = course.modules
    assert (first.number, first.slug, first.filename) == (1, "sig-codes", "01-sig-codes.md")
    assert first.title == "Reading the sig"
    assert first.objectives == ["Translate common sig abbreviations into patient directions"]
    assert first.minutes == 20
    assert first.references == [
        "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations"
    ]
    assert first.markdown == MODULE_MD.split("---\n", 2)[2]
    assert first.checks == ["rx-intake-kc-sig-01"]
    assert first.check_lines == [14]
    assert first.toc == [(1, "reading-the-sig", "Reading the sig"), (2, "routes", "Routes")]
    assert '<abbr title="twice a day">bid</abbr>' in first.html  # the glossary beside the folder
    assert '<div class="knowledge-check" data-question="rx-intake-kc-sig-01"></div>' in first.html
    assert first.plain_text.startswith("Reading the sig\nTake one tablet po bid for ten days.")
    assert first.word_count == 17
    assert first.file == str(tmp_path / "rx-intake" / "01-sig-codes.md")
    assert (second.number, second.slug, second.checks) == (
        2,
        "ndc-numbers",
        ["rx-intake-kc-ndc-01", "rx-intake-kc-ndc-02"],
    )


def test_optional_fields_and_accepted_variants(tmp_path):
    text = (
        COURSE_YAML.replace("  hours: 2\n", "  hours: 0.25\n")
        .replace('  topic: "04"\n', "  topic: 05\n")  # unquoted: read as 5, meant as "05"
        .replace("  uan: null\n", "  uan: JA4008164-0000-24-001-H05-T\n")
        .replace("prerequisites: []\n", "")
    )
    course = load_course_dir(make_course(tmp_path, course_yaml=text))
    assert course.ce == CECredit(0.25, "05", "knowledge", "JA4008164-0000-24-001-H05-T")
    assert course.prerequisites == []


@pytest.mark.parametrize(
    "uan", ["0669-0000-23-023-H04-T", "0669-0000-23-023-L04-P", "JA4008164-9999-21-104-H04-T"]
)
def test_real_uan_shapes_are_accepted(tmp_path, uan):
    course = load_course_dir(bad_course(tmp_path, "  uan: null", f"  uan: {uan}"))
    assert course.ce.uan == uan


def test_explicit_glossary_overrides_the_file_beside_the_folder(tmp_path):
    make_glossary(tmp_path)
    course = load_course_dir(make_course(tmp_path), glossary={})
    assert "<abbr" not in course.modules[0].html


def test_bom_and_windows_line_ends_are_read(tmp_path):
    folder = make_course(tmp_path)
    for path in folder.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    course = load_course_dir(folder)
    assert course.title == "Prescription intake and processing"
    assert course.modules[0].check_lines == [14]


def test_content_hash_changes_with_content_not_with_location(tmp_path):
    one = load_course_dir(make_course(tmp_path / "a"))
    two = load_course_dir(make_course(tmp_path / "b"))
    assert one.content_hash == two.content_hash
    assert one.modules[0].content_hash == two.modules[0].content_hash
    changed = load_course_dir(
        make_course(
            tmp_path / "c",
            modules={
                "01-sig-codes.md": MODULE_MD.replace("ten days", "seven days"),
                "02-ndc-numbers.md": SECOND_MODULE_MD,
            },
        )
    )
    assert changed.modules[0].content_hash != one.modules[0].content_hash
    assert changed.modules[1].content_hash == one.modules[1].content_hash
    assert changed.content_hash != one.content_hash


def test_load_courses_reads_every_folder_sorted_and_skips_files_and_hidden_folders(tmp_path):
    make_glossary(tmp_path)
    (tmp_path / "README.md").write_text("# Course files\n")
    (tmp_path / ".git").mkdir()
    make_course(
        tmp_path, "safety", COURSE_YAML.replace("prerequisites: []", "prerequisites: [intake]")
    )
    make_course(tmp_path, "intake")
    courses = load_courses(tmp_path)
    assert [c.slug for c in courses] == ["intake", "safety"]
    assert courses[1].prerequisites == ["intake"]
    assert "<abbr" in courses[0].modules[0].html


# --- course.yaml problems --------------------------------------------------------------


def test_invalid_yaml_names_file_and_line(tmp_path):
    folder = bad_course(tmp_path, "audience: both", "audience: [both")
    problem = only_problem(load_course_dir, folder)
    assert problem.file == str(folder / "course.yaml")
    assert problem.line == 5
    assert problem.message.startswith("not valid YAML")
    assert problem.item == "rx-intake"


def test_duplicate_key_is_invalid_yaml(tmp_path):
    folder = bad_course(tmp_path, "status: published", "status: published\ntitle: Again")
    problem = only_problem(load_course_dir, folder)
    assert problem.line == 17 and "duplicate key 'title'" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("title: Prescription intake and processing", "titel: Prescription intake", 1, "title"),
        ("audience: both", "audience:", 4, "audience"),
        ('  topic: "04"', "  topic_id: x", 5, "ce.topic"),
    ],
)
def test_missing_field_names_file_line_and_field(tmp_path, old, new, line, field):
    folder = bad_course(tmp_path, old, new)
    problems = problems_of(load_course_dir, folder)
    missing = [p for p in problems if p.field == field]
    assert [(p.file, p.line, p.message) for p in missing] == [
        (str(folder / "course.yaml"), line, "is required")
    ]


def test_unknown_field_is_reported(tmp_path):
    folder = bad_course(tmp_path, "status: published", "status: published\nauthor: Sam")
    problem = only_problem(load_course_dir, folder)
    assert problem.line == 17
    assert problem.message.startswith("unknown field 'author'")


@pytest.mark.parametrize("topic", ['"09"', '"00"', '"4"', "9", "'law'", "04.0"])
def test_bad_topic(tmp_path, topic):
    problem = only_problem(
        load_course_dir, bad_course(tmp_path, '  topic: "04"', f"  topic: {topic}")
    )
    assert (problem.line, problem.field) == (7, "ce.topic")
    assert "ACPE topic designator" in problem.message


@pytest.mark.parametrize("hours", ["0", "-1", "1.3", "0.1", '"2"', "two", "true", "[]"])
def test_bad_hours(tmp_path, hours):
    problem = only_problem(load_course_dir, bad_course(tmp_path, "  hours: 2", f"  hours: {hours}"))
    assert (problem.line, problem.field) == (6, "ce.hours")


@pytest.mark.parametrize(
    "uan",
    [
        "0669-0000-23-023-H04",  # no audience
        "669-0000-23-023-H04-T",  # provider too short
        "0669-0000-2023-023-H04-T",  # four-digit year
        "0669-0000-23-23-H04-T",  # sequence too short
        "0669-0000-23-023-X04-T",  # unknown format letter
        "0669-0000-23-023-H04-X",  # unknown audience
        "0669-0000-23-023-h04-t",  # lowercase
        "0669000023023H04T",  # no hyphens
        "JA-4008164-0000-24-001-H04-T",
        "12345",
    ],
)
def test_bad_uan(tmp_path, uan):
    problem = only_problem(load_course_dir, bad_course(tmp_path, "  uan: null", f'  uan: "{uan}"'))
    assert (problem.line, problem.field) == (9, "ce.uan")
    assert "not an ACPE UAN" in problem.message


def test_uan_topic_must_match_the_course_topic(tmp_path):
    problem = only_problem(
        load_course_dir, bad_course(tmp_path, "  uan: null", "  uan: 0669-0000-23-023-H05-T")
    )
    assert (problem.line, problem.field) == (9, "ce.uan")
    assert "does not match ce.topic 04" in problem.message


def test_uan_topic_must_be_a_known_designator(tmp_path):
    problem = only_problem(
        load_course_dir, bad_course(tmp_path, "  uan: null", "  uan: 0669-0000-23-023-H12-T")
    )
    assert "is not 01–08" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("audience: both", "audience: pharmacists", 4, "audience"),
        ("  activity_type: knowledge", "  activity_type: practice", 8, "ce.activity_type"),
        ("status: published", "status: live", 16, "status"),
        ("  pass_mark: 80", "  pass_mark: 0", 12, "post_test.pass_mark"),
        ("  pass_mark: 80", "  pass_mark: 101", 12, "post_test.pass_mark"),
        ("  pass_mark: 80", "  pass_mark: 80.5", 12, "post_test.pass_mark"),
        ("  pass_mark: 80", '  pass_mark: "80"', 12, "post_test.pass_mark"),
        ("  quiz: rx-intake-post-test", "  quiz: Rx Intake", 11, "post_test.quiz"),
        ("  pass_mark: 80", "  pass_mark: 80\n  attempts: 0", 13, "post_test.attempts"),
        ("  pass_mark: 80", "  pass_mark: 80\n  attempts: 2.5", 13, "post_test.attempts"),
        ("  pass_mark: 80", "  pass_mark: 80\n  wait_hours: -1", 13, "post_test.wait_hours"),
        ("  pass_mark: 80", '  pass_mark: 80\n  wait_hours: "a day"', 13, "post_test.wait_hours"),
        ("title: Prescription intake and processing", "title: 42", 1, "title"),
        ("title: Prescription intake and processing", 'title: "  "', 1, "title"),
        ("title: Prescription intake and processing", "title: " + "A" * 201, 1, "title"),
        ("  hours: 2", "  hours: 100.25", 6, "ce.hours"),
        ("  From the prescription in hand to a clean claim.", "  See [[quiz: x]] first.", 2, "summary"),
        ("  From the prescription in hand to a clean claim.", "  [[check: rx-intake-kc-sig-01]]", 2,
         "summary"),
        ("references:\n", "references: a book\n", 14, "references"),
        ("prerequisites: []", "prerequisites: [Other Course]", 13, "prerequisites"),
        ("prerequisites: []", "prerequisites: [rx-intake]", 13, "prerequisites"),
        ("prerequisites: []", "prerequisites: [a, a]", 13, "prerequisites"),
        (
            "post_test:\n  quiz: rx-intake-post-test\n  pass_mark: 80",
            "post_test: quiz",
            10,
            "post_test",
        ),
    ],
)
def test_bad_values_name_line_and_field(tmp_path, old, new, line, field):
    folder = make_course(tmp_path, course_yaml=COURSE_YAML.replace(old, new))
    problem = only_problem(load_course_dir, folder)
    assert (problem.file, problem.line, problem.field) == (str(folder / "course.yaml"), line, field)


def test_course_yaml_that_is_not_a_mapping(tmp_path):
    problem = only_problem(load_course_dir, make_course(tmp_path, course_yaml="- just a list\n"))
    assert problem.line == 1 and "mapping" in problem.message


def test_the_limits_are_inclusive(tmp_path):
    folder = make_course(tmp_path, course_yaml=COURSE_YAML.replace("  hours: 2", "  hours: 100").replace(
        "title: Prescription intake and processing", "title: " + "A" * 200))
    course = load_course_dir(folder)
    assert (course.ce.hours, len(course.title)) == (100, 200)


def test_folder_name_longer_than_a_slug_column(tmp_path):
    folder = make_course(tmp_path / "x")
    longer = folder.rename(folder.parent / ("a" * 81))
    problem = only_problem(load_course_dir, longer)
    assert problem.file == str(longer) and "at most 80 characters" in problem.message


def test_module_slug_longer_than_a_slug_column(tmp_path):
    folder = make_course(tmp_path, modules={"01-sig-codes.md": MODULE_MD, "02-" + "a" * 81 + ".md": SECOND_MODULE_MD})
    problem = only_problem(load_course_dir, folder)
    assert problem.file.endswith(".md") and "at most 80 characters" in problem.message


def test_folder_without_course_yaml(tmp_path):
    folder = make_course(tmp_path, course_yaml=None)
    problem = only_problem(load_course_dir, folder)
    assert (problem.file, problem.message) == (str(folder), "has no course.yaml")


def test_folder_name_must_be_a_slug(tmp_path):
    problem = only_problem(load_course_dir, make_course(tmp_path, "Rx Intake"))
    assert "slug" in problem.message


def test_every_problem_in_one_file_is_reported(tmp_path):
    text = (
        COURSE_YAML.replace("audience: both", "audience: nobody")
        .replace('  topic: "04"', '  topic: "10"')
        .replace("  pass_mark: 80", "  pass_mark: 200")
    )
    problems = problems_of(load_course_dir, make_course(tmp_path, course_yaml=text))
    assert [(p.line, p.field) for p in problems] == [
        (4, "audience"),
        (7, "ce.topic"),
        (12, "post_test.pass_mark"),
    ]


# --- module files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "intro.md",
        "1-intro.md",
        "001-intro.md",
        "01_intro.md",
        "01-Intro.md",
        "01-.md",
        "01-a--b.md",
    ],
)
def test_module_file_without_proper_numbering(tmp_path, name):
    folder = make_course(tmp_path, modules={"01-sig-codes.md": MODULE_MD, name: SECOND_MODULE_MD})
    problem = only_problem(load_course_dir, folder)
    assert problem.file == str(folder / name)
    assert "NN-slug.md" in problem.message


def test_duplicate_module_numbers_name_both_files(tmp_path):
    folder = make_course(
        tmp_path, modules={"01-sig-codes.md": MODULE_MD, "01-ndc-numbers.md": SECOND_MODULE_MD}
    )
    problems = problems_of(load_course_dir, folder)
    assert sorted(p.file for p in problems) == [
        str(folder / "01-ndc-numbers.md"),
        str(folder / "01-sig-codes.md"),
    ]
    assert all("module number 01 is used by" in p.message for p in problems)


def test_duplicate_module_slugs(tmp_path):
    folder = make_course(
        tmp_path, modules={"01-sig-codes.md": MODULE_MD, "02-sig-codes.md": SECOND_MODULE_MD}
    )
    problem = only_problem(load_course_dir, folder)
    assert problem.file == str(folder / "02-sig-codes.md")
    assert "also used by 01-sig-codes.md" in problem.message


def test_missing_module_number(tmp_path):
    folder = make_course(
        tmp_path, modules={"01-sig-codes.md": MODULE_MD, "03-ndc-numbers.md": SECOND_MODULE_MD}
    )
    problem = only_problem(load_course_dir, folder)
    assert problem.file == str(folder)
    assert problem.message == "modules are numbered from 01 without gaps: missing 02"


def test_numbering_must_start_at_01(tmp_path):
    folder = make_course(tmp_path, modules={"02-sig-codes.md": MODULE_MD})
    assert "missing 01" in only_problem(load_course_dir, folder).message


def test_published_course_without_modules(tmp_path):
    folder = make_course(tmp_path, modules={})
    assert "at least one module" in only_problem(load_course_dir, folder).message


@pytest.mark.parametrize("quiz", ["  quiz: null", "  quiz:"])
def test_published_course_without_a_post_test_quiz(tmp_path, quiz):
    problem = only_problem(load_course_dir, bad_course(tmp_path, "  quiz: rx-intake-post-test", quiz))
    assert (problem.line, problem.field) == (11, "post_test.quiz")
    assert problem.message.startswith("is required for a published course")


def test_a_draft_may_wait_for_its_post_test_quiz_and_its_modules(tmp_path):
    course_yaml = COURSE_YAML.replace("  quiz: rx-intake-post-test", "  quiz: null").replace(
        "status: published", "status: draft")
    course = load_course_dir(make_course(tmp_path, course_yaml=course_yaml, modules={}))
    assert (course.post_test, course.modules) == (PostTest(quiz=None, pass_mark=80), [])
    assert check_references([course], set(), set()) == []


def test_other_files_in_the_folder_are_ignored(tmp_path):
    folder = make_course(tmp_path)
    (folder / "images").mkdir()
    (folder / "label.png").write_bytes(b"\x89PNG")
    (folder / ".01-draft.md.swp").write_text("x")
    assert len(load_course_dir(folder).modules) == 2


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("---\ntitle: Reading the sig\n", "title: Reading the sig\n", 1, "front matter"),
        ("  - \"ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations\"\n---\n",
         "  - \"ISMP\"\n\n# No closing line\n", 1, "front matter"),
        ("minutes: 20", "minutes: [20", 6, "not valid YAML"),  # where YAML gives up
        ("title: Reading the sig", "title:", 2, "is required"),
        ("title: Reading the sig", "title: [a, b]", 2, "must be text"),
        ("objectives:\n  - Translate common sig abbreviations into patient directions",
         "objectives: []", 3, "at least one"),
        ("objectives:\n  - Translate common sig abbreviations into patient directions",
         "objectives: Translate sigs", 3, "must be a list"),
        ("objectives:\n  - Translate common sig abbreviations into patient directions",
         "objectives:\n  - Translate\n  - ", 5, "must be text"),
        ("minutes: 20", "minutes: 0", 5, "whole number of minutes"),
        ("minutes: 20", "minutes: 12.5", 5, "whole number of minutes"),
        ("minutes: 20", 'minutes: "20"', 5, "whole number of minutes"),
        ("minutes: 20", "minutes: true", 5, "whole number of minutes"),
        ("minutes: 20", "minutes: 601", 5, "whole number of minutes from 1 to 600"),
        ("minutes: 20", "minutes: 99999999999", 5, "whole number of minutes"),
        ("title: Reading the sig", "title: " + "A" * 201, 2, "at most 200 characters"),
        ("minutes: 20\n", "", 2, "is required"),
        ("references:\n  - \"ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations\"\n",
         "references: []\n", 6, "at least one"),
        ("minutes: 20", "minutes: 20\nauthor: Sam", 6, "unknown field 'author'"),
        ("title: Reading the sig\nobjectives:\n  - Translate common sig abbreviations into patient directions\nminutes: 20\nreferences:\n  - \"ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations\"\n",
         "- a list\n", 2, "mapping"),
    ],
)  # fmt: skip
def test_bad_front_matter_names_file_and_line(tmp_path, old, new, line, message):
    folder = bad_module(tmp_path, old, new)
    problem = only_problem(load_course_dir, folder)
    assert problem.file == str(folder / "01-sig-codes.md")
    assert problem.line == line
    assert message in problem.message
    assert problem.item == "rx-intake/sig-codes"


def test_module_without_text(tmp_path):
    folder = make_course(
        tmp_path, modules={"01-sig-codes.md": MODULE_MD.split("\n# Reading")[0] + "\n"}
    )
    problem = only_problem(load_course_dir, folder)
    assert problem.line == 9 and "no text" in problem.message


def test_unknown_directive_names_file_and_line_after_the_front_matter(tmp_path):
    folder = bad_module(tmp_path, "[[check: rx-intake-kc-sig-01]]", "[[quiz: rx-intake]]")
    problem = only_problem(load_course_dir, folder)
    assert (problem.file, problem.line, problem.item) == (
        str(folder / "01-sig-codes.md"),
        14,
        "rx-intake/sig-codes",
    )
    assert problem.message == "unknown directive 'quiz' (known: check)"


def test_problem_reads_like_the_readme_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_course(
        tmp_path / "courses",
        modules={
            "01-ndc-numbers.md": SECOND_MODULE_MD,
            "02-dea.md": SECOND_MODULE_MD.replace("kc-ndc", "kc-dea"),
            "03-sig-codes.md": MODULE_MD.replace("[[check: rx-intake-kc-sig-01]]", "[[quiz: x]]"),
        },
    )
    (problem,) = problems_of(load_courses, "courses")
    assert str(problem) == (
        "courses/rx-intake/03-sig-codes.md:14 [rx-intake/sig-codes] unknown directive 'quiz' (known: check)"
    )


def test_not_utf8(tmp_path):
    folder = make_course(tmp_path)
    (folder / "01-sig-codes.md").write_bytes(MODULE_MD.encode("utf-8") + b"\n\xff\xfe bad\n")
    problem = only_problem(load_course_dir, folder)
    assert problem.line == 20 and "UTF-8" in problem.message


# --- across courses --------------------------------------------------------------------


def test_all_problems_across_all_files_are_reported_together(tmp_path):
    make_course(tmp_path, "alpha", COURSE_YAML.replace("status: published", "status: maybe"))
    make_course(
        tmp_path,
        "beta",
        modules={
            "01-sig-codes.md": MODULE_MD.replace("minutes: 20", "minutes: -5"),
            "03-x.md": SECOND_MODULE_MD,
        },
    )
    make_course(tmp_path, "gamma", course_yaml=None)
    problems = problems_of(load_courses, tmp_path)
    assert [(p.file.removeprefix(str(tmp_path) + "/"), p.line) for p in problems] == [
        ("alpha/course.yaml", 16),
        ("beta", None),
        ("beta/01-sig-codes.md", 5),
        ("gamma", None),
    ]


def test_prerequisite_must_be_a_loaded_course(tmp_path):
    make_course(
        tmp_path,
        "safety",
        COURSE_YAML.replace("prerequisites: []", "prerequisites:\n  - intake\n  - law"),
    )
    make_course(tmp_path, "intake")
    problem = only_problem(load_courses, tmp_path)
    assert (problem.file, problem.line, problem.field) == (
        str(tmp_path / "safety" / "course.yaml"),
        15,
        "prerequisites",
    )
    assert problem.message == "prerequisite 'law' is not a course"


def test_prerequisite_that_failed_to_load_is_not_reported_twice(tmp_path):
    make_course(
        tmp_path, "safety", COURSE_YAML.replace("prerequisites: []", "prerequisites: [intake]")
    )
    make_course(tmp_path, "intake", COURSE_YAML.replace("status: published", "status: maybe"))
    (problem,) = problems_of(load_courses, tmp_path)
    assert problem.file == str(tmp_path / "intake" / "course.yaml")


def test_prerequisite_cycle(tmp_path):
    make_course(
        tmp_path, "alpha", COURSE_YAML.replace("prerequisites: []", "prerequisites: [beta]")
    )
    make_course(
        tmp_path, "beta", COURSE_YAML.replace("prerequisites: []", "prerequisites: [alpha]")
    )
    problem = only_problem(load_courses, tmp_path)
    assert "alpha → beta → alpha" in problem.message


def test_bad_glossary_beside_the_courses_is_reported(tmp_path):
    make_glossary(tmp_path, GLOSSARY_YAML.replace("  NPI: National Provider Identifier", "  q.d.: daily"))
    make_course(tmp_path)
    problem = only_problem(load_courses, tmp_path)
    assert problem.file == str(tmp_path / "glossary.yaml") and problem.line == 5


def test_root_that_is_not_a_folder(tmp_path):
    assert "not a folder" in only_problem(load_courses, tmp_path / "nope").message


# --- references into the question bank -------------------------------------------------


def test_check_references_all_known(tmp_path):
    courses = load_courses(make_course(tmp_path).parent)
    questions = {"rx-intake-kc-sig-01", "rx-intake-kc-ndc-01", "rx-intake-kc-ndc-02"}
    assert check_references(courses, questions, {"rx-intake-post-test"}) == []


def test_check_references_names_missing_quiz_and_questions_with_lines(tmp_path):
    folder = make_course(tmp_path)
    courses = load_courses(tmp_path)
    problems = check_references(courses, {"rx-intake-kc-ndc-01"}, {"another-quiz"})
    assert [(p.file, p.line, p.item, p.message) for p in problems] == [
        (
            str(folder / "course.yaml"),
            11,
            "rx-intake",
            "post-test quiz 'rx-intake-post-test' is not in the question bank",
        ),
        (
            str(folder / "01-sig-codes.md"),
            14,
            "rx-intake/sig-codes",
            "knowledge check 'rx-intake-kc-sig-01' is not a question in the bank",
        ),
        (
            str(folder / "02-ndc-numbers.md"),
            17,
            "rx-intake/ndc-numbers",
            "knowledge check 'rx-intake-kc-ndc-02' is not a question in the bank",
        ),
    ]


def test_a_post_test_without_attempt_rules_gets_three_attempts_a_day_apart(tmp_path):
    course = load_course_dir(make_course(tmp_path), glossary={})
    assert (course.post_test.attempts, course.post_test.wait_hours) == (3, 24)


def test_a_course_sets_its_own_post_test_attempts_and_wait(tmp_path):
    yaml_text = COURSE_YAML.replace("  pass_mark: 80", "  pass_mark: 80\n  attempts: 5\n  wait_hours: 0")
    course = load_course_dir(make_course(tmp_path, course_yaml=yaml_text), glossary={})
    assert (course.post_test.attempts, course.post_test.wait_hours) == (5, 0)
