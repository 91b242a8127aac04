"""Instructor pages for courses: create and edit courses and modules, preview, reorder,
publish, and each module's version history with diff and restore.

In a published course a module's edits go to a draft: learners read the published text
until the instructor publishes the draft (after previewing it as learners will see it, or
comparing it with the published text), or discard it.

Markdown is rendered with the same renderer and sanitiser as the file import
(trainer.content.render_module), once when a module is saved; the HTML is stored. The
only requests that render on demand are the instructor's previews.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from trainer.ce.post_test import DEFAULT_ATTEMPTS, DEFAULT_WAIT_HOURS
from trainer.content import ImportFailed, module_file_text, render_module
from trainer.content.sanitize import CHECK_CLASS, QUESTION_ID
from trainer.extensions import db
from trainer.models import (
    Attempt,
    AuditEvent,
    Course,
    Module,
    ModuleDraft,
    ModuleProgress,
    ModuleRevision,
    Question,
    Quiz,
    User,
)
from trainer.services import post_tests
from trainer.services.courses import (
    apply_module_text,
    editor_version,
    edits_go_to_draft,
    glossary,
    keep_revision,
    publish_draft,
    save_draft,
)
from trainer.services.ownership import copied_from, visible_to
from trainer.services.search import index_module, unindex_module
from trainer.web.access import authorised, instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.course_forms import (
    ACPE_TOPICS,
    ACTIVITY_LABELS,
    AUDIENCE_LABELS,
    MAX_MARKDOWN,
    CourseForm,
    ModuleForm,
    MoveForm,
    NewCourseForm,
    NewModuleForm,
    PreviewForm,
    StatusForm,
    lines_of,
    parse_hours,
    slug_from_title,
)
from trainer.web.teach.routes import bp, teach_section

teach_section(
    "teach.courses", "Courses",
    "Write courses and modules in markdown with a live preview, put modules in order, "
    "see a draft as learners will, publish, and go back to any earlier version.",
)

# Path words under /teach/courses/ that a course slug may not take.
RESERVED_SLUGS = frozenset({"new"})
# Ids and version numbers are 32-bit integer columns: a larger number in a URL is simply
# not found (PostgreSQL would reject the comparison outright).
MAX_INTEGER = 2**31 - 1


# --- loading -------------------------------------------------------------------------


def _course_or_404(slug: str, *, edit: bool = True) -> Course:
    """The course, if the current user may open it (and, with `edit`, change it)."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        abort(404)
    return authorised(course, edit=edit)


def _module_or_404(course: Course, module_id: int) -> Module:
    module = db.session.get(Module, module_id) if module_id <= MAX_INTEGER else None
    if module is None or module.course_id != course.id:
        abort(404)
    return module


def _revision_or_404(module: Module, version: int) -> ModuleRevision:
    if version > MAX_INTEGER:
        abort(404)
    revision = db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.module_id == module.id,
                                     ModuleRevision.version == version)
    )
    if revision is None:
        abort(404)
    return revision


def _subject(course: Course, module: Module | None = None) -> str:
    return f"course:{course.slug}" + (f"/{module.slug}" if module is not None else "")


# --- markdown checks shared by the editor, the live preview and restore ----------------


def _problem_text(problem) -> str:
    return f"Line {problem.line}: {problem.message}" if problem.line else problem.message


def render_for_author(markdown: str):
    """Render module markdown as it will be stored: (RenderedModule or None, problems as text).

    Problems are the renderer's (unknown or malformed directives…) and knowledge checks
    whose question is not in the bank, each with its line in the text.
    """
    if len(markdown) > MAX_MARKDOWN:  # checked before rendering: rendering costs time
        return None, [f"The text is longer than {MAX_MARKDOWN:,} characters; split the module."]
    try:
        rendered = render_module(markdown, glossary(), file="text")
    except ImportFailed as failed:
        return None, [_problem_text(p) for p in failed.problems]
    known = set()
    if rendered.checks:
        known = set(db.session.scalars(select(Question.uid).where(Question.uid.in_(rendered.checks))))
    problems = [
        f"Line {line}: knowledge check {uid!r} is not a question in the bank"
        for uid, line in zip(rendered.checks, rendered.check_lines, strict=False)
        if uid not in known
    ]
    return rendered, problems


def _add_errors(field, messages) -> None:
    # Before validate() a field's errors are an empty tuple.
    field.errors = [*field.errors, *messages]


# --- courses -------------------------------------------------------------------------


@bp.get("/courses")
@instructor_required
def courses():
    module_counts = (
        select(Module.course_id, func.count(Module.id).label("modules"))
        .group_by(Module.course_id).subquery()
    )
    rows = db.session.execute(
        select(Course, func.coalesce(module_counts.c.modules, 0))
        .outerjoin(module_counts, module_counts.c.course_id == Course.id)
        .where(visible_to(Course, current_user))
        .order_by(Course.title, Course.id)
    ).all()
    return render_template("teach/courses/list.html", rows=rows)


def _fill_course_choices(form: CourseForm, course: Course | None) -> None:
    quizzes = db.session.execute(select(Quiz.id, Quiz.title, Quiz.slug).order_by(Quiz.title)).all()
    form.post_test.choices = [("", "No post-test yet")] + [
        (str(q.id), f"{q.title} ({q.slug})") for q in quizzes
    ]
    others = db.session.execute(select(Course.slug, Course.title).order_by(Course.title)).all()
    form.prerequisites.choices = [
        (c.slug, f"{c.title} ({c.slug})") for c in others if course is None or c.slug != course.slug
    ]


POLICY_FIELDS = {"post_test_attempts", "post_test_wait_hours"}


def _course_data(course: Course) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "audience": course.audience,
        "ce_hours": format(course.ce_hours.normalize(), "f"),
        "ce_topic": course.ce_topic,
        "activity_type": course.activity_type,
        "uan": course.uan or "",
        "post_test": str(course.post_test_quiz_id or ""),
        "pass_mark": course.pass_mark,
        "post_test_attempts": course.post_test_attempts,
        "post_test_wait_hours": course.post_test_wait_hours,
        "prerequisites": list(course.prerequisites or []),
        "references": "\n".join(course.references or []),
        "status": course.status,
    }


def _course_values(form: CourseForm) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "audience": form.audience.data,
        "ce_hours": parse_hours(form.ce_hours.data),
        "ce_topic": form.ce_topic.data,
        "activity_type": form.activity_type.data,
        "uan": form.uan.data or None,
        "post_test_quiz_id": int(form.post_test.data) if form.post_test.data else None,
        "pass_mark": form.pass_mark.data,
        "post_test_attempts": form.post_test_attempts.data,
        "post_test_wait_hours": form.post_test_wait_hours.data,
        "prerequisites": list(form.prerequisites.data or []),
        "references": lines_of(form.references.data),
        "status": form.status.data,
    }


def _prerequisite_cycle(slug: str, prerequisites: list[str]) -> list[str] | None:
    """The circle of courses that `prerequisites` would close for `slug`, if any."""
    graph = {c_slug: list(p or []) for c_slug, p in db.session.execute(
        select(Course.slug, Course.prerequisites))}
    graph[slug] = prerequisites
    # Depth-first from the new prerequisites: reaching `slug` again is a circle.
    stack = [(p, [slug, p]) for p in prerequisites]
    seen = set()
    while stack:
        current, path = stack.pop()
        if current == slug:
            return path
        if current in seen:
            continue
        seen.add(current)
        stack.extend((nxt, [*path, nxt]) for nxt in graph.get(current, []))
    return None


def _unpublished_checks(slug: str) -> list[str]:
    """Knowledge-check questions of a course's modules that learners cannot be given."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    uids = {uid for module in (course.modules if course else []) for uid in (module.checks or [])}
    if not uids:
        return []
    return sorted(db.session.scalars(
        select(Question.uid).where(Question.uid.in_(uids), Question.status != "published")
    ))


def _publish_problems(values: dict, module_count: int, slug: str | None = None) -> list[str]:
    """Why a course cannot be published yet (a learner could never complete it)."""
    problems = []
    if values["status"] != "published":
        return problems
    # Every check must be answered to complete a module, so a check on a draft or retired
    # question would leave learners stuck.
    unpublished = _unpublished_checks(slug) if slug else []
    if unpublished:
        problems.append("These knowledge-check questions are not published: "
                        f"{', '.join(unpublished)}. Publish them in the question bank first.")
    if not module_count:
        problems.append("A course needs at least one module before it is published: save it as "
                        "a draft, add modules, then publish.")
    if values["post_test_quiz_id"] is None:
        problems.append("Choose a post-test quiz before publishing: learners complete the "
                        "course by passing it.")
    elif values.get("ce_hours"):
        quiz = db.session.get(Quiz, values["post_test_quiz_id"])
        pool = post_tests.pool_report(quiz) if quiz is not None else []
        if pool:
            problems.append(f"The post-test “{quiz.title}” cannot award CE yet: {'; '.join(pool)}. "
                            "Add questions to its pool in the question bank, or draw fewer.")
    return problems


def _check_course(form: CourseForm, values: dict, slug: str, module_count: int) -> str | None:
    """Checks needing the database or the renderer; errors go beside the fields.

    Returns the summary's HTML when everything is in order, else None.
    """
    summary_html = None
    try:
        rendered = render_module(values["summary"], glossary(), file="summary")
    except ImportFailed as failed:
        _add_errors(form.summary, [_problem_text(p) for p in failed.problems])
    else:
        if rendered.checks:
            _add_errors(form.summary, ["A summary cannot hold a knowledge check; put it in a module."])
        else:
            summary_html = rendered.html
    cycle = _prerequisite_cycle(slug, values["prerequisites"])
    if cycle:
        _add_errors(form.prerequisites, [f"Prerequisites would go round in a circle: {' → '.join(cycle)}."])
    _add_errors(form.status, _publish_problems(values, module_count, slug))
    if form.errors:
        return None
    return summary_html


@bp.route("/courses/new", methods=["GET", "POST"])
@instructor_required
def new_course():
    form = NewCourseForm()
    _fill_course_choices(form, None)
    if form.validate_on_submit():
        slug = form.slug.data or slug_from_title(form.title.data)
        if not slug:
            _add_errors(form.slug, ["Choose a slug: the title has no letters or digits to make one from."])
        elif slug in RESERVED_SLUGS:
            _add_errors(form.slug, [f"{slug!r} is used by the site's own pages; choose another slug."])
        elif db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
            _add_errors(form.slug, [f"A course with the slug {slug!r} already exists; choose another."])
        values = _course_values(form)
        values["post_test_attempts"] = values["post_test_attempts"] or DEFAULT_ATTEMPTS
        if values["post_test_wait_hours"] is None:
            values["post_test_wait_hours"] = DEFAULT_WAIT_HOURS
        summary_html = _check_course(form, values, slug, module_count=0)
        if summary_html is not None:
            course = Course(slug=slug, version=1, source="browser", summary_html=summary_html,
                            owner_id=current_user.id, **values)
            db.session.add(course)
            AuditEvent.record("course_created", subject=f"course:{slug}", actor=current_user,
                              status=values["status"])
            try:
                db.session.commit()
            except IntegrityError:  # another instructor took the slug a moment ago
                db.session.rollback()
                _add_errors(form.slug, [f"A course with the slug {slug!r} already exists; choose another."])
            else:
                flash(f"Course “{course.title}” created as a {course.status}. Now add its modules.", "success")
                return redirect(url_for("teach.course", slug=course.slug))
    return render_template("teach/courses/course_form.html", form=form, course=None)


@bp.get("/courses/<slug>")
@instructor_required
def course(slug: str):
    course = _course_or_404(slug, edit=False)
    progress_counts = dict(db.session.execute(
        select(ModuleProgress.module_id, func.count(ModuleProgress.id))
        .where(ModuleProgress.course_id == course.id).group_by(ModuleProgress.module_id)
    ).all())
    drafts = set(db.session.scalars(
        select(ModuleDraft.module_id).join(Module, Module.id == ModuleDraft.module_id)
        .where(Module.course_id == course.id)))
    return render_template(
        "teach/courses/course.html", course=course, modules=course.modules, drafts=drafts,
        progress_counts=progress_counts, topics=ACPE_TOPICS, audiences=AUDIENCE_LABELS,
        activities=ACTIVITY_LABELS,
    )


@bp.route("/courses/<slug>/edit", methods=["GET", "POST"])
@instructor_required
def edit_course(slug: str):
    course = _course_or_404(slug)
    form = CourseForm(data=_course_data(course))
    _fill_course_choices(form, course)
    if form.validate_on_submit():
        values = _course_values(form)
        summary_html = _check_course(form, values, course.slug, module_count=len(course.modules))
        if summary_html is not None:
            for name in POLICY_FIELDS:
                if values[name] is None:  # not posted: the course keeps its own
                    values[name] = getattr(course, name)
            changed = [name for name, value in values.items() if getattr(course, name) != value]
            if not changed:
                flash("Nothing changed.", "info")
                return redirect(url_for("teach.course", slug=course.slug))
            for name in changed:
                setattr(course, name, values[name])
            course.summary_html = summary_html
            # The post-test's attempt rules are how it is sat, not what the course teaches:
            # they alone make no new version (which would let learners earn the credit again).
            if set(changed) - POLICY_FIELDS:
                course.version += 1
            AuditEvent.record("course_updated", subject=_subject(course), actor=current_user,
                              fields=changed, version=course.version)
            db.session.commit()
            flash(f"Course saved (version {course.version}).", "success")
            return redirect(url_for("teach.course", slug=course.slug))
    return render_template("teach/courses/course_form.html", form=form, course=course)


@bp.post("/courses/<slug>/status")
@instructor_required
def course_status(slug: str):
    course = _course_or_404(slug)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    status = form.status.data
    if status == course.status:
        return redirect(url_for("teach.course", slug=course.slug))
    problems = _publish_problems({"status": status, "post_test_quiz_id": course.post_test_quiz_id,
                                  "ce_hours": course.ce_hours},
                                 len(course.modules), course.slug)
    if problems:
        for problem in problems:
            flash(problem, "error")
        return redirect(url_for("teach.course", slug=course.slug))
    course.status = status
    course.version += 1
    AuditEvent.record("course_updated", subject=_subject(course), actor=current_user,
                      fields=["status"], status=status, version=course.version)
    db.session.commit()
    flash("Course published: learners can see it in the catalog." if status == "published"
          else "Course returned to draft: learners can no longer see it.", "success")
    return redirect(url_for("teach.course", slug=course.slug))


# --- modules -------------------------------------------------------------------------


def _module_data(module: Module, draft=None) -> dict:
    """The editor's starting values: the draft's text if there is one, else the module's."""
    text = draft or module
    return {
        "title": text.title,
        "objectives": "\n".join(text.objectives or []),
        "minutes": text.minutes,
        "references": "\n".join(text.references or []),
        "markdown": text.markdown,
        "version": editor_version(module),
    }


def _module_values(form: ModuleForm) -> dict:
    return {
        "title": form.title.data,
        "objectives": lines_of(form.objectives.data),
        "minutes": form.minutes.data,
        "references": lines_of(form.references.data),
        "markdown": form.markdown.data,
    }


def _module_text_changed(module: Module, values: dict) -> bool:
    return any(getattr(module, name) != value for name, value in values.items())


def _editor(form, course: Course, module: Module | None, preview_html: str | None = None, *,
            drafting: bool = False):
    return render_template(
        "teach/courses/module_form.html", form=form, course=course, module=module,
        preview_html=preview_html, drafting=drafting, draft=module.draft if module is not None else None,
    )


def _handle_module_post(form: ModuleForm, module: Module | None):
    """Validate an editor post: returns (rendered module or None, preview HTML or None)."""
    rendered, problems = render_for_author(form.markdown.data or "")
    if request.form.get("action") == "preview":
        # Preview without JavaScript: only the text is checked, nothing is saved.
        _add_errors(form.markdown, problems)
        return None, rendered.html if rendered else None
    valid = form.validate()
    _add_errors(form.markdown, problems)
    if module is not None and module.draft is not None and form.version.data != editor_version(module):
        form.form_errors.append(
            "Someone saved the draft of this module while you were editing it. Your text is below, "
            "unsaved: copy your changes, reload the module, and apply them to the newer draft."
        )
        valid = False
    elif module is not None and module.draft is None and "." in (form.version.data or ""):
        form.form_errors.append(
            "The draft you were editing was published or discarded while you were editing it. Your text "
            "is below, unsaved: copy your changes, reload the module, and apply them again."
        )
        valid = False
    elif module is not None and (form.version.data or "").split(".")[0] != str(module.version):
        form.form_errors.append(
            f"Someone saved this module while you were editing it (it is now version "
            f"{module.version}; you started from version {(form.version.data or '?').split('.')[0]}). Your text is "
            "below, unsaved: copy your changes, reload the module, and apply them again."
        )
        valid = False
    return (rendered if valid and not problems else None), None


@bp.route("/courses/<slug>/modules/new", methods=["GET", "POST"])
@instructor_required
def new_module(slug: str):
    course = _course_or_404(slug)
    form = NewModuleForm()
    if request.method == "GET":
        return _editor(form, course, None)
    rendered, preview_html = _handle_module_post(form, None)
    if rendered is not None:
        module_slug = form.slug.data or slug_from_title(form.title.data)
        if not module_slug:
            _add_errors(form.slug, ["Choose a slug: the title has no letters or digits to make one from."])
        elif any(m.slug == module_slug for m in course.modules):
            _add_errors(form.slug, [f"This course already has a module with the slug {module_slug!r}."])
        else:
            position = max((m.position for m in course.modules), default=-1) + 1
            module = Module(slug=module_slug, position=position, version=1)
            course.modules.append(module)
            apply_module_text(module, **_module_values(form), rendered=rendered)
            db.session.flush()
            index_module(module)
            course.version += 1
            AuditEvent.record("module_created", subject=_subject(course, module), actor=current_user,
                              version=module.version, course_version=course.version)
            db.session.commit()
            flash(f"Module “{module.title}” added.", "success")
            return redirect(url_for("teach.edit_module", slug=course.slug, module_id=module.id))
    return _editor(form, course, None, preview_html)


@bp.route("/courses/<slug>/modules/<int:module_id>", methods=["GET", "POST"])
@instructor_required
def edit_module(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    drafting = edits_go_to_draft(course, module)
    draft = module.draft
    form = ModuleForm(data=_module_data(module, draft))
    if request.method == "GET":
        # The stored rendering is the preview of the saved text: no rendering needed.
        return _editor(form, course, module, draft.html if draft else module.html, drafting=drafting)
    rendered, preview_html = _handle_module_post(form, module)
    if rendered is not None:
        values = _module_values(form)
        back = redirect(url_for("teach.edit_module", slug=course.slug, module_id=module.id))
        if drafting:
            if draft is None and not _module_text_changed(module, values):
                flash("Nothing changed.", "info")
                return back
            save_draft(module, actor=current_user, **values, rendered=rendered)
            AuditEvent.record("module_draft_saved", subject=_subject(course, module), actor=current_user,
                              base_version=module.version)
            db.session.commit()
            flash("Draft saved. Learners still see the published text until you publish the draft.", "success")
            return back
        if not _module_text_changed(module, values):
            flash("Nothing changed.", "info")
            return back
        keep_revision(module, actor=current_user, reason="edit")
        module.version += 1
        apply_module_text(module, **values, rendered=rendered)
        index_module(module)
        course.version += 1
        AuditEvent.record("module_edited", subject=_subject(course, module), actor=current_user,
                          version=module.version, course_version=course.version)
        db.session.commit()
        flash(f"Module saved (version {module.version}).", "success")
        return back
    return _editor(form, course, module, preview_html, drafting=drafting)


def _draft_or_back(course: Course, module: Module):
    if module.draft is None:
        flash("This module has no draft: learners already see its latest text.", "info")
        return None, redirect(url_for("teach.edit_module", slug=course.slug, module_id=module.id))
    return module.draft, None


@bp.post("/courses/<slug>/modules/<int:module_id>/draft/publish")
@instructor_required
def publish_module_draft(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    draft, back = _draft_or_back(course, module)
    if draft is None:
        return back
    editor = url_for("teach.edit_module", slug=course.slug, module_id=module.id)
    if draft.base_version != module.version:
        flash(f"The published text changed after this draft was started (version {draft.base_version} → "
              f"{module.version}). Compare the draft with the published text, then save the draft again "
              "to publish it over the newer version.", "error")
        return redirect(editor)
    # Rendered again now, so what learners get is checked against the bank as it is today.
    rendered, problems = render_for_author(draft.markdown)
    if rendered is None or problems:
        flash("The draft cannot be published as it is: " + "; ".join(problems)
              + ". Fix it in the editor and save it again.", "error")
        return redirect(editor)
    replaced = publish_draft(module, actor=current_user, rendered=rendered)
    AuditEvent.record("module_published", subject=_subject(course, module), actor=current_user,
                      version=module.version, replaced=replaced, course_version=course.version)
    db.session.commit()
    flash(f"Draft published as version {module.version}: learners see it now. The text it replaced "
          f"is kept as version {replaced}.", "success")
    return redirect(editor)


@bp.post("/courses/<slug>/modules/<int:module_id>/draft/discard")
@instructor_required
def discard_module_draft(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    draft, back = _draft_or_back(course, module)
    if draft is None:
        return back
    module.draft = None
    AuditEvent.record("module_draft_discarded", subject=_subject(course, module), actor=current_user,
                      title=draft.title, base_version=draft.base_version)
    db.session.commit()
    flash("Draft discarded. The editor shows the published text again.", "success")
    return redirect(url_for("teach.edit_module", slug=course.slug, module_id=module.id))


@bp.get("/courses/<slug>/modules/<int:module_id>/draft/diff")
@instructor_required
def module_draft_diff(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    draft, back = _draft_or_back(course, module)
    if draft is None:
        return back
    old = _file_text(module.title, _current_front_matter(module), module.markdown)
    new = _file_text(draft.title, {"objectives": draft.objectives, "minutes": draft.minutes,
                                   "references": draft.references}, draft.markdown)
    return render_template("teach/courses/draft_diff.html", course=course, module=module, draft=draft,
                           rows=diff_rows(old, new))


@bp.post("/markdown-preview")
@instructor_required
def markdown_preview():
    """The live preview: the text rendered and sanitised exactly as a save would store it."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    rendered, problems = render_for_author(form.markdown.data or "")
    # The HTML has been through the sanitiser: the page may insert it as is.
    return jsonify({"html": rendered.html if rendered else "", "problems": problems})


def _renumber(modules: list[Module]) -> None:
    # Positions stay 0, 1, 2…: the export names files NN-slug.md from them.
    for position, module in enumerate(modules):
        if module.position != position:
            module.position = position


@bp.post("/courses/<slug>/modules/<int:module_id>/move")
@instructor_required
def move_module(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    ordered = sorted(course.modules, key=lambda m: (m.position, m.id))
    index = ordered.index(module)
    target = index - 1 if form.direction.data == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(ordered)
        course.version += 1
        AuditEvent.record("module_moved", subject=_subject(course, module), actor=current_user,
                          direction=form.direction.data, position=module.position,
                          course_version=course.version)
        db.session.commit()
        flash(f"“{module.title}” is now module {module.position + 1}.", "success")
    return redirect(url_for("teach.course", slug=course.slug, _anchor=f"module-{module.id}"))


@bp.route("/courses/<slug>/modules/<int:module_id>/delete", methods=["GET", "POST"])
@instructor_required
def delete_module(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    if request.method == "GET":
        learners = db.session.scalar(
            select(func.count(ModuleProgress.id)).where(ModuleProgress.module_id == module.id))
        completed = db.session.scalar(
            select(func.count(ModuleProgress.id)).where(ModuleProgress.module_id == module.id,
                                                         ModuleProgress.completed_at.is_not(None)))
        answers = db.session.scalar(select(func.count(Attempt.id)).where(Attempt.module_id == module.id))
        return render_template("teach/courses/module_delete.html", course=course, module=module,
                               learners=learners, completed=completed, answers=answers)
    if not ActionForm().validate_on_submit():
        abort(400)
    if course.status == "published" and len(course.modules) == 1:
        # Learners could "complete" a course with nothing in it, and its export would not
        # import again: a published course has at least one module.
        flash("A published course needs at least one module: return the course to draft "
              "before deleting its last module.", "error")
        return redirect(url_for("teach.course", slug=course.slug))
    title = module.title
    unindex_module(module.id)
    course.modules.remove(module)  # delete-orphan: the row and its revisions go on flush
    _renumber(sorted(course.modules, key=lambda m: (m.position, m.id)))
    course.version += 1
    AuditEvent.record("module_deleted", subject=_subject(course, module), actor=current_user,
                      title=title, version=module.version, course_version=course.version)
    db.session.commit()
    flash(f"Module “{title}” deleted.", "success")
    return redirect(url_for("teach.course", slug=course.slug))


# --- version history -----------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    """One row of a unified diff: kind is "hunk", "context", "added" or "removed"."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


def _line_span(start: int, stop: int) -> str:
    if stop <= start:
        return f"nothing (after line {start})"
    return f"line {start + 1}" if stop - start == 1 else f"lines {start + 1}–{stop}"


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow]:
    """A unified diff of two texts as rows (escaped by the template, styled by class)."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        rows.append(DiffRow(
            "hunk", None, None,
            f"Before: {_line_span(first[1], last[2])} · now: {_line_span(first[3], last[4])}",
        ))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(DiffRow("context", i1 + k + 1, j1 + k + 1, old_lines[i1 + k])
                            for k in range(i2 - i1))
                continue
            if tag in ("replace", "delete"):
                rows.extend(DiffRow("removed", i + 1, None, old_lines[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                rows.extend(DiffRow("added", None, j + 1, new_lines[j]) for j in range(j1, j2))
    return rows


def _file_text(title: str, front_matter: dict, markdown: str) -> str:
    # Diff the whole module file (front matter too), so a changed objective shows up.
    return module_file_text(SimpleNamespace(
        title=title, objectives=front_matter.get("objectives") or [],
        minutes=front_matter.get("minutes"), references=front_matter.get("references") or [],
        markdown=markdown,
    ))


def _revision_front_matter(revision: ModuleRevision) -> dict:
    return dict(revision.front_matter or {})


def _current_front_matter(module: Module) -> dict:
    return {"objectives": module.objectives, "minutes": module.minutes, "references": module.references}


@bp.get("/courses/<slug>/modules/<int:module_id>/history")
@instructor_required
def module_history(slug: str, module_id: int):
    course = _course_or_404(slug, edit=False)
    module = _module_or_404(course, module_id)
    publisher = aliased(User)
    revisions = db.session.execute(
        select(ModuleRevision, User.name, publisher.name)
        .outerjoin(User, User.id == ModuleRevision.created_by_id)
        .outerjoin(publisher, publisher.id == ModuleRevision.published_by_id)
        .where(ModuleRevision.module_id == module.id)
        .order_by(ModuleRevision.version.desc())
    ).all()
    published_by = db.session.get(User, module.published_by_id) if module.published_by_id else None
    return render_template("teach/courses/history.html", course=course, module=module,
                           revisions=revisions, published_by=published_by,
                           copied_from=copied_from(course))


@bp.get("/courses/<slug>/modules/<int:module_id>/revisions/<int:version>")
@instructor_required
def module_revision(slug: str, module_id: int, version: int):
    course = _course_or_404(slug, edit=False)
    module = _module_or_404(course, module_id)
    revision = _revision_or_404(module, version)
    author = db.session.get(User, revision.created_by_id) if revision.created_by_id else None
    return render_template("teach/courses/revision.html", course=course, module=module,
                           revision=revision, author=author,
                           front_matter=_revision_front_matter(revision))


@bp.get("/courses/<slug>/modules/<int:module_id>/revisions/<int:version>/diff")
@instructor_required
def module_diff(slug: str, module_id: int, version: int):
    course = _course_or_404(slug, edit=False)
    module = _module_or_404(course, module_id)
    revision = _revision_or_404(module, version)
    old = _file_text(revision.title, _revision_front_matter(revision), revision.markdown)
    new = _file_text(module.title, _current_front_matter(module), module.markdown)
    rows = diff_rows(old, new)
    return render_template("teach/courses/diff.html", course=course, module=module,
                           revision=revision, rows=rows)


@bp.post("/courses/<slug>/modules/<int:module_id>/revisions/<int:version>/restore")
@instructor_required
def restore_revision(slug: str, module_id: int, version: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    revision = _revision_or_404(module, version)
    if not ActionForm().validate_on_submit():
        abort(400)
    front_matter = _revision_front_matter(revision)
    values = {
        "title": revision.title,
        "objectives": list(front_matter.get("objectives") or []),
        "minutes": int(front_matter.get("minutes") or module.minutes),
        "references": list(front_matter.get("references") or []),
        "markdown": revision.markdown,
    }
    back = url_for("teach.module_history", slug=course.slug, module_id=module.id)
    if not _module_text_changed(module, values):
        flash(f"Version {version} is the same as the current text; nothing to restore.", "info")
        return redirect(back)
    rendered, problems = render_for_author(revision.markdown)
    if rendered is None or problems:
        flash(f"Version {version} cannot be restored as it is: " + "; ".join(problems)
              + ". Open the editor and fix the text instead.", "error")
        return redirect(back)
    if edits_go_to_draft(course, module):
        # Learners keep the published text: the old version becomes the draft, to be
        # previewed and published like any other edit.
        save_draft(module, actor=current_user, **values, rendered=rendered)
        AuditEvent.record("module_draft_saved", subject=_subject(course, module), actor=current_user,
                          base_version=module.version, restored=version)
        db.session.commit()
        flash(f"Version {version} copied into the draft. Learners still see version {module.version} "
              "until you publish the draft.", "success")
        return redirect(url_for("teach.edit_module", slug=course.slug, module_id=module.id))
    keep_revision(module, actor=current_user, reason="restore")
    replaced = module.version
    module.version += 1
    apply_module_text(module, **values, rendered=rendered)
    index_module(module)
    course.version += 1
    AuditEvent.record("module_restored", subject=_subject(course, module), actor=current_user,
                      restored=version, replaced=replaced, version=module.version,
                      course_version=course.version)
    db.session.commit()
    flash(f"Version {version} restored as version {module.version}; the text it replaced is "
          f"kept as version {replaced}.", "success")
    return redirect(back)


# --- the course as a learner sees it -------------------------------------------------
#
# A read-only page with the learner pages' layout and classes. The learner pages
# themselves are not reused: they keep the viewer's progress, make knowledge-check
# attempt items and remember the reading position, and a preview must not write.


def _learner_url(endpoint: str, **values) -> str | None:
    """The real learner page, once the learner blueprint provides it."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


@bp.get("/courses/<slug>/preview")
@instructor_required
def preview_course(slug: str):
    course = _course_or_404(slug, edit=False)
    return render_template("teach/courses/preview_course.html", course=course, modules=course.modules,
                           topics=ACPE_TOPICS,
                           learner_url=_learner_url("courses.course", slug=course.slug))


@bp.get("/courses/<slug>/modules/<int:module_id>/preview")
@instructor_required
def preview_module(slug: str, module_id: int):
    course = _course_or_404(slug, edit=False)
    module = _module_or_404(course, module_id)
    modules = course.modules
    index = modules.index(module)
    previous = modules[index - 1] if index > 0 else None
    following = modules[index + 1] if index + 1 < len(modules) else None
    shown = module
    if request.args.get("draft") and module.draft is not None:
        # The draft as learners will see it once published: the same page, the draft's text.
        draft = module.draft
        shown = SimpleNamespace(id=module.id, slug=module.slug, title=draft.title, minutes=draft.minutes,
                                objectives=draft.objectives, references=draft.references, toc=draft.toc,
                                html=draft.html, checks=draft.checks)
    heading, body = _split_heading(_preview_body(shown))
    return render_template(
        "teach/courses/preview_module.html", course=course, module=shown, modules=modules,
        previous=previous, following=following, number=index + 1, heading=heading, body=body,
        draft=shown is not module, has_draft=module.draft is not None,
        learner_url=_learner_url("courses.module", slug=course.slug, module_slug=module.slug),
    )


_CHECK_PLACEHOLDER = re.compile(
    rf'<div class="{CHECK_CLASS}" data-question="(?P<uid>{QUESTION_ID.pattern})"></div>'
)
_LEADING_H1 = re.compile(r"\s*(<h1[\s>].*?</h1>)", re.DOTALL)


def _split_heading(html: Markup) -> tuple[Markup | None, Markup]:
    # As on the learner page: the module's own opening <h1> is its title, and the
    # objectives go under it.
    match = _LEADING_H1.match(html)
    if match is None:
        return None, html
    return Markup(match.group(1)), Markup(html[match.end():])  # noqa: S704 - pieces of sanitised HTML


def _preview_body(module) -> Markup:
    """The stored HTML as learners get it, each knowledge check shown as a labelled box.

    The stored HTML is already sanitised; what replaces a placeholder is escaped here.
    A preview makes no attempt items, so it never writes.
    """
    titles = {}
    if module.checks:
        titles = dict(db.session.execute(
            select(Question.uid, Question.title).where(Question.uid.in_(module.checks))).all())

    def box(match: re.Match) -> str:
        uid = match["uid"]
        title = titles.get(uid)
        return str(Markup(
            # named after its question: a page's landmarks need distinct names
            '<section class="knowledge-check-box authoring-check" aria-label="Knowledge check: {title}">'
            '<p class="check-label">Knowledge check</p><p>{title}</p>'
            '<p class="hint">Question <code>{uid}</code>: learners answer it here, and must '
            "answer it before the module can be completed.</p></section>"
        ).format(uid=uid, title=title if title is not None else "This question is not in the bank."))

    return Markup(_CHECK_PLACEHOLDER.sub(box, module.html or ""))  # noqa: S704 - sanitised when saved
