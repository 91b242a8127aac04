"""Full-text search over published modules: FTS5 on SQLite, built-in text search on PostgreSQL.

The index is kept up to date when a module is saved or imported (`index_module`); a
search never renders markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import text

from trainer.extensions import db

MAX_QUERY_LENGTH = 200
# Sentinels that cannot occur in module text; swapped for <mark> after escaping.
_START, _END = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    module_id: int
    course_slug: str
    course_title: str
    module_slug: str
    module_title: str
    snippet: Markup  # escaped text with <mark> around the matched words


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def index_module(module) -> None:
    """Add or refresh one module in the search index (SQLite keeps a separate FTS table)."""
    if _dialect() != "sqlite":
        return  # PostgreSQL indexes the modules table itself (GIN expression index)
    db.session.flush()
    db.session.execute(text("DELETE FROM module_search WHERE module_id = :id"), {"id": module.id})
    db.session.execute(
        text("INSERT INTO module_search (title, body, module_id) VALUES (:title, :body, :id)"),
        {"title": module.title, "body": module.plain_text, "id": module.id},
    )


def unindex_module(module_id: int) -> None:
    """Remove a module from the search index."""
    if _dialect() == "sqlite":
        db.session.execute(text("DELETE FROM module_search WHERE module_id = :id"), {"id": module_id})


def _fts5_query(query: str) -> str:
    # Each word becomes a quoted FTS5 string, so learner input is never FTS5 syntax;
    # the last word also matches as a prefix ("anticoag" finds "anticoagulant").
    words = re.findall(r"\w+", query)
    if not words:
        return ""
    terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " ".join(terms)


def _tsquery(query: str) -> str:
    # The same rule as _fts5_query: every word must match, the last also as a prefix.
    # Words are letters and digits only, so nothing the learner types is tsquery syntax.
    words = re.findall(r"\w+", query)
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def _snippet(raw: str) -> Markup:
    escaped = str(escape(raw))
    # Safe: the text was escaped above; only our own sentinels become markup.
    return Markup(escaped.replace(_START, "<mark>").replace(_END, "</mark>"))  # noqa: S704


def search_modules(query: str, limit: int = 20) -> list[SearchHit]:
    """Published modules matching `query`, best first, with highlighted snippets."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    if _dialect() == "sqlite":
        match = _fts5_query(query)
        if not match:
            return []
        sql = text(
            """
            SELECT m.id, c.slug, c.title, m.slug, m.title,
                   snippet(module_search, 1, :start, :end, '…', 24) AS snip
            FROM module_search
            JOIN modules m ON m.id = module_search.module_id
            JOIN courses c ON c.id = m.course_id
            WHERE module_search MATCH :match AND c.status = 'published'
            ORDER BY bm25(module_search, 5.0, 1.0)
            LIMIT :limit
            """
        )
        rows = db.session.execute(sql, {"match": match, "limit": limit, "start": _START, "end": _END})
    else:
        sql = text(
            """
            SELECT m.id, c.slug, c.title, m.slug, m.title,
                   ts_headline('english', m.plain_text, q, :options) AS snip
            FROM modules m
            JOIN courses c ON c.id = m.course_id,
                 to_tsquery('english', :query) AS q
            WHERE to_tsvector('english', coalesce(m.title, '') || ' ' || coalesce(m.plain_text, '')) @@ q
              AND c.status = 'published'
            ORDER BY ts_rank(to_tsvector('english', coalesce(m.title, '') || ' ' || coalesce(m.plain_text, '')), q) DESC
            LIMIT :limit
            """
        )
        tsquery = _tsquery(query)
        if not tsquery:
            return []
        options = f"StartSel={_START}, StopSel={_END}, MaxWords=30, MinWords=12"
        rows = db.session.execute(sql, {"query": tsquery, "limit": limit, "options": options})
    return [SearchHit(r[0], r[1], r[2], r[3], r[4], _snippet(r[5] or "")) for r in rows]
