"""Courses for learners: the catalog, a course's page, its module pages with knowledge
checks and progress, search across modules, and completion with CE credit.

Module pages serve the HTML stored when the module was saved: no request renders
markdown. A draft course is invisible to learners (404) and shown to instructors with a
banner.
"""

from __future__ import annotations

import functools
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import defer, joinedload

from trainer.database import writing
from trainer.extensions import db
from trainer.models import CECredit, Course, Module, ModuleProgress, Quiz
from trainer.services import ownership, post_tests, progress
from trainer.services.knowledge_checks import answer_module_check
from trainer.services.search import search_modules
from trainer.web.courses import knowledge_checks
from trainer.web.courses.forms import (
    AUDIENCE_NAMES,
    HOUR_RANGES,
    TOPIC_NAMES,
    CatalogFilterForm,
    SearchForm,
    narrowing_filters,
)
from trainer.web.main.routes import dashboard_panel

bp = Blueprint("courses", __name__, url_prefix="/courses", template_folder="templates")

# What a list of modules needs; the body (html, markdown, plain text) stays in the database.
MODULE_LIST_COLUMNS = (Module.id, Module.course_id, Module.slug, Module.title, Module.position,
                       Module.minutes, Module.checks)
# Control characters have no place in a search and PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@bp.app_template_filter("ce_hours")
def ce_hours_filter(value) -> str:
    """CE hours without trailing zeros: 2, 1.5, 0.25."""
    text = f"{float(value or 0):.2f}".rstrip("0").rstrip(".")
    return text or "0"


@bp.context_processor
def _names():
    return {"topic_names": TOPIC_NAMES, "audience_names": AUDIENCE_NAMES}


def _is_instructor() -> bool:
    return current_user.is_authenticated and current_user.is_instructor


def _visible(stmt):
    """Limit a course query to what the current user may see: drafts only for instructors."""
    return stmt if _is_instructor() else stmt.where(Course.status == "published")


@functools.cache
def _course_statement(drafts: bool):
    """The course with its modules (listing columns) and post-test, built once: every course
    and module page runs it, and building a select() costs more than running it."""
    stmt = select(Course).where(Course.slug == bindparam("slug")).options(
        # one query: a course has a handful of modules
        joinedload(Course.modules).load_only(*MODULE_LIST_COLUMNS),
        joinedload(Course.post_test).load_only(Quiz.id, Quiz.slug, Quiz.title, Quiz.status),
    )
    return stmt if drafts else stmt.where(Course.status == "published")


# The page shows the stored HTML: the markdown source and the search text (each about as
# long again) stay in the database unless something asks for them.
MODULE_BODY = (
    select(Module)
    .options(defer(Module.markdown), defer(Module.plain_text))
    .where(Module.id == bindparam("module_id"))
    .execution_options(populate_existing=True)
)


def _load_course(slug: str) -> Course:
    """The course with its modules (listing columns) and post-test quiz, or 404."""
    course = db.session.scalars(_course_statement(_is_instructor()), {"slug": slug}).unique().one_or_none()
    if course is None:
        abort(404)
    if not ownership.may_view(current_user, course):
        abort(404)  # another instructor's draft (trainer.services.ownership)
    return course


def _module_in(course: Course, module_slug: str) -> Module:
    module = next((m for m in course.modules if m.slug == module_slug), None)
    if module is None:
        abort(404)
    return module


def _load_body(module: Module) -> Module:
    """Load the module's stored HTML, contents table and front matter (left out of the course's list)."""
    return db.session.scalars(MODULE_BODY, {"module_id": module.id}).one()


def _post_test_url(course: Course) -> str | None:
    if course.post_test is None or "quizzes.quiz" not in current_app.view_functions:
        return None
    return url_for("quizzes.quiz", slug=course.post_test.slug)


def _resume_url(course: Course, state: progress.CourseProgress) -> str | None:
    last = state.last_viewed
    if last is None:
        return None
    module = next((m for m in course.modules if m.id == last.module_id), None)
    if module is None:
        return None
    return url_for("courses.module", slug=course.slug, module_slug=module.slug,
                   _anchor=last.last_anchor or None)


# --- catalog -------------------------------------------------------------------------


CATALOG_COLUMNS = (Course.id, Course.slug, Course.title, Course.summary_html, Course.audience,
                   Course.ce_hours, Course.ce_topic, Course.activity_type, Course.status,
                   Course.post_test_quiz_id, Course.pass_mark)


@functools.cache
def _catalog_statement(drafts: bool, audience: bool, topic: bool, above: bool, up_to: bool):
    """The catalog's query for one combination of filters, built once; the filter values are parameters.

    Rows, not model objects: the catalog only reads them.
    """
    counts = (
        select(Module.course_id, func.count(Module.id).label("n"))
        .group_by(Module.course_id)
        .subquery()
    )
    stmt = (
        select(*CATALOG_COLUMNS, func.coalesce(counts.c.n, 0).label("module_count"))
        .outerjoin(counts, counts.c.course_id == Course.id)
        .order_by(Course.title, Course.id)
    )
    if not drafts:
        stmt = stmt.where(Course.status == "published")
    if audience:
        stmt = stmt.where(Course.audience.in_([bindparam("audience"), "both"]))
    if topic:
        stmt = stmt.where(Course.ce_topic == bindparam("topic"))
    if above:
        stmt = stmt.where(Course.ce_hours > bindparam("above"))
    if up_to:
        stmt = stmt.where(Course.ce_hours <= bindparam("up_to"))
    return stmt


@functools.cache
def _catalog_filters_html(audience: str, topic: str, hours: str, shown: frozenset[str]) -> Markup:
    """The filter form with these (valid) choices selected and these filters shown, rendered once per combination.

    Rendering WTForms' select widgets was a sixth of the catalog's time; the form changes
    nothing (a GET form, no token) and has a few dozen valid combinations.
    """
    form = CatalogFilterForm(formdata=None, data={"audience": audience, "topic": topic, "hours": hours})
    template = current_app.jinja_env.get_template("courses/_catalog_filters.html")
    return Markup(template.render(form=form, shown=shown))  # noqa: S704 - an autoescaped template


@functools.lru_cache(maxsize=1024)
def _course_card(course, script_root: str) -> Markup:
    """A catalog card without the learner's progress, rendered once per version of the course's row.

    The row holds every column the card shows, so an edited course (or a module added)
    is a new key and a new card; the script root is part of the key for the links.
    """
    template = current_app.jinja_env.get_template("courses/_course_card.html")
    return Markup(template.render(  # noqa: S704 - an autoescaped template
        course=course, topic_names=TOPIC_NAMES, audience_names=AUDIENCE_NAMES).strip())


@bp.get("/")
def catalog():
    form = CatalogFilterForm(formdata=request.args)
    form.validate()
    values = {}
    if form.audience.data and not form.audience.errors:
        values["audience"] = form.audience.data
    if form.topic.data and not form.topic.errors:
        values["topic"] = form.topic.data
    if form.hours.data and not form.hours.errors:
        _, above, up_to = HOUR_RANGES[form.hours.data]
        if above is not None:
            values["above"] = above
        if up_to is not None:
            values["up_to"] = up_to
    stmt = _catalog_statement(_is_instructor(), "audience" in values, "topic" in values,
                              "above" in values, "up_to" in values)
    courses = db.session.execute(stmt, values).all()
    module_counts = {course.id: course.module_count for course in courses}
    states = progress.learner_progress(current_user, courses, module_counts)
    filtered = any(f.data for f in (form.audience, form.topic, form.hours))
    # A filter is offered once it can narrow the whole list; one in use always stays.
    whole = courses
    if values:
        whole = db.session.execute(_catalog_statement(_is_instructor(), False, False, False, False)).all()
    shown = narrowing_filters(whole) | {f.name for f in (form.audience, form.topic, form.hours) if f.data}
    filters_html = None
    if not form.errors:
        filters_html = _catalog_filters_html(form.audience.data or "", form.topic.data or "",
                                             form.hours.data or "", shown)
    cards = {course.id: _course_card(course, request.script_root) for course in courses}
    return render_template("courses/catalog.html", form=form, courses=courses, filters_html=filters_html,
                           cards=cards, states=states, filtered=filtered, shown=shown)


# --- search --------------------------------------------------------------------------


@bp.get("/search")
def search():
    form = SearchForm(formdata=request.args)
    hits, query = [], ""
    if form.validate():
        query = CONTROL_CHARACTERS.sub(" ", form.q.data or "").strip()
        hits = search_modules(query) if query else []
    return render_template("courses/search.html", form=form, hits=hits, query=query), (
        400 if form.errors else 200
    )


# --- a course ------------------------------------------------------------------------


@bp.get("/<slug>")
def course(slug: str):
    course = _load_course(slug)
    state = progress.course_progress(current_user, course)
    prerequisites = []
    if course.prerequisites:
        found = db.session.execute(
            _visible(select(Course.id, Course.slug, Course.title).where(Course.slug.in_(course.prerequisites)))
        ).all()
        done = set()
        if current_user.is_authenticated and found:
            done = set(db.session.scalars(
                select(CECredit.course_id).where(
                    CECredit.user_id == current_user.id, CECredit.source == "course",
                    CECredit.course_id.in_([row.id for row in found]),
                )
            ))
        prerequisites = [{"slug": row.slug, "title": row.title, "done": row.id in done} for row in found]
    first = course.modules[0] if course.modules else None
    return render_template(
        "courses/course.html", course=course, state=state, prerequisites=prerequisites,
        post_test_url=_post_test_url(course), resume_url=_resume_url(course, state), first_module=first,
    )


# --- a module ------------------------------------------------------------------------


def _neighbours(course: Course, module: Module) -> tuple[Module | None, Module | None]:
    index = course.modules.index(module)
    previous = course.modules[index - 1] if index > 0 else None
    following = course.modules[index + 1] if index + 1 < len(course.modules) else None
    return previous, following


LEADING_H1 = re.compile(r"\s*(<h1[\s>].*?</h1>)", re.DOTALL)


def _split_heading(html: Markup) -> tuple[Markup | None, Markup]:
    """The module's own leading <h1> (most modules open with their title) and the rest, so
    the learning objectives can sit under the title."""
    match = LEADING_H1.match(html)
    if match is None:
        return None, html
    return Markup(match.group(1)), Markup(html[match.end():])  # noqa: S704 - pieces of sanitised HTML


def _render_check(course: Course, module: Module, check: knowledge_checks.KnowledgeCheck) -> str:
    # A fragment spliced into the page: rendered straight from the template, without the
    # context processors render_template would run again for every check on the page.
    template = current_app.jinja_env.get_template("courses/_check.html")
    return template.render(course=course, module=module, check=check).strip()


def _module_page(course: Course, module: Module, checks: dict, status: int = 200,
                 state: progress.CourseProgress | None = None):
    state = state or progress.course_progress(current_user, course)
    rendered = {uid: _render_check(course, module, check) for uid, check in checks.items()}
    previous, following = _neighbours(course, module)
    unanswered = [uid for uid, check in checks.items() if not check.answered]
    heading, body = _split_heading(knowledge_checks.page_html(module.html, rendered))
    return render_template(
        "courses/module.html", course=course, module=module, state=state,
        heading=heading, body=body, checks=checks, unanswered=unanswered,
        previous=previous, following=following, post_test_url=_post_test_url(course),
        complete=module.id in state.completed_module_ids,
    ), status


@bp.get("/<slug>/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    course = _load_course(slug)
    module = _load_body(_module_in(course, module_slug))
    checks = knowledge_checks.existing_checks(current_user, module)
    state = progress.course_progress(current_user, course)
    if checks is not None and not progress.view_changes_progress(state, module):
        return _module_page(course, module, checks, state=state)  # a re-view: a plain read
    # The first view (the learner's check items are made then) or a move from another
    # module: record it in a write transaction of its own. On SQLite it must lock at BEGIN
    # (BEGIN IMMEDIATE): a read transaction cannot be upgraded once another request wrote.
    db.session.rollback()
    with writing():
        course = _load_course(slug)
        module = _load_body(_module_in(course, module_slug))
        checks = knowledge_checks.load_checks(current_user, module)
        progress.record_view(current_user, module)
        page = _module_page(course, module, checks)
        db.session.commit()
    return page


@bp.post("/<slug>/<module_slug>/checks/<uid>")
@login_required
def answer_check(slug: str, module_slug: str, uid: str):
    course = _load_course(slug)
    module = _load_body(_module_in(course, module_slug))
    if uid not in (module.checks or []):
        abort(404)
    check = knowledge_checks.load_check(current_user, module, uid)
    if check.item is None:
        abort(404)
    answer = knowledge_checks.read_answer(check, request.form)
    if answer.error is None:
        item, _grade = answer_module_check(current_user, module, uid, answer.response)
        check = knowledge_checks.describe(uid, item)
        db.session.commit()
    else:
        check.error, check.typed = answer.error, answer.typed
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"answered": check.answered, "html": _render_check(course, module, check)}), (
            422 if check.error else 200
        )
    if check.error is None:
        return redirect(url_for("courses.module", slug=slug, module_slug=module_slug, _anchor=f"check-{uid}"))
    checks = knowledge_checks.load_checks(current_user, module)
    checks[uid] = check
    return _module_page(course, module, checks, status=422)


@bp.post("/<slug>/<module_slug>/position")
@login_required
def remember_position(slug: str, module_slug: str):
    course = _load_course(slug)
    module = _load_body(_module_in(course, module_slug))
    data = request.get_json(silent=True)
    anchor = data.get("anchor") if isinstance(data, dict) else None
    if not progress.record_anchor(current_user, module, anchor):
        return jsonify({"error": "That is not a heading of this module."}), 400
    db.session.commit()
    return "", 204


@bp.post("/<slug>/<module_slug>/complete")
@login_required
def complete_module(slug: str, module_slug: str):
    course = _load_course(slug)
    module = _module_in(course, module_slug)
    missing = progress.complete_module(current_user, module)
    if missing:
        count = len(missing)
        flash(f"Answer the {count} knowledge check{'s' if count != 1 else ''} still open on this page "
              "before you mark the module complete.", "error")
        return redirect(url_for("courses.module", slug=slug, module_slug=module_slug,
                                _anchor=f"check-{missing[0]}"))
    credit = progress.complete_course(current_user, course)
    db.session.commit()
    if credit is not None:
        flash(f"Course complete: {ce_hours_filter(credit.hours)} CE hours recorded.", "success")
        return redirect(url_for("courses.completion", slug=slug))
    flash(f"“{module.title}” is complete.", "success")
    _, following = _neighbours(course, module)
    if following is not None:
        return redirect(url_for("courses.module", slug=slug, module_slug=following.slug))
    return redirect(url_for("courses.course", slug=slug))


# --- completion ----------------------------------------------------------------------


@bp.get("/<slug>/completion")
@login_required
def completion(slug: str):
    course = _load_course(slug)
    credit = progress.latest_credit(current_user, course)
    if credit is None:
        abort(404)
    return render_template("courses/completion.html", course=course, credit=credit,
                           attempts=post_tests.attempts_for_credit(credit))


@bp.post("/<slug>/completion")
@login_required
def complete_course(slug: str):
    course = _load_course(slug)
    credit = progress.complete_course(current_user, course)
    db.session.commit()
    if credit is not None:
        flash(f"Course complete: {ce_hours_filter(credit.hours)} CE hours recorded.", "success")
        return redirect(url_for("courses.completion", slug=slug))
    state = progress.course_progress(current_user, course)
    if state.completed:
        flash("Your completion of this course is already recorded.", "info")
        return redirect(url_for("courses.completion", slug=slug))
    if not state.has_post_test:
        flash("This course has no post-test yet, so it cannot be completed for now.", "error")
    elif not state.all_modules_done:
        flash("Complete every module first.", "error")
    else:
        flash(f"Pass the post-test with at least {course.pass_mark}% first.", "error")
    return redirect(url_for("courses.course", slug=slug))


# --- dashboard -----------------------------------------------------------------------


@functools.cache
def _started_courses_statement(drafts: bool):
    """The courses a learner started or completed, with module counts, built once (rows)."""
    started = select(ModuleProgress.course_id).where(ModuleProgress.user_id == bindparam("user_id"))
    credited = select(CECredit.course_id).where(
        CECredit.user_id == bindparam("user_id"), CECredit.source == "course", CECredit.course_id.is_not(None)
    )
    counts = (
        select(Module.course_id, func.count(Module.id).label("n")).group_by(Module.course_id).subquery()
    )
    stmt = (
        select(Course.id, Course.slug, Course.title, Course.status, Course.post_test_quiz_id,
               Course.pass_mark, func.coalesce(counts.c.n, 0).label("module_count"))
        .outerjoin(counts, counts.c.course_id == Course.id)
        .where(Course.id.in_(started.union(credited).scalar_subquery()))
        .order_by(Course.title)
    )
    return stmt if drafts else stmt.where(Course.status == "published")


@dashboard_panel
def courses_panel(user) -> dict:
    """The dashboard's "Courses" panel: courses in progress with their percent, and completed ones."""
    rows = db.session.execute(_started_courses_statement(user.is_instructor), {"user_id": user.id}).all()
    states = progress.learner_progress(user, rows, {c.id: c.module_count for c in rows})
    in_progress, completed = [], []
    for course in rows:
        state = states[course.id]
        if state.completed:
            completed.append({
                "text": f"{course.title}: completed, {ce_hours_filter(state.credit.hours)} CE hours",
                "url": url_for("courses.completion", slug=course.slug),
            })
        else:
            in_progress.append({
                "text": f"{course.title}: {state.percent}% done",
                "url": url_for("courses.course", slug=course.slug),
            })
    return {
        "title": "Courses",
        "lines": in_progress + completed,
        "empty": "You have not started a course yet.",
        "link": {"text": "Browse courses", "url": url_for("courses.catalog")},
    }
