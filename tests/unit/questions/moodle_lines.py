"""A Moodle XML export of three numerical questions whose third is broken (its answer is not a
number), for the tests that a problem names its line: in the reader, the import page and the CLI."""

from __future__ import annotations

THREE_DOSAGES = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Dosage</text></category>
  </question>
  <question type="numerical">
    <name><text>Dosage 1</text></name>
    <questiontext format="html"><text>How many mL of 250 mg/5 mL hold 500 mg?</text></questiontext>
    <generalfeedback format="html"><text>500 / 250 * 5 = 10 mL.</text></generalfeedback>
    <answer fraction="100"><text>10</text><tolerance>0</tolerance></answer>
  </question>
  <question type="numerical">
    <name><text>Dosage 2</text></name>
    <questiontext format="html"><text>How many tablets of 5 mg make 15 mg?</text></questiontext>
    <generalfeedback format="html"><text>15 / 5 = 3.</text></generalfeedback>
    <answer fraction="100"><text>3</text><tolerance>0</tolerance></answer>
  </question>
  <question type="numerical">
    <name><text>Dosage 3</text></name>
    <questiontext format="html"><text>How many mg are in 2 mL of 10 mg/mL?</text></questiontext>
    <generalfeedback format="html"><text>2 * 10 = 20 mg.</text></generalfeedback>
    <answer fraction="100"><text>twenty</text><tolerance>0</tolerance></answer>
  </question>
</quiz>
"""


def line_of_text(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# the <question> element of "Dosage 3" starts on the line before its name
DOSAGE_3_LINE = line_of_text(THREE_DOSAGES, "<name><text>Dosage 3") - 1
