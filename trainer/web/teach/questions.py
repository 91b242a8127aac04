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

from trainer.content.source import ImportFailed, ProblemList, SourceProblem, load_yaml
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
    validate_question,
)
from trainer.questions.bank import dump_bank_file, plain_data
from trainer.questions.blueprints import Blueprints, read_blueprints
from trainer.questions.gift import parse_gift, write_gift
from trainer.services.attempts import render_markdown
from trainer.services.questions import (
    content_hash,
    get_question,
    save_question,
    set_question_status,
)
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.question_forms import (
    RESERVED_IDS,
    TYPE_TEMPLATES,
    BankSearchForm,
    GiftUploadForm,
    QuestionDraft,
    QuestionForm,
    question_from_form,
    question_yaml,
    unix_newlines,
)
from trainer.web.teach.routes import bp, teach_section

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
SAMPLE_SEEDS = (1, 2, 3, 4, 5)
BLUEPRINTS_FILE = Path("question_bank") / "blueprints.yaml"

teach_section("teach.questions", "Question bank",
              "Write, preview and publish questions of every type; search the bank by area, tag and type.")
teach_section("teach.gift_upload", "Import from Moodle (GIFT)",
              "Upload a GIFT file, check every question in a preview, then import the ones you confirm.")


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
    return stmt


def _filters() -> dict:
    return {name: request.args.get(name, "") for name in ("q", "tag", "area", "type", "difficulty", "status")}


def _get_question(uid: str) -> Question:
    question = get_question(uid)
    if question is None or question.current_version is None:
        abort(404)
    return question


@bp.get("/questions")
@instructor_required
def questions():
    form = BankSearchForm(request.args)
    form.area.choices = area_choices()
    filters = _filters()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = db.session.scalars(
        bank_query(filters).options(selectinload(Question.tags))
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(bank_query(filters).subquery()))
    known_tags = db.session.scalars(select(QuestionTag.tag).distinct().order_by(QuestionTag.tag)).all()
    return render_template(
        "teach/questions/list.html", form=form, questions=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE,
        page=page, total=total, filters={k: v for k, v in filters.items() if v}, known_tags=known_tags,
        types=QUESTION_TYPES,
    )


@bp.get("/questions/export")
@instructor_required
def questions_export():
    """The ticked questions, or else every question the filters find, as GIFT or bank YAML."""
    uids = [uid for uid in request.args.getlist("uid") if uid]
    stmt = select(Question).where(Question.uid.in_(uids)).order_by(Question.uid) if uids else bank_query(_filters())
    stmt = stmt.options(selectinload(Question.current_version))
    data = [dict(q.data) for q in db.session.scalars(stmt) if q.current_version is not None]
    if request.args.get("format") == "gift":
        body, name, mimetype = write_gift(data), "rxtrainer-questions.gift", "text/plain"
    else:
        body, name, mimetype = dump_bank_file(data), "rxtrainer-questions.yaml", "application/yaml"
    return Response(body, mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/questions/<uid>")
@instructor_required
def question(uid: str):
    question = _get_question(uid)
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
    question = _get_question(uid)
    version = _version(question, number)
    author = db.session.get(User, version.created_by_id) if version.created_by_id else None
    used = db.session.scalar(select(func.count()).select_from(AttemptItem)
                             .where(AttemptItem.question_version_id == version.id))
    return render_template("teach/questions/version.html", question=question, version=version,
                           author=author, used=used, yaml_text=question_yaml(version.data))


@bp.get("/questions/<uid>/diff")
@instructor_required
def question_diff(uid: str):
    question = _get_question(uid)
    current = question.current_version.number
    newer = request.args.get("to", current, type=int)
    older = request.args.get("from", max(newer - 1, 1), type=int)
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
        set_question_status(question, status)
        if question.current_version is not before:
            # the status lives in the question's data too, so it got a version: say who made it
            question.current_version.created_by_id = current_user.id
        AuditEvent.record("question_status_changed", subject=f"question:{uid}", actor=current_user,
                          old=old, new=status)
        db.session.commit()
        flash(f"{uid} is now {status}.", "success")
    return redirect(url_for("teach.question", uid=uid))


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
    if request.method == "GET":
        if question is not None:
            form.fill_from(question.data)
            form.base_version.data = str(question.current_version.number)
        else:
            form.spec.data = TYPE_TEMPLATES.get(qtype, "")
        return _render_editor(form, qtype, question)
    form.validate()
    draft = question_from_form(form, qtype, uid=question.uid if question else None,
                               blueprint_codes=blueprint_codes())
    if request.form.get("action") == "preview":
        # the no-script preview: the same page, nothing saved
        return _render_editor(form, qtype, question, preview=preview_question(draft))
    if question is None and draft.data and not form.id.errors and get_question(draft.data["id"]):
        form.id.errors = [*form.id.errors, "is already used by another question; choose a new id"]
    if question is not None and form.base_version.data != str(question.current_version.number):
        form.form_errors.append(
            f"Version {question.current_version.number} was saved by someone else while you were editing. "
            "Compare it on the question's page; saving again keeps your text as the next version."
        )
        form.base_version.data = str(question.current_version.number)
    if form.errors or draft.data is None:
        return _render_editor(form, qtype, question), 422
    note = (form.note.data or "").strip() or ("written in the browser" if question is None else "edited in the browser")
    saved, outcome = save_question(draft.data, source="browser", actor=current_user, note=note)
    db.session.commit()
    if outcome == "unchanged":
        flash(f"Nothing changed: {saved.uid} stays at version {saved.current_version.number}.", "info")
    else:
        flash(f"Saved {saved.uid} as version {saved.current_version.number}.", "success")
    return redirect(url_for("teach.question", uid=saved.uid))


def _render_editor(form: QuestionForm, qtype: str, question: Question | None, preview=None):
    return render_template(
        "teach/questions/edit.html", form=form, qtype=qtype, type_label=_type_label(qtype),
        question=question, preview=preview,
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
        preview.stem_html = render_markdown(instance.get("stem", ""))
        preview.explanation_html = render_markdown(instance.get("explanation", ""))
        preview.review = review_view(instance)
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


# ---- GIFT upload -----------------------------------------------------------------------


@dataclass
class GiftPlan:
    """A parsed upload: each valid question with what saving it would do, and every problem."""

    rows: list[dict] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)

    @property
    def valid(self) -> list[dict]:
        """The questions that can be saved."""
        return [row["data"] for row in self.rows]

    @property
    def refused(self) -> int:
        """How many questions have problems (each is listed once however many problems it has)."""
        return len({(p.item, p.line) for p in self.problems})


def plan_gift(text: str, filename: str, defaults: dict) -> GiftPlan:
    """Parse GIFT text and say, for each question, whether it would be created, updated or unchanged."""
    result = parse_gift(text, file=filename, defaults=defaults, require_metadata=True)
    plan = GiftPlan(problems=list(result.problems))
    codes = blueprint_codes()
    existing = {q.uid: q for q in db.session.scalars(
        select(Question).where(Question.uid.in_([q["id"] for q in result.questions]))
        .options(selectinload(Question.current_version))
    )}
    for data in result.questions:
        # an exported file's rxtrainer comments may name blueprint codes this site does not know
        extra = validate_question(data, blueprint_codes=codes)
        if data["id"] in RESERVED_IDS:
            extra.append(("id", f"{data['id']} is the address of a bank page; give the question a ::title::"))
        if extra:
            plan.problems.extend(SourceProblem(filename, None, message, data["id"], name) for name, message in extra)
            continue
        question = existing.get(data["id"])
        if question is None:
            outcome = "create"
        elif question.current_version is not None and question.current_version.content_hash == content_hash(data):
            outcome = "unchanged"
        else:
            outcome = "update"
        plan.rows.append({"data": data, "outcome": outcome, "existing": question,
                          "type_label": _type_label(data["type"])})
    plan.problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return plan


def _gift_text(form: GiftUploadForm) -> str | None:
    """The uploaded file's text, else the pasted text; None (with the error shown) if unreadable."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["is not UTF-8 text; in Moodle export it as UTF-8, or paste the text below"]
            return None
        form.filename.data = Path(upload.filename).name[:100]
        form.text.data = text
        return text
    text = unix_newlines(form.text.data)
    if not text.strip():
        form.text.errors = ["choose a file or paste GIFT text"]
        return None
    form.filename.data = form.filename.data or "pasted.gift"
    return text


@bp.route("/questions/import", methods=["GET", "POST"])
@instructor_required
def gift_upload():
    form = GiftUploadForm()
    if request.method == "GET" or request.form.get("op") == "edit":
        # "op=edit" comes back from the preview: the same text and defaults, to change them
        return render_template("teach/questions/gift_upload.html", form=form)
    form.validate()
    text = _gift_text(form)
    defaults_ok = form.check_defaults(blueprint_codes())
    if text is None or not defaults_ok or form.errors:
        return render_template("teach/questions/gift_upload.html", form=form), 422
    plan = plan_gift(text, form.filename.data, form.defaults())
    return render_template("teach/questions/gift_preview.html", form=form, plan=plan)


@bp.post("/questions/import/confirm")
@instructor_required
def gift_confirm():
    """Save the previewed upload: the text comes back and is parsed and checked again, never trusted."""
    form = GiftUploadForm()
    form.validate()
    text = unix_newlines(form.text.data)
    if not text.strip() or not form.check_defaults(blueprint_codes()) or form.errors:
        return render_template("teach/questions/gift_upload.html", form=form), 422
    filename = (form.filename.data or "pasted.gift")[:100]
    plan = plan_gift(text, filename, form.defaults())
    to_save = [row for row in plan.rows if row["outcome"] != "unchanged"]
    if plan.problems and request.form.get("skip_invalid") != "y":
        flash("Some questions have problems. Fix the file, or tick the box to import only the valid ones.", "error")
        return render_template("teach/questions/gift_preview.html", form=form, plan=plan), 422
    if not plan.rows:
        flash("There is nothing to import: no question in this upload is valid.", "error")
        return render_template("teach/questions/gift_preview.html", form=form, plan=plan), 422
    counts = {"created": 0, "updated": 0, "unchanged": len(plan.rows) - len(to_save)}
    for row in to_save:
        _, outcome = save_question(row["data"], source=f"gift:{filename}", actor=current_user, note="GIFT upload")
        counts[outcome] = counts.get(outcome, 0) + 1
    AuditEvent.record("questions_imported", subject=f"gift:{filename}", actor=current_user,
                      skipped=plan.refused, **counts)
    db.session.commit()
    flash(f"Imported from {filename}: {counts['created']} created, {counts['updated']} updated, "
          f"{counts['unchanged']} unchanged" + (f", {plan.refused} skipped." if plan.problems else "."), "success")
    return redirect(url_for("teach.questions", q="", status=form.status.data))
