"""The instructor's question bank: search, versions, the editor with live preview, GIFT in and out."""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from trainer.content.source import ImportFailed, ProblemList, load_yaml
from trainer.extensions import db
from trainer.models import (
    AttemptItem,
    AuditEvent,
    Question,
    QuestionArea,
    QuestionTag,
    QuestionVersion,
    User,
)
from trainer.models.questions import QUESTION_STATUSES
from trainer.questions import (
    QUESTION_TYPES,
    GenerationFailed,
    generate_question,
    get_type,
    grade_response,
    public_question_view,
    review_view,
)
from trainer.questions.bank import dump_bank_file, plain_data
from trainer.questions.blueprints import Blueprints, read_blueprints
from trainer.services.attempts import render_markdown
from trainer.services.interchange import EXPORT_FORMATS, export_questions
from trainer.services.ownership import visible_to
from trainer.services.questions import (
    PublishRefused,
    get_question,
    save_question,
    set_question_status,
)
from trainer.web.access import authorised, instructor_required
from trainer.web.forms import ActionForm
from trainer.web.numbers import query_number
from trainer.web.teach import calculated_editor
from trainer.web.teach.question_forms import (
    TYPE_TEMPLATES,
    BankSearchForm,
    QuestionDraft,
    QuestionForm,
    question_from_form,
    question_yaml,
)
from trainer.web.teach.routes import bp, teach_section

# Beyond any bank or history this site will hold; a larger ?page= or version is an error.
MAX_PAGE = 100_000
MAX_VERSION = 1_000_000

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
SAMPLE_SEEDS = (1, 2, 3, 4, 5)
BLUEPRINTS_FILE = Path("question_bank") / "blueprints.yaml"

teach_section("teach.questions", "Question bank",
              "Write, preview and publish questions of every type; search the bank by area, tag and type.")
teach_section("teach.question_import", "Import questions (Moodle, Canvas, Aiken)",
              "Upload GIFT, Moodle XML, Aiken or a Canvas QTI package, check every question in a preview, "
              "then import the ones you confirm.")


# ---- the exam outlines --------------------------------------------------------------


def exam_outlines() -> Blueprints:
    """The exam outlines of question_bank/blueprints.yaml, read once per app."""
    cache = current_app.extensions.setdefault("trainer_blueprints", {})
    if "outlines" not in cache:
        path = Path(current_app.config["CONTENT_ROOT"]) / BLUEPRINTS_FILE
        outlines = Blueprints()
        if path.is_file():
            found = ProblemList(str(path))
            try:
                loaded = read_blueprints(load_yaml(path.read_text(encoding="utf-8"), str(path)), found)
                outlines = Blueprints(outlines=plain_data(loaded.outlines), titles=loaded.titles)
            except ImportFailed:
                logger.warning("cannot read %s; blueprint codes are not checked", path)
        cache["outlines"] = outlines
    return cache["outlines"]


def blueprint_codes() -> frozenset[str] | None:
    """Every code a question may name, or None (no check) when blueprints.yaml is missing."""
    codes = exam_outlines().codes
    return codes or None


def area_choices() -> list[tuple[str, str]]:
    """Options for the blueprint filter: each outline's domains and areas with their titles."""
    titles = exam_outlines().titles
    return [("", "Any area")] + [(code, f"{code} — {title}"[:110]) for code, title in titles.items()]


# ---- finding questions -----------------------------------------------------------------


def bank_query(filters: dict):
    """Questions matching the bank filters (q, tag, area, type, difficulty, status), by id."""
    stmt = select(Question).order_by(Question.uid)
    text = (filters.get("q") or "").strip().lower()
    if text:
        stmt = stmt.where(or_(func.lower(Question.title).contains(text, autoescape=True),
                              func.lower(Question.uid).contains(text, autoescape=True)))
    tag = (filters.get("tag") or "").strip().lower()
    if tag:
        stmt = stmt.where(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == tag)))
    area = (filters.get("area") or "").strip()
    if area:
        outline, _, code = area.partition(":")
        if "." in code:
            areas = select(QuestionArea.question_id).where(QuestionArea.code == area)
        else:
            # a domain filter finds questions filed under the domain or any of its areas
            areas = select(QuestionArea.question_id).where(QuestionArea.outline == outline,
                                                           QuestionArea.domain == code)
        stmt = stmt.where(Question.id.in_(areas))
    for name in ("type", "difficulty", "status"):
        value = filters.get(name)
        if value:
            stmt = stmt.where(getattr(Question, name) == value)
    if filters.get("needs") == "explanation":
        stmt = stmt.where(Question.needs_explanation.is_(True))
    return stmt


def _filters() -> dict:
    return {name: request.args.get(name, "")
            for name in ("q", "tag", "area", "type", "difficulty", "status", "needs")}


def _get_question(uid: str, *, edit: bool = True) -> Question:
    """The question, if the current user may open it (and, with `edit`, change it)."""
    question = get_question(uid)
    if question is None or question.current_version is None:
        abort(404)
    return authorised(question, edit=edit)


@bp.get("/questions")
@instructor_required
def questions():
    form = BankSearchForm(request.args)
    form.area.choices = area_choices()
    filters = _filters()
    page = max(query_number("page", 1, 1, MAX_PAGE), 1)
    rows = db.session.scalars(
        bank_query(filters).where(visible_to(Question, current_user)).options(selectinload(Question.tags))
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(
        bank_query(filters).where(visible_to(Question, current_user)).subquery()))
    known_tags = db.session.scalars(select(QuestionTag.tag).distinct().order_by(QuestionTag.tag)).all()
    needing = db.session.scalar(select(func.count()).select_from(Question).where(Question.needs_explanation.is_(True)))
    return render_template(
        "teach/questions/list.html", form=form, questions=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE,
        page=page, total=total, filters={k: v for k, v in filters.items() if v}, known_tags=known_tags,
        types=QUESTION_TYPES, needing=needing,
    )


@bp.get("/questions/export")
@instructor_required
def questions_export():
    """The ticked questions, or else every question the filters find, as GIFT or bank YAML."""
    uids = [uid for uid in request.args.getlist("uid") if uid]
    stmt = select(Question).where(Question.uid.in_(uids)).order_by(Question.uid) if uids else bank_query(_filters())
    stmt = stmt.where(visible_to(Question, current_user)).options(selectinload(Question.current_version))
    data = [dict(q.data) for q in db.session.scalars(stmt) if q.current_version is not None]
    if request.args.get("format") in EXPORT_FORMATS:
        body, name, mimetype, _ = export_questions(data, request.args["format"])
    else:
        body, name, mimetype = dump_bank_file(data), "rxtrainer-questions.yaml", "application/yaml"
    return Response(body, mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/questions/<uid>")
@instructor_required
def question(uid: str):
    question = _get_question(uid, edit=False)
    versions = db.session.execute(
        select(QuestionVersion, User.name)
        .outerjoin(User, User.id == QuestionVersion.created_by_id)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number.desc())
    ).all()
    used = dict(db.session.execute(
        select(AttemptItem.question_version_id, func.count())
        .where(AttemptItem.question_id == question.id)
        .group_by(AttemptItem.question_version_id)
    ).all())
    return render_template(
        "teach/questions/detail.html", question=question, versions=versions, used=used,
        type_label=_type_label(question.type), yaml_text=question_yaml(question.data),
        statuses=QUESTION_STATUSES,
    )


def _type_label(name: str) -> str:
    type_ = QUESTION_TYPES.get(name)
    return type_.label if type_ else name


def _version(question: Question, number: int) -> QuestionVersion:
    version = db.session.scalar(select(QuestionVersion).where(
        QuestionVersion.question_id == question.id, QuestionVersion.number == number))
    if version is None:
        abort(404)
    return version


@bp.get("/questions/<uid>/versions/<int:number>")
@instructor_required
def question_version(uid: str, number: int):
    question = _get_question(uid, edit=False)
    version = _version(question, number)
    author = db.session.get(User, version.created_by_id) if version.created_by_id else None
    used = db.session.scalar(select(func.count()).select_from(AttemptItem)
                             .where(AttemptItem.question_version_id == version.id))
    return render_template("teach/questions/version.html", question=question, version=version,
                           author=author, used=used, yaml_text=question_yaml(version.data))


@bp.get("/questions/<uid>/diff")
@instructor_required
def question_diff(uid: str):
    question = _get_question(uid, edit=False)
    current = question.current_version.number
    newer = query_number("to", current, 1, MAX_VERSION)
    older = query_number("from", max(newer - 1, 1), 1, MAX_VERSION)
    old_version, new_version = _version(question, older), _version(question, newer)
    lines = list(difflib.unified_diff(
        question_yaml(old_version.data).splitlines(), question_yaml(new_version.data).splitlines(),
        fromfile=f"version {older}", tofile=f"version {newer}", lineterm="",
    ))
    numbers = db.session.scalars(select(QuestionVersion.number).where(
        QuestionVersion.question_id == question.id).order_by(QuestionVersion.number)).all()
    return render_template("teach/questions/diff.html", question=question, lines=lines,
                           older=older, newer=newer, numbers=numbers)


@bp.post("/questions/<uid>/status")
@instructor_required
def question_status(uid: str):
    question = _get_question(uid)
    status = request.form.get("status")
    if not ActionForm().validate_on_submit() or status not in QUESTION_STATUSES:
        abort(400)
    if status != question.status:
        old, before = question.status, question.current_version
        try:
            set_question_status(question, status)
        except PublishRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("teach.question", uid=uid))
        if question.current_version is not before:
            # the status lives in the question's data too, so it got a version: say who made it
            question.current_version.created_by_id = current_user.id
        AuditEvent.record("question_status_changed", subject=f"question:{uid}", actor=current_user,
                          old=old, new=status)
        db.session.commit()
        flash(f"{uid} is now {status}.", "success")
    return redirect(url_for("teach.question", uid=uid))


# ---- on-screen help -------------------------------------------------------------------


@bp.get("/questions/exam-areas")
@instructor_required
def exam_areas():
    """Every exam area and domain a question may name, by outline, with the code to type."""
    outlines = exam_outlines()
    names = outlines.plain_names
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, title in outlines.titles.items():
        outline = code.partition(":")[0]
        groups.setdefault(outline, []).append((code, title))
    return render_template("teach/questions/exam_areas.html",
                           groups=[(names.get(o, o), rows) for o, rows in groups.items()])


@bp.get("/questions/fields/<qtype>")
@instructor_required
def question_fields(qtype: str):
    """The fields of one question type, as an example with every field explained."""
    if qtype not in QUESTION_TYPES:
        abort(404)
    return render_template("teach/questions/fields.html", qtype=qtype, type_label=_type_label(qtype),
                           example=TYPE_TEMPLATES.get(qtype, ""))


# ---- the editor ----------------------------------------------------------------------


@bp.get("/questions/new")
@instructor_required
def question_new_choose():
    return render_template("teach/questions/choose_type.html", types=QUESTION_TYPES)


@bp.route("/questions/new/<qtype>", methods=["GET", "POST"])
@instructor_required
def question_new(qtype: str):
    if qtype not in QUESTION_TYPES:
        abort(404)
    return _editor(qtype, None)


@bp.route("/questions/<uid>/edit", methods=["GET", "POST"])
@instructor_required
def question_edit(uid: str):
    question = _get_question(uid)
    return _editor(question.type, question)


def _editor(qtype: str, question: Question | None):
    form = QuestionForm()
    calc = None
    if request.method == "GET":
        if question is not None:
            form.fill_from(question.data)
            form.base_version.data = str(question.current_version.number)
        else:
            form.spec.data = TYPE_TEMPLATES.get(qtype, "")
        if qtype == "calculated":
            calc = calculated_editor.for_saved(question.data) if question else calculated_editor.for_new()
        return _render_editor(form, qtype, question, calc=calc)
    form.validate()
    if qtype == "calculated":
        # The template's form (or its YAML) becomes the YAML box's text: one path from here.
        calc = calculated_editor.from_post(form, request.form)
        action = request.form.get("action", "")
        if action in ("view-form", "view-yaml"):
            calc = calculated_editor.switch(calc, form, action.removeprefix("view-"))
            return _render_editor(form, qtype, question, calc=calc)
        if calc.errors:  # the form's own problems (a name used twice…): nothing to validate yet
            return _render_editor(form, qtype, question, calc=calc), 422
    draft = question_from_form(form, qtype, uid=question.uid if question else None,
                               blueprint_codes=blueprint_codes())
    if calc is not None:
        calculated_editor.place_problems(calc, form, draft.problems)
    if request.form.get("action") == "preview":
        # the no-script preview: the same page, nothing saved
        return _render_editor(form, qtype, question, preview=preview_question(draft), calc=calc)
    if question is None and draft.data and not form.id.errors and get_question(draft.data["id"]):
        form.id.errors = [*form.id.errors, "is already used by another question; choose a new id"]
    if question is not None and form.base_version.data != str(question.current_version.number):
        form.form_errors.append(
            f"Version {question.current_version.number} was saved by someone else while you were editing. "
            "Compare it on the question's page; saving again keeps your text as the next version."
        )
        form.base_version.data = str(question.current_version.number)
    if form.errors or draft.data is None or (calc is not None and calc.errors):
        return _render_editor(form, qtype, question, calc=calc), 422
    note = (form.note.data or "").strip() or ("written in the browser" if question is None else "edited in the browser")
    try:
        saved, outcome = save_question(draft.data, source="browser", actor=current_user, note=note)
    except ImportFailed as failed:
        # the renderer refused the text as it was stored (too slow or too deeply nested)
        db.session.rollback()
        form.stem.errors = [*form.stem.errors, *(problem.message for problem in failed.problems)]
        return _render_editor(form, qtype, question, calc=calc), 422
    db.session.commit()
    if outcome == "unchanged":
        flash(f"Nothing changed: {saved.uid} stays at version {saved.current_version.number}.", "info")
    else:
        flash(f"Saved {saved.uid} as version {saved.current_version.number}.", "success")
    return redirect(url_for("teach.question", uid=saved.uid))


def _render_editor(form: QuestionForm, qtype: str, question: Question | None, preview=None, calc=None):
    return render_template(
        "teach/questions/edit.html", form=form, qtype=qtype, type_label=_type_label(qtype),
        question=question, preview=preview, calc=calc,
    )


@bp.post("/questions/preview")
@instructor_required
def question_preview():
    """The editor's live preview as an HTML fragment; validates and draws, never saves."""
    qtype = request.form.get("type", "")
    if qtype not in QUESTION_TYPES:
        abort(400)
    uid = request.form.get("uid") or None
    if uid is not None:
        _get_question(uid)
    form = QuestionForm()
    form.validate()
    if qtype == "calculated":
        calc = calculated_editor.from_post(form, request.form)
        if calc.errors:
            preview = Preview(problems=[("template", message) for messages in calc.errors.values()
                                        for message in messages])
            return render_template("teach/questions/_preview.html", preview=preview)
    draft = question_from_form(form, qtype, uid=uid, blueprint_codes=blueprint_codes())
    return render_template("teach/questions/_preview.html", preview=preview_question(draft))


# ---- previewing a question as a learner sees it -----------------------------------------


def key_response(instance: dict):
    """The response a learner who knows the answer gives, to check the key grades as correct."""
    kind = get_type(instance.get("type")).response_kind
    if kind == "boolean":
        return "true" if instance["key"] else "false"
    if kind == "number":
        return instance["answer_text"]
    if kind == "text":
        return instance["answers"][0]
    key = instance["key"]
    return dict(key) if isinstance(key, dict) else (list(key) if isinstance(key, list) else key)


@dataclass
class Sample:
    """One drawn instance of a calculated question, checked to be solvable."""

    seed: int
    values: dict = field(default_factory=dict)
    answer_text: str = ""
    steps: list = field(default_factory=list)
    problem: str | None = None


@dataclass
class Preview:
    """What the preview shows: problems, the learner's view, the key and, for templates, samples."""

    problems: list[tuple[str, str]]
    view: dict | None = None
    stem_html: str = ""
    explanation_html: str = ""
    review: dict | None = None
    feedback: dict = field(default_factory=dict)
    key_checked: bool = False
    failure: str | None = None
    samples: list[Sample] = field(default_factory=list)
    rubric: str = ""


def _draw_sample(data: dict, seed: int) -> tuple[dict | None, str | None]:
    """An instance for `seed` and None, or None and what went wrong."""
    try:
        instance = generate_question(data, seed)
    except GenerationFailed as exc:
        return None, f"{exc.field}: {exc.message}"
    except Exception:
        # validation makes this unlikely; the author still needs an answer, not an error page
        logger.info("preview of %r failed for seed %s", data.get("id"), seed, exc_info=True)
        return None, "this draw cannot be made; check the type fields"
    type_ = get_type(instance.get("type"))
    if type_.graded_by_hand or not type_.scored:
        # an essay is graded by a person and a description not at all: no key to check
        return instance, None
    result = grade_response(instance, key_response(instance))
    if not result.correct:
        return instance, "its own answer does not grade as correct: " + " ".join(result.feedback)
    return instance, None


def preview_question(draft: QuestionDraft) -> Preview:
    """Draw the question (seed 1) as a learner sees it, with the key; five samples for templates."""
    preview = Preview(problems=list(draft.problems))
    if not draft.previewable:
        return preview
    data = draft.data
    instance, problem = _draw_sample(data, SAMPLE_SEEDS[0])
    if instance is None:
        preview.failure = problem
    else:
        preview.view = public_question_view(instance)
        try:
            preview.stem_html = render_markdown(instance.get("stem", ""))
            preview.explanation_html = render_markdown(instance.get("explanation", ""))
        except ImportFailed as failed:
            # too slow or too deep to render: said beside the preview, never an error page
            preview.problems.extend(("stem", problem.message) for problem in failed.problems)
        preview.review = review_view(instance)
        preview.rubric = instance.get("rubric") or ""
        preview.feedback = dict(instance.get("feedback") or {})
        preview.key_checked = problem is None
        if problem and data["type"] != "calculated":
            preview.failure = problem
    if data["type"] == "calculated":
        for seed in SAMPLE_SEEDS:
            drawn, problem = _draw_sample(data, seed)
            sample = Sample(seed=seed, problem=problem)
            if drawn is not None:
                sample.values = drawn.get("values", {})
                sample.answer_text = drawn.get("answer_text", "")
                sample.steps = list(drawn.get("steps", []))
            preview.samples.append(sample)
    return preview
