"""The gradebook pages: the table (sorted, filtered, exported as CSV), the weights, one learner's
record and one of their attempts reviewed."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from trainer.extensions import db
from trainer.models import User
from trainer.questions import get_type
from trainer.services import assignments as assignment_service
from trainer.services import gradebook as service
from trainer.services.attempts import public_view, review
from trainer.teaching.gradebook import FILTERS, filter_rows, gradebook_csv, percent_text, sort_rows
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.quizzes.responses import shown_answer
from trainer.web.teach.cohorts import _cohort
from trainer.web.teach.routes import bp

_SORT = re.compile(r"name|email|total|missing|late|a\d{1,3}")


def _view_args() -> dict:
    """The table's sort and filter from the address, each checked against what exists."""
    sort = request.args.get("sort", "name")
    show = request.args.get("show", "all")
    return {
        "sort": sort if _SORT.fullmatch(sort) else "name",
        "desc": request.args.get("desc") == "1",
        "show": show if show in FILTERS else "all",
        "q": request.args.get("q", "")[:120],
    }


@bp.get("/cohorts/<int:cohort_id>/gradebook")
@instructor_required
def gradebook(cohort_id: int):
    cohort = _cohort(cohort_id)
    book = service.build_gradebook(cohort)
    args = _view_args()
    rows = sort_rows(filter_rows(book.rows, args["show"], args["q"]), args["sort"], args["desc"])
    table = [(row, _cells_html(row, book.extended)) for row in rows]
    return render_template(
        "teach/gradebook/table.html", cohort=cohort, book=book, table=table, args=args,
        summary=service.column_summary(book), filters=FILTERS, percent_text=percent_text,
    )


def _cells_html(row, extended: set) -> Markup:
    """A row's cells as HTML, built here rather than in a template loop: a class of 200 with 50
    assignments is 10,000 cells, and a Jinja loop over them costs more than everything else on
    the page. Nothing in a cell comes from a user: digits, a status word and a fixed class."""
    parts = []
    for index, cell in enumerate(row.cells):
        mark = EXTENDED_MARK if (row.learner_id, index) in extended else ""
        parts.append(f'<td class="num cell-{cell.status}">{escape(_cell_text(cell))}{mark}</td>')
    return Markup("".join(parts))  # noqa: S704 - each part is escaped or fixed text


EXTENDED_MARK = '<abbr title="extension granted">+</abbr>'


def _cell_text(cell) -> str:
    """A cell in a few characters that do not rely on colour: 85, 70 late, missing, started."""
    if cell.status == "done":
        return percent_text(cell.score)
    if cell.status == "late":
        return f"{percent_text(cell.score)} late"
    if cell.status == "missing":
        return "missing"
    if cell.status == "in_progress":
        if cell.overdue:
            return "overdue"
        return f"{cell.progress}% done" if cell.progress is not None else "started"
    return "not open" if cell.status == "upcoming" else "–"


@bp.get("/cohorts/<int:cohort_id>/gradebook.csv")
@instructor_required
def gradebook_export(cohort_id: int):
    cohort = _cohort(cohort_id)
    book = service.build_gradebook(cohort)
    args = _view_args()
    rows = sort_rows(filter_rows(book.rows, args["show"], args["q"]), args["sort"], args["desc"])
    text = gradebook_csv(book.titles, rows)
    filename = f"gradebook-cohort-{cohort.id}.csv"
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/cohorts/<int:cohort_id>/gradebook/weights")
@instructor_required
def gradebook_weights(cohort_id: int):
    cohort = _cohort(cohort_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    weights: dict[int, Decimal] = {}
    bad = []
    for assignment in assignment_service.cohort_assignments(cohort):
        raw = request.form.get(f"weight-{assignment.id}")
        if raw is None:
            continue
        try:
            weights[assignment.id] = Decimal(raw.strip()).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            bad.append(assignment.id)
    problems = assignment_service.set_weights(cohort, weights, actor=current_user) if not bad else []
    if bad or problems:
        flash("Each weight must be a number from 0 to 1000. Nothing was changed.", "error")
        return redirect(url_for("teach.gradebook", cohort_id=cohort.id))
    db.session.commit()
    flash("Weights saved; the totals use them now.", "success")
    return redirect(url_for("teach.gradebook", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>")
@instructor_required
def cohort_learner(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    user = db.session.get(User, user_id)
    if user is None or not assignment_service.is_member(cohort.id, user.id):
        abort(404)
    record = service.learner_record(cohort, user)
    return render_template("teach/gradebook/learner.html", cohort=cohort, record=record, percent_text=percent_text)


def _kind(item) -> str:
    try:
        return get_type(item.instance.get("type")).response_kind
    except KeyError:
        return ""


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>/attempts/<int:attempt_id>")
@instructor_required
def cohort_learner_attempt(cohort_id: int, user_id: int, attempt_id: int):
    """A learner's attempt as their instructor reviews it: every answer, grade and key."""
    cohort = _cohort(cohort_id)
    attempt = service.learner_attempt_in(cohort, user_id, attempt_id)
    if attempt is None:
        abort(404)
    entries = []
    for item in attempt.items:
        view = public_view(item)
        entries.append({"item": item, "given": shown_answer(_kind(item), view, item.response),
                        "key": review(item) if item.graded_at is not None else None})
    return render_template("teach/gradebook/attempt.html", cohort=cohort, attempt=attempt, entries=entries)
