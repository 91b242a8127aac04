"""courses/README.md describes the format the loader enforces: its examples load, and its
tables name exactly the loader's fields."""

from __future__ import annotations

import re
from pathlib import Path

from trainer.content import courses as loader
from trainer.content import load_course_dir, load_courses

README = (Path(__file__).resolve().parents[3] / "courses" / "README.md").read_text()


def example(language: str) -> str:
    (text,) = re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)
    return text


def table_fields(after: str) -> list[str]:
    """The `field` names in the first column of the first table after a heading."""
    section = README[README.index(after):]
    table = section[section.index("| field |"):]
    rows = table[: table.index("\n\n")].splitlines()[2:]
    return [re.match(r"\| `([\w.]+)` \|", row).group(1) for row in rows]


def test_the_examples_load_as_a_course(tmp_path):
    folder = tmp_path / "rx-intake"
    folder.mkdir()
    (folder / "course.yaml").write_text(example("yaml"))
    (folder / "01-sig-codes.md").write_text(example("markdown"))
    course = load_course_dir(folder, glossary={})
    assert (course.title, course.ce.topic, course.post_test.pass_mark) == (
        "Prescription intake and processing", "04", 80)
    assert course.modules[0].checks == ["rx-intake-kc-sig-01"]


def test_the_course_table_names_every_field_of_course_yaml():
    nested = {"ce": loader._CE_FIELDS, "post_test": loader._POST_TEST_FIELDS}
    expected = [f"{name}.{sub}" for name in loader._COURSE_FIELDS for sub in nested.get(name, ())] + [
        name for name in loader._COURSE_FIELDS if name not in nested]
    assert sorted(table_fields("## course.yaml")) == sorted(expected)


def test_the_module_table_names_every_field_of_the_front_matter():
    assert table_fields("## A module") == list(loader._MODULE_FIELDS)


def test_the_limits_in_the_readme_are_the_loaders():
    assert f"at most {loader.MAX_SLUG} characters" in README
    assert f"at most {loader.MAX_TITLE} characters" in README
    assert f"at most {loader.MAX_CE_HOURS}, in steps of 0.25" in README
    assert f"a whole number from 1 to {loader.MAX_MINUTES}" in README


def test_the_problem_example_is_how_a_problem_reads(tmp_path, monkeypatch):
    (line,) = re.findall(r"^    (courses/\S+\.md:\d+ .*)$", README, re.MULTILINE)
    where = re.match(r"courses/([\w-]+)/(\d\d)-([\w-]+)\.md:(\d+)", line)
    course, number, slug, line_number = where.groups()
    folder = tmp_path / "courses" / course
    folder.mkdir(parents=True)
    (folder / "course.yaml").write_text(example("yaml"))
    module = example("markdown")
    for n in range(1, int(number)):
        (folder / f"{n:02d}-filler-{n}.md").write_text(module.replace("[[check: rx-intake-kc-sig-01]]", ""))
    bad = module.replace("[[check: rx-intake-kc-sig-01]]", "[[quiz: rx-intake]]")
    at = bad[: bad.index("[[quiz")].count("\n") + 1
    bad = bad.replace("Text…\n", "Text…\n" + "\n" * (int(line_number) - at))  # to the README's line
    (folder / f"{number}-{slug}.md").write_text(bad)
    monkeypatch.chdir(tmp_path)
    try:
        load_courses("courses", {})
    except loader.ImportFailed as failed:
        assert [str(p) for p in failed.problems] == [line]
    else:
        raise AssertionError("the example problem was not reported")
