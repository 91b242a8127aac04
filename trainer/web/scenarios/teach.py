"""Instructors' scenario pages: the list, a preview with the key, writing a scenario in the
browser (checked by the rules core, problems beside the field with their line), and adding
a scenario of either kind to a quiz as a question (trainer.services.scenario_items)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.extensions import db
from trainer.services import scenario_core as core
from trainer.services import scenario_items, scenarios
from trainer.web.access import instructor_required
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


def _render_author(form, scenario=None, problems=(), status=200):
    return render_template("scenarios/teach_author.html", form=form, scenario=scenario, problems=list(problems),
                           example=scenarios.authoring_example()), status


@bp.get("/new")
@instructor_required
def new():
    return _render_author(AuthorForm())


@bp.get("/<slug>/edit")
@instructor_required
def edit(slug):
    found = scenarios.scenario_by_slug(slug, published_only=False)
    if found is None:
        abort(404)
    return _render_author(AuthorForm(data={"source": scenarios.yaml_of(found), "status": found.status}), found)


@bp.post("/new")
@instructor_required
def create():
    return _save(None)


@bp.post("/<slug>/edit")
@instructor_required
def update(slug):
    found = scenarios.scenario_by_slug(slug, published_only=False)
    if found is None:
        abort(404)
    return _save(found)


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
    saved, outcome = scenarios.save_scenario(spec, source="browser", actor=current_user, status=form.status.data)
    scenarios.audit_authored(saved, current_user, outcome)
    db.session.commit()
    flash(f"“{saved.title}” {'saved' if outcome != 'unchanged' else 'was already up to date'}.", "success")
    return redirect(url_for("scenario_teach.preview", slug=saved.slug))


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
