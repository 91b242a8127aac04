"""Instructors' scenario pages: the list, a preview with the key, writing a scenario in the
browser (field by field, or as YAML for authors who keep files; either way checked by the
rules core, each problem beside its field), and adding a scenario of either kind to a quiz
as a question (trainer.services.scenario_items)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.extensions import db
from trainer.services import scenario_core as core
from trainer.services import scenario_items, scenarios
from trainer.web.access import instructor_required
from trainer.web.scenarios import author_form
from trainer.web.scenarios.forms import AuthorForm
from trainer.web.teach.routes import teach_section

bp = Blueprint("scenario_teach", __name__, url_prefix="/teach/scenarios", template_folder="templates")

teach_section("scenario_teach.index", "Prescription scenarios",
              "Preview every scenario with its key, write new ones, and add scenarios to quizzes as questions.")


@bp.get("/")
@instructor_required
def index():
    return render_template("scenarios/teach_index.html", scenarios=scenarios.all_scenarios())


@bp.get("/<slug>")
@instructor_required
def preview(slug):
    found = scenarios.scenario_by_slug(slug, published_only=False)
    if found is None:
        abort(404)
    return render_template("scenarios/teach_preview.html", scenario=found, rx_view=core.facsimile(found.spec),
                           key=core.key_view(found.spec), quizzes=scenario_items.quizzes_for_items())


def _found(slug):
    found = scenarios.scenario_by_slug(slug, published_only=False)
    if found is None:
        abort(404)
    return found


# ---- the form, field by field (the default) ----------------------------------------------------


def _render_form(form, scenario=None, top=(), status=200, holds=True):
    return render_template("scenarios/teach_form.html", form=form, scenario=scenario, top=list(top), holds=holds,
                           error_fields=author_form.error_fields(form), max_rows=author_form.MAX_ROWS,
                           section_errors=getattr(form, "section_errors", {}),
                           section_summary=author_form.section_problems(form)), status


@bp.get("/new")
@instructor_required
def new():
    return _render_form(author_form.with_blank_rows(author_form.ScenarioForm()))


@bp.get("/<slug>/edit")
@instructor_required
def edit(slug):
    found = _found(slug)
    form, holds = author_form.for_scenario(found.spec, found.status)
    return _render_form(form, found, holds=holds)


@bp.post("/new")
@instructor_required
def create():
    return _save_form(None)


@bp.post("/<slug>/edit")
@instructor_required
def update(slug):
    return _save_form(_found(slug))


def _save_form(found):
    form = author_form.ScenarioForm()
    valid = form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    if found is not None:
        form.id.render_kw = {"readonly": True}
    if request.form.get("add_row"):  # "add another row": the same form again, one row longer
        author_form.add_row(form, request.form["add_row"])
        return _render_form(form, found)
    if not valid:
        return _render_form(form, found, status=422)
    typed = author_form.spec_from(form, found.spec if found else None)
    spec, problems = scenarios.checked_spec(typed, expected_id=found.slug if found else None)
    if problems:
        return _render_form(form, found, author_form.show_problems(form, problems), status=422)
    return _saved(spec, form.status.data)


def _saved(spec, status):
    saved, outcome = scenarios.save_scenario(spec, source="browser", actor=current_user, status=status)
    scenarios.audit_authored(saved, current_user, outcome)
    db.session.commit()
    flash(f"“{saved.title}” {'saved' if outcome != 'unchanged' else 'was already up to date'}.", "success")
    return redirect(url_for("scenario_teach.preview", slug=saved.slug))


# ---- the same scenario as YAML (for authors who keep scenarios as files) ------------------------------


def _render_author(form, scenario=None, problems=(), status=200):
    return render_template("scenarios/teach_author.html", form=form, scenario=scenario, problems=list(problems),
                           example=scenarios.authoring_example()), status


@bp.get("/new/yaml")
@instructor_required
def new_yaml():
    return _render_author(AuthorForm())


@bp.get("/<slug>/edit/yaml")
@instructor_required
def edit_yaml(slug):
    found = _found(slug)
    return _render_author(AuthorForm(data={"source": scenarios.yaml_of(found), "status": found.status}), found)


@bp.post("/new/yaml")
@instructor_required
def create_yaml():
    return _save(None)


@bp.post("/<slug>/edit/yaml")
@instructor_required
def update_yaml(slug):
    return _save(_found(slug))


def _save(found):
    form = AuthorForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _render_author(form, found, status=422)
    spec, problems = scenarios.authored_spec(form.source.data, expected_id=found.slug if found else None)
    if problems:
        form.source.errors = [str(p) for p in problems]
        return _render_author(form, found, problems, status=422)
    return _saved(spec, form.status.data)


@bp.post("/<slug>/add-to-quiz")
@instructor_required
def add_to_quiz(slug):
    found = scenarios.scenario_by_slug(slug, published_only=False)
    if found is None:
        abort(404)
    try:
        quiz_id = int(request.form.get("quiz", ""))
    except ValueError:
        quiz_id = 0
    from trainer.web.forms import ActionForm

    if not ActionForm().validate_on_submit():
        abort(400)
    problem = scenario_items.add_to_quiz(found, quiz_id, actor=current_user)
    if problem:
        flash(problem, "error")
        return redirect(url_for("scenario_teach.preview", slug=slug))
    db.session.commit()
    flash(f"“{found.title}” was added to the quiz as a question.", "success")
    return redirect(url_for("scenario_teach.preview", slug=slug))
