"""Who owns a course, a quiz or a question, and who writes it with them (co-authors).

The owner and co-authors may open and change an item's drafts; every other instructor
sees it once published and may copy it; an admin may do anything. An item without an
owner is the site's own content (imported by the operator from the shipped files): only
an admin changes it, since one instructor must not rewrite it for every programme on the
site; instructors see it and copy it to adapt it.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, Table

from trainer.extensions import db


def _co_author_table(name: str, item_table: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column("item_id", Integer, ForeignKey(f"{item_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


course_co_authors = _co_author_table("course_co_authors", "courses")
quiz_co_authors = _co_author_table("quiz_co_authors", "quizzes")
question_co_authors = _co_author_table("question_co_authors", "questions")
