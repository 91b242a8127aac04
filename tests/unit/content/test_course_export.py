"""write_course: the files it writes load back to an equal course."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.content import (
    CECredit,
    CourseSource,
    ModuleSource,
    PostTest,
    load_course_dir,
    load_courses,
    write_course,
)
from trainer.content.courses import module_file_text

from .factories import COURSE_YAML, make_course, make_glossary


def test_round_trip_load_write_load_is_equal(tmp_path):
    make_glossary(tmp_path / "source")
    original = load_course_dir(make_course(tmp_path / "source"))
    make_glossary(tmp_path / "export")

    folder = write_course(original, tmp_path / "export")

    assert folder == tmp_path / "export" / "rx-intake"
    again = load_course_dir(folder)
    assert again == original
    assert again.content_hash == original.content_hash
    assert again.modules[0].html == original.modules[0].html
    assert [m.check_lines for m in again.modules] == [m.check_lines for m in original.modules]


def test_written_files_match_the_readme_layout(tmp_path):
    course = load_course_dir(make_course(tmp_path / "source"))
    folder = write_course(course, tmp_path / "export")
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-sig-codes.md",
        "02-ndc-numbers.md",
        "course.yaml",
    ]
    assert (folder / "course.yaml").read_text() == COURSE_YAML
    module = (folder / "01-sig-codes.md").read_text()
    assert module == (tmp_path / "source" / "rx-intake" / "01-sig-codes.md").read_text()


def test_writing_twice_gives_the_same_text(tmp_path):
    course = load_course_dir(make_course(tmp_path / "source"))
    first = write_course(course, tmp_path / "one")
    second = write_course(load_course_dir(first), tmp_path / "two")
    for path in first.iterdir():
        assert (second / path.name).read_text() == path.read_text()


def test_round_trip_of_every_course_under_a_root(tmp_path):
    make_course(tmp_path / "src", "intake")
    make_course(
        tmp_path / "src",
        "safety",
        COURSE_YAML.replace("prerequisites: []", "prerequisites: [intake]"),
    )
    courses = load_courses(tmp_path / "src")
    for course in courses:
        write_course(course, tmp_path / "out")
    assert load_courses(tmp_path / "out") == courses


def test_non_integral_hours_uan_and_prerequisites_round_trip(tmp_path):
    course = load_course_dir(make_course(tmp_path / "src"))
    course.ce = CECredit(
        hours=1.75, topic="05", activity_type="application", uan="JA4008164-0000-24-001-H05-T"
    )
    course.prerequisites = ["calc-fundamentals"]
    course.status = "draft"
    folder = write_course(course, tmp_path / "out")
    text = (folder / "course.yaml").read_text()
    assert "  hours: 1.75\n" in text and '  topic: "05"\n' in text
    assert "prerequisites:\n  - calc-fundamentals\n" in text
    assert load_course_dir(folder) == course


def test_stale_module_files_are_removed_and_others_kept(tmp_path):
    course = load_course_dir(make_course(tmp_path / "src"))
    folder = make_course(tmp_path / "out")
    (folder / "03-old-module.md").write_text("---\n---\nold\n")
    (folder / "notes.txt").write_text("keep me")
    course.modules = course.modules[:1]
    write_course(course, tmp_path / "out")
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-sig-codes.md",
        "course.yaml",
        "notes.txt",
    ]
    assert load_course_dir(folder) == course


def test_a_course_built_by_hand_can_be_written_and_loaded(tmp_path):
    """The export from the database builds CourseSource itself; rendered fields are optional."""
    module = ModuleSource(
        number=1,
        slug="intro",
        title="Intro: why it matters",
        objectives=["Say why"],
        minutes=5,
        references=['Source with "quotes" and: a colon'],
        markdown="\n# Intro\n\nText bid.\n\n[[check: kc-1]]\n",
    )
    course = CourseSource(
        slug="by-hand",
        title="By hand",
        summary="Line one\nline two\n",
        audience="technicians",
        ce=CECredit(hours=1, topic="03", activity_type="knowledge"),
        post_test=PostTest(quiz="by-hand-post", pass_mark=75),
        prerequisites=[],
        references=[],
        status="draft",
        modules=[module],
    )
    loaded = load_course_dir(write_course(course, tmp_path), glossary={})
    assert loaded.modules[0].checks == ["kc-1"]
    assert loaded.content_hash == course.content_hash
    stripped = dataclasses.replace(
        loaded,
        modules=[
            dataclasses.replace(m, html="", toc=[], checks=[], plain_text="", word_count=0)
            for m in loaded.modules
        ],
    )
    assert stripped == course


@pytest.mark.parametrize("slug", ["../escape", "a/b", "", "Upper", "a b"])
def test_write_refuses_slugs_that_are_not_file_names(tmp_path, slug):
    course = load_course_dir(make_course(tmp_path / "src"))
    with pytest.raises(ValueError, match="slug"):
        write_course(dataclasses.replace(course, slug=slug), tmp_path / "out")
    course.modules[0].slug = slug
    with pytest.raises(ValueError, match="NN-slug.md"):
        write_course(course, tmp_path / "out")
    assert not (tmp_path / "escape").exists()


def test_write_refuses_two_modules_with_one_number(tmp_path):
    course = load_course_dir(make_course(tmp_path / "src"))
    course.modules[1].number = 1
    with pytest.raises(ValueError, match="same number"):
        write_course(course, tmp_path / "out")


def test_no_temporary_files_are_left_behind(tmp_path):
    course = load_course_dir(make_course(tmp_path / "src"))
    folder = write_course(course, tmp_path / "out")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


# --- property: any reasonable text survives the round trip -----------------------------

_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
        exclude_characters="\u2028\u2029\x85\ufeff",
    ),
    min_size=1,
    max_size=40,
).filter(str.strip)
_markdown_body = st.lists(_text, min_size=1, max_size=5).map(
    lambda lines: "\n" + "\n\n".join(lines) + "\n"
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=_text,
    summary=st.lists(_text, min_size=1, max_size=3).map("\n".join),
    objectives=st.lists(_text, min_size=1, max_size=3),
    references=st.lists(_text, min_size=1, max_size=3),
    minutes=st.integers(min_value=1, max_value=600),
    hours=st.integers(min_value=1, max_value=80).map(lambda quarters: quarters / 4),
    markdown=_markdown_body,
)
def test_round_trip_property(
    tmp_path_factory, title, summary, objectives, references, minutes, hours, markdown
):
    root = Path(tmp_path_factory.mktemp("prop"))
    module = ModuleSource(
        1, "m", title, objectives, minutes, references, markdown.replace("[[", "[ [")
    )
    course = CourseSource(
        slug="prop",
        title=title,
        summary=summary,
        audience="both",
        ce=CECredit(hours=hours, topic="01", activity_type="knowledge"),
        post_test=PostTest(quiz="q", pass_mark=80),
        prerequisites=[],
        references=references,
        status="published",
        modules=[module],
    )
    loaded = load_course_dir(write_course(course, root), glossary={})
    assert loaded.content_hash == course.content_hash
    assert module_file_text(loaded.modules[0]) == module_file_text(module)


def test_post_test_attempt_rules_other_than_the_defaults_are_written_and_read_back(tmp_path):
    from dataclasses import replace

    course = load_course_dir(make_course(tmp_path / "source"))
    course = replace(course, post_test=replace(course.post_test, attempts=5, wait_hours=0))
    again = load_course_dir(write_course(course, tmp_path / "export"))
    assert (again.post_test.attempts, again.post_test.wait_hours) == (5, 0)
