"""Importing a CPE Monitor-style CSV: good rows parse, each bad row is named by its line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trainer.ce.transcripts import (
    EXPORT_COLUMNS,
    MAX_IMPORT_BYTES,
    read_transcript_csv,
    spreadsheet_safe,
    write_csv,
)

HEADER = "Activity Date,ACPE UAN,Title,Provider,Hours\r\n"


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\r\n" for row in rows)).encode()


def test_good_rows_are_read():
    rows, problems = read_transcript_csv(csv_of(
        "2025-03-01,0669-0000-25-001-H03-T,Law for technicians,ASHP,1.5",
        '03/15/2025,JA4008164-0000-24-027-H05-T,"Safety, step by step",APhA,2',
    ))  # fmt: skip
    assert problems == []
    assert [(r.line, r.completed, r.uan, r.hours, r.topic, r.audience) for r in rows] == [
        (2, date(2025, 3, 1), "0669-0000-25-001-H03-T", Decimal("1.5"), "03", "T"),
        (3, date(2025, 3, 15), "JA4008164-0000-24-027-H05-T", Decimal("2"), "05", "T"),
    ]
    assert rows[1].title == "Safety, step by step"


def test_cpe_monitors_live_and_home_hours_are_added():
    header = "Activity Date,ACPE UAN,Title,Provider,Topic Designators,Live Hours,Home Hours\r\n"
    rows, problems = read_transcript_csv(csv_of("2025-03-01,0669-0000-25-001-L03-T,Law,ASHP,03,1,0.5", header=header))
    assert problems == [] and rows[0].hours == Decimal("1.5")


def test_column_order_and_case_do_not_matter_and_a_bom_is_ignored():
    raw = "\ufefftitle,HOURS,acpe uan,activity date\r\nLaw,1,0669-0000-25-001-H03-T,2025-03-01\r\n".encode()
    rows, problems = read_transcript_csv(raw)
    assert problems == [] and rows[0].title == "Law"


def test_bad_rows_are_listed_by_their_line_in_the_file():
    rows, problems = read_transcript_csv(csv_of(
        "2025-03-01,0669-0000-25-001-H03-T,Good,ASHP,1",
        "2025-13-01,0669-0000-25-002-H03-T,Bad date,ASHP,1",
        "2025-03-01,0669-0000-25-003-H09-T,Bad topic,ASHP,1",
        "2025-03-01,0669-0000-25-004-H03-T,,ASHP,1",
        "2025-03-01,0669-0000-25-005-H03-T,Bad hours,ASHP,lots",
        "2025-03-01,0669-0000-25-006-H03-T,Zero hours,ASHP,0",
    ))  # fmt: skip
    assert len(rows) == 1
    assert [(p.line, p.field) for p in problems] == [
        (3, "Activity Date"), (4, "ACPE UAN"), (5, "Title"), (6, "Hours"), (7, "Hours"),
    ]
    assert str(problems[1]).startswith("Line 4: The topic designator is 01–08")


def test_blank_lines_are_skipped_but_line_numbers_stay_true():
    rows, problems = read_transcript_csv(csv_of("", "2025-03-01,bad,Title,ASHP,1"))
    assert [p.line for p in problems] == [3]


def test_a_topic_column_that_disagrees_with_the_uan_is_refused():
    header = "Activity Date,ACPE UAN,Title,Hours,Topic Designators\r\n"
    _, problems = read_transcript_csv(csv_of("2025-03-01,0669-0000-25-001-H03-T,Law,1,05", header=header))
    assert problems[0].field == "Topic Designators"


def test_a_header_without_required_columns_is_refused():
    _, problems = read_transcript_csv(b"Name,Hours\r\nLaw,1\r\n")
    assert str(problems[0]) == "Line 1: the header has no Activity Date, ACPE UAN, Title column."


def test_an_empty_or_binary_file_is_refused():
    assert read_transcript_csv(b"")[1][0].field == "file"
    assert read_transcript_csv(b"\x00\x01\x02")[1][0].message == "is not a text (CSV) file."
    assert read_transcript_csv(HEADER.encode())[1][0].message == "has a header but no activities."


def test_a_file_over_1_mb_is_refused():
    assert "larger than 1 MB" in read_transcript_csv(b"x" * (MAX_IMPORT_BYTES + 1))[1][0].message


@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_problems_never_an_exception(raw):
    rows, problems = read_transcript_csv(raw)
    assert rows or problems


def test_exported_cells_cannot_run_as_spreadsheet_formulas():
    assert spreadsheet_safe("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("1.5") == "1.5"


def test_an_exported_transcript_imports_again():
    text = write_csv(EXPORT_COLUMNS, [[
        "2025-03-01", "Law", "ASHP", "0669-0000-25-001-H03-T", "03", "T", "ACPE-accredited CE", "home study",
        "1.5", "1.5", "",
    ]])  # fmt: skip
    rows, problems = read_transcript_csv(text.encode())
    assert problems == [] and rows[0].hours == Decimal("1.5")
