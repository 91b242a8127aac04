"""Class lists read from CSV, and cohort join codes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trainer.teaching.join_codes import ALPHABET, new_join_code, normalise_join_code
from trainer.teaching.roster import MAX_ROWS, read_roster


def summary(rows):
    return [(r.line, r.email, r.name, r.problem) for r in rows]


def test_one_email_a_line():
    rows, problems = read_roster("ana@example.org\nBen@Example.ORG\n")
    assert problems == []
    assert summary(rows) == [(1, "ana@example.org", "", ""), (2, "ben@example.org", "", "")]


def test_a_header_names_the_email_and_name_columns_in_any_order():
    rows, _ = read_roster("Name,E-mail address,Student ID\nAna Ruiz,ana@example.org,123\n")
    assert summary(rows) == [(2, "ana@example.org", "Ana Ruiz", "")]


def test_without_a_header_the_name_may_follow_the_email():
    rows, _ = read_roster("ana@example.org,Ana Ruiz\n")
    assert summary(rows) == [(1, "ana@example.org", "Ana Ruiz", "")]


def test_semicolons_and_tabs_separate_fields_too():
    rows, _ = read_roster("email;name\nana@example.org;Ana Ruiz\n")
    assert rows[0].name == "Ana Ruiz"
    rows, _ = read_roster("email\tname\nana@example.org\tAna Ruiz\n")
    assert rows[0].name == "Ana Ruiz"


def test_each_bad_line_gets_its_own_problem_and_the_good_ones_stay():
    rows, problems = read_roster("email\nana@example.org\nnot-an-email\n\nana@example.org\n,Ben\nben@example.org\n")
    assert problems == []
    assert summary(rows) == [
        (2, "ana@example.org", "", ""),
        (3, "not-an-email", "", "is not an email address"),
        (5, "ana@example.org", "", "is listed twice (first on line 2)"),
        (6, "", "", "no email on this line"),
        (7, "ben@example.org", "", ""),
    ]


def test_an_empty_file_and_a_header_alone_are_problems_of_the_file():
    assert read_roster(" \n\n")[1] == [("file", "is empty: paste one email a line, or a CSV with an email column")]
    assert read_roster("email,name\n")[1] == [("file", "has a header but no emails under it")]


def test_a_byte_order_mark_and_control_characters_are_ignored():
    rows, _ = read_roster("\ufeffemail\nana@exa\x00mple.org\n")
    assert rows[0].email == "ana@example.org"


def test_too_many_rows_is_a_problem_of_the_file():
    text = "".join(f"learner{i}@example.org\n" for i in range(MAX_ROWS + 1))
    rows, problems = read_roster(text)
    assert len(rows) == MAX_ROWS and problems and "more than" in problems[0][1]


@given(st.text(max_size=300))
def test_any_text_is_read_without_raising(text):
    rows, problems = read_roster(text)
    assert all(r.problem or "@" in r.email for r in rows)


# ---- join codes -------------------------------------------------------------------------------


def test_a_new_code_is_two_groups_of_five_from_the_alphabet():
    code = new_join_code()
    assert len(code) == 11 and code[5] == "-"
    assert all(ch in ALPHABET for ch in code.replace("-", ""))


def test_codes_differ_each_time():
    assert len({new_join_code() for _ in range(200)}) == 200


def test_a_typed_code_is_read_whatever_its_case_and_spacing():
    assert normalise_join_code(" k7mqp x2rtw ") == "K7MQP-X2RTW"
    assert normalise_join_code("K7MQPX2RTW") == "K7MQP-X2RTW"
    assert normalise_join_code("k7-mqp-x2-rtw") == "K7MQP-X2RTW"


def test_something_that_cannot_be_a_code_is_refused():
    for text in ("", "K7MQP-X2RT", "K7MQP-X2RTWW", "O0I1L-ABCDE", "K7MQP-X2RT!", "x" * 100):
        assert normalise_join_code(text) is None


@given(st.text(max_size=60))
def test_normalising_never_raises_and_is_stable(text):
    code = normalise_join_code(text)
    assert code is None or normalise_join_code(code) == code
