"""Migration 0011 gives every existing course, quiz and question an owner: its recorded creator, else
the first admin."""

from __future__ import annotations

from sqlalchemy import text

from trainer.extensions import db

NOW = "2026-01-01 00:00:00"


def _insert(conn, table: str, **given):
    """A row with the given values; every other required column gets a plain value of its type."""
    values = dict(given)
    for _, name, kind, notnull, default, primary in conn.execute(text(f"PRAGMA table_info({table})")):
        if name in values or primary or not notnull or default is not None:
            continue
        kind = kind.upper()
        if any(word in kind for word in ("INT", "NUMERIC", "BOOL", "FLOAT")):
            values[name] = 0
        elif "DATETIME" in kind or "TIMESTAMP" in kind:
            values[name] = NOW
        elif "JSON" in kind:
            values[name] = "[]"
        else:
            values[name] = "x"
    names = ", ".join(f'"{name}"' for name in values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})"), values)


def test_the_backfill_takes_the_creator_where_recorded_else_the_first_admin(make_app, tmp_path):
    from flask_migrate import upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'before-owners.db'}")
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            _insert(conn, "users", id=1, email="teach@x.org", role="instructor", learner_type="technician")
            _insert(conn, "users", id=2, email="boss@x.org", role="admin", learner_type="technician")
            _insert(conn, "users", id=3, email="later@x.org", role="admin", learner_type="technician")
            for qid, slug, creator in [(1, "by-teach", 1), (2, "unknown", None)]:
                _insert(conn, "quizzes", id=qid, slug=slug, status="draft", feedback_mode="deferred",
                        show_answers="after_submit", pass_mark=80, created_by_id=creator)
            for qid, uid, creator in [(1, "q-by-teach", 1), (2, "q-unknown", None)]:
                _insert(conn, "questions", id=qid, uid=uid, status="draft", difficulty="medium", type="numeric")
                _insert(conn, "question_versions", question_id=qid, number=1, data="{}", created_by_id=creator)
            for cid, slug in [(1, "course-by-teach"), (2, "course-unknown")]:
                _insert(conn, "courses", id=cid, slug=slug, status="draft", audience="both",
                        activity_type="knowledge", pass_mark=80)
            _insert(conn, "modules", id=1, course_id=1, slug="m", position=0)
            _insert(conn, "module_revisions", module_id=1, version=1, created_by_id=1)
        upgrade(revision="0011")
        with db.engine.connect() as conn:
            owners = {table: dict(conn.execute(text(f"SELECT {key}, owner_id FROM {table}")).all())
                      for table, key in (("quizzes", "slug"), ("questions", "uid"), ("courses", "slug"))}
        db.engine.dispose()
    assert owners == {
        "quizzes": {"by-teach": 1, "unknown": 2},
        "questions": {"q-by-teach": 1, "q-unknown": 2},
        "courses": {"course-by-teach": 1, "course-unknown": 2},
    }


def test_adding_owners_keeps_every_question_version_module_and_quiz_item(make_app, tmp_path):
    """A batch rebuild on SQLite would drop the tables and cascade-delete their children."""
    from flask_migrate import downgrade, upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'children.db'}")
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            _insert(conn, "questions", id=1, uid="q", status="draft", difficulty="medium", type="numeric")
            _insert(conn, "question_versions", question_id=1, number=1, data="{}")
            _insert(conn, "courses", id=1, slug="c", status="draft", audience="both", activity_type="knowledge",
                    pass_mark=80)
            _insert(conn, "modules", id=1, course_id=1, slug="m", position=0)
            _insert(conn, "quizzes", id=1, slug="z", status="draft", feedback_mode="deferred",
                    show_answers="after_submit", pass_mark=80)
            _insert(conn, "quiz_items", quiz_id=1, position=0, question_id=1, draw_count=0, draw_filter="{}")
        upgrade(revision="0011")
        downgrade(revision="0010")
        upgrade(revision="0011")
        with db.engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                      for t in ("question_versions", "modules", "quiz_items")]
        db.engine.dispose()
    assert counts == [1, 1, 1]
