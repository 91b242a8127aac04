"""Searching the course modules: highlighted snippets, drafts left out, hostile queries.

Runs on SQLite (FTS5) and, with TEST_DATABASE_URL, on PostgreSQL (built-in full text).
"""

from __future__ import annotations

import re

import pytest

from tests.factories.courses import make_course


@pytest.fixture
def courses(app):
    make_course("anticoagulants", title="Anticoagulants", modules=1,
                module_words="Warfarin needs INR monitoring; heparin is given by injection.")
    make_course("draft-course", title="Hidden draft", modules=1, status="draft",
                module_words="Warfarin interactions with aspirin.")


def results(page: str) -> list[str]:
    return re.findall(r'<h2><a href="(/courses/[^"]+)">', page)


def test_a_search_finds_the_module_with_a_highlighted_snippet(client, courses):
    response = client.get("/courses/search?q=warfarin")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert results(page) == ["/courses/anticoagulants/module-1"]
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page, re.DOTALL).group(1)
    assert re.search(r"<mark>warfarin</mark>", snippet, re.IGNORECASE)
    assert "1 module found for “warfarin”" in page


def test_a_search_of_several_words_finds_the_module_holding_them_all(client, courses):
    page = client.get("/courses/search?q=heparin+injection").get_data(as_text=True)
    assert results(page) == ["/courses/anticoagulants/module-1"]
    assert results(client.get("/courses/search?q=heparin+zzzzqqq").get_data(as_text=True)) == []


def test_the_last_word_also_matches_the_start_of_a_word(client, courses):
    page = client.get("/courses/search?q=heparin+warf").get_data(as_text=True)
    assert results(page) == ["/courses/anticoagulants/module-1"]
    assert re.search(r"<mark>warfarin</mark>", page, re.IGNORECASE)


def test_a_draft_course_is_never_found(client, auth, courses):
    auth.login("learner")
    page = client.get("/courses/search?q=aspirin").get_data(as_text=True)
    assert results(page) == [] and "Hidden draft" not in page
    assert "0 modules found" in page


def test_an_empty_search_shows_only_the_form(client, courses):
    page = client.get("/courses/search?q=").get_data(as_text=True)
    assert "found for" not in page and 'name="q"' in page


def test_a_search_that_finds_nothing_says_so(client, courses):
    page = client.get("/courses/search?q=zzzzqqq").get_data(as_text=True)
    assert "0 modules found" in page and "Try fewer or different words" in page


HOSTILE_QUERIES = [
    '"', '""', "'", 'warfarin"', "*", "warfarin*", "(", ")", "(warfarin", "warfarin)",
    "NEAR", "NEAR(warfarin heparin)", "warfarin NEAR heparin", "AND", "OR", "NOT", "warfarin AND",
    "AND OR NOT", "-warfarin", "+", "^warfarin", "title:warfarin", "body : x", "{warfarin}",
    "warfarin:*", "!!", "&|!", "<->", "a & b | !c", "%", "_", "\\", "' OR 1=1 --",
    "'; DROP TABLE modules; --", "<script>alert(1)</script>", "\x00", "warfarin\x00", "\x01\x1f",
    "🙂", "ä ö ü", "ω", "     ", "\t\n", "-", "--", "—",
]
# Bytes that are not UTF-8 at all, sent as they are.
RAW_QUERY_STRINGS = ["q=%FF%FE", "q=%ED%A0%80", "q=%C0%AF", "q=%00%00", "q=a&q=b", "q"]


def test_hostile_queries_never_fail(client, courses):
    """Quotes, FTS5 operators (NEAR, AND, *, parentheses, column filters), tsquery
    operators, SQL, control characters and odd Unicode: each is just text to search for."""
    for query in HOSTILE_QUERIES:
        response = client.get("/courses/search", query_string={"q": query})
        assert response.status_code == 200, repr(query)
        assert "<script>alert" not in response.get_data(as_text=True), repr(query)
    for raw in RAW_QUERY_STRINGS:
        assert client.get(f"/courses/search?{raw}").status_code == 200, raw
    page = client.get("/courses/search", query_string={"q": '"warfarin*'}).get_data(as_text=True)
    assert results(page) == ["/courses/anticoagulants/module-1"]


def test_a_too_long_query_is_refused_beside_the_field(client, courses):
    response = client.get("/courses/search", query_string={"q": "warfarin " * 40})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Search for at most 200 characters." in page and "found for" not in page


def test_search_words_are_escaped_in_the_page(client, courses):
    page = client.get("/courses/search", query_string={"q": "<b>warfarin</b>"}).get_data(as_text=True)
    assert "<b>warfarin</b>" not in page and "&lt;b&gt;warfarin&lt;/b&gt;" in page
