"""The simulator's pages: the scenario list, starting a run, the steps, the debrief, results.

Views only translate: they read the form, call trainer.services.scenarios, commit and
render. A learner reaches only their own runs; any other run id is a 404. A form with
bad input is shown again with the message beside the field and everything typed kept,
and nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.extensions import db
from trainer.models import utcnow
from trainer.services import scenario_core as core
from trainer.services import scenarios
from trainer.services.quizzes import blueprint_titles
from trainer.web.forms import ActionForm
from trainer.web.scenarios.forms import (
    ClaimForm,
    EntryForm,
    LabelForm,
    ProductForm,
    RandomForm,
    ReviewForm,
    StartForm,
    ValidationForm,
    claim_answer_form,
)

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios", template_folder="templates")


def current_time():
    """The clock the views use (tests replace it to move time on)."""
    return utcnow()


def _own_run(run_id: int, *, lock: bool = False):
    run = scenarios.learner_run(run_id, current_user, lock=lock)
    if run is None:
        abort(404)
    return run


def _csrf_or_400(form) -> None:
    if "csrf_token" in form.errors:
        abort(400)


# ---- the list and a scenario's page --------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    rows = scenarios.published_scenarios()
    random_form = RandomForm()
    random_form.kinds.choices = core.generator_kind_choices()
    return render_template(
        "scenarios/index.html",
        dispensing=[r for r in rows if r.kind == "dispense"],
        validation=[r for r in rows if r.kind == "validation"],
        runs=scenarios.runs_of(current_user, limit=20), random_form=random_form,
    )


@bp.get("/<slug>")
@login_required
def scenario(slug):
    found = scenarios.scenario_by_slug(slug)
    if found is None:
        abort(404)
    return render_template("scenarios/scenario.html", scenario=found, form=StartForm(),
                           summary=core.summary_of(found.spec))


@bp.post("/<slug>/start")
@login_required
def start(slug):
    found = scenarios.scenario_by_slug(slug)
    if found is None:
        abort(404)
    form = StartForm()
    if not form.validate_on_submit():
        _csrf_or_400(form)
        return render_template("scenarios/scenario.html", scenario=found, form=form,
                               summary=core.summary_of(found.spec)), 422
    run = scenarios.start_run(current_user, found, form.mode.data, now=current_time())
    db.session.commit()
    return redirect(url_for("scenarios.run", run_id=run.id))


@bp.post("/random")
@login_required
def start_random():
    form = RandomForm()
    form.kinds.choices = core.generator_kind_choices()
    if form.validate_on_submit():
        why = core.why_not_generated(form.kinds.data or [])
        if why is None:
            try:
                run = scenarios.start_generated_run(current_user, form.mode.data, kinds=form.kinds.data or [],
                                                    now=current_time())
            except ValueError:
                why = "No scenario could be built with that mix of errors: choose fewer, or others."
            else:
                db.session.commit()
                return redirect(url_for("scenarios.run", run_id=run.id))
        form.kinds.errors = [why]
    _csrf_or_400(form)
    rows = scenarios.published_scenarios()
    return render_template(
        "scenarios/index.html", dispensing=[r for r in rows if r.kind == "dispense"],
        validation=[r for r in rows if r.kind == "validation"],
        runs=scenarios.runs_of(current_user, limit=20), random_form=form,
    ), 422


# ---- the run ------------------------------------------------------------------------------------


@bp.get("/runs/<int:run_id>")
@login_required
def run(run_id):
    """Where the learner left off: the next step, or the debrief once submitted."""
    found = _own_run(run_id)
    if found.status != "in_progress":
        return redirect(url_for("scenarios.debrief", run_id=run_id))
    if scenarios.is_complete(found):
        return redirect(url_for("scenarios.finish", run_id=run_id))
    return redirect(url_for("scenarios.step", run_id=run_id, name=scenarios.steps_of(found)[found.current_step]))


STEP_FORMS = {
    "review": ReviewForm,
    "entry": EntryForm,
    "product": ProductForm,
    "label": LabelForm,
    "validation": ValidationForm,
}


def _step_form(name, view, formdata=None, answered=None):
    """The form of a step with its choices; filled with the last answer when the step is shown again."""
    form_class = STEP_FORMS[name]
    if formdata is None and answered is not None:
        form = form_class(data=core.form_data(name, answered))
    elif formdata is None:
        form = form_class(data=view.defaults)
    else:
        form = form_class()
    for attr, choices in view.choices.items():
        if attr in ("marks",):
            form.set_choices(*choices)
        else:
            getattr(form, attr).choices = choices
    return form


def _render_step(found, name, view, form, *, status=200, claim=None):
    steps = scenarios.steps_of(found)
    return render_template(
        f"scenarios/step_{name}.html", run=found, name=name, view=view, form=form, claim=claim,
        steps=[(s, scenarios.STEP_TITLES[s]) for s in steps], index=steps.index(name),
        titles=scenarios.STEP_TITLES,
    ), status


def _refused_redirect(found, refused):
    flash(refused.message, "info")
    return redirect(url_for("scenarios.run", run_id=found.id))


@bp.get("/runs/<int:run_id>/<name>")
@login_required
def step(run_id, name):
    found = _own_run(run_id)
    if found.status != "in_progress":
        return redirect(url_for("scenarios.debrief", run_id=run_id))
    try:
        scenarios.open_step(found, name)
    except scenarios.RunRefused as refused:
        return _refused_redirect(found, refused)
    view = scenarios.presented(found, name)
    if name == "claim":
        return _render_claim(found, view)
    answered = (found.state or {}).get(name, {}).get("response")
    return _render_step(found, name, view, _step_form(name, view, answered=answered))


@bp.post("/runs/<int:run_id>/<name>")
@login_required
def answer(run_id, name):
    now = current_time()
    found = _own_run(run_id, lock=True)
    if found.status != "in_progress":
        flash("This run is finished; its answers can no longer change.", "info")
        return redirect(url_for("scenarios.debrief", run_id=run_id))
    try:
        scenarios.open_step(found, name)
    except scenarios.RunRefused as refused:
        return _refused_redirect(found, refused)
    view = scenarios.presented(found, name)
    if name == "claim":
        return _answer_claim(found, view, now)
    form = _step_form(name, view, formdata=request.form)
    if not form.validate_on_submit():
        _csrf_or_400(form)
        return _render_step(found, name, view, form, status=422)
    problems = scenarios.answer_step(found, name, form.response(), now=now)
    if problems:
        _copy_problems(form, problems)
        return _render_step(found, name, view, form, status=422)
    db.session.commit()
    return redirect(url_for("scenarios.run", run_id=run_id))


def _copy_problems(form, problems) -> None:
    for field_name, message in problems:
        field = getattr(form, field_name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*list(field.errors or []), message]


# ---- step 4: the claim ----------------------------------------------------------------------------


def _render_claim(found, view, *, claim_form=None, answer_form=None, status=200):
    transcript = (found.state or {}).get("claim_transcript") or []
    last = transcript[-1] if transcript else None
    if claim_form is None:
        claim_form = ClaimForm(data=last["claim"] if last else view.defaults)
    codes = core.claim_codes(transcript, view.label["dur"]) if transcript else []
    if answer_form is None and codes:
        answer_form = claim_answer_form(codes, view.choices["claim_actions"])
    return _render_step(found, "claim", view, claim_form, status=status,
                        claim={"transcript": transcript, "last": last, "answers": answer_form})


def _answer_claim(found, view, now):
    action = request.form.get("action", "")
    if action == "send":
        form = ClaimForm()
        if not form.validate_on_submit():
            _csrf_or_400(form)
            return _render_claim(found, view, claim_form=form, status=422)
        problems = scenarios.claim_action(found, "send", form.response(), now=now)
        if problems:
            _copy_problems(form, problems)
            return _render_claim(found, view, claim_form=form, status=422)
        db.session.commit()
        return redirect(url_for("scenarios.step", run_id=found.id, name="claim") + "#payer-response")
    if action == "finish":
        transcript = (found.state or {}).get("claim_transcript") or []
        if not transcript:
            form = ActionForm()
            if not form.validate_on_submit():
                abort(400)
            flash("Send the claim to the payer first.", "error")
            return _render_claim(found, view, status=422)
        answers = claim_answer_form(core.claim_codes(transcript, view.label["dur"]), view.choices["claim_actions"],
                                    formdata=request.form)
        if not answers.validate_on_submit():
            _csrf_or_400(answers)
            return _render_claim(found, view, answer_form=answers, status=422)
        problems = scenarios.answer_step(found, "claim", {"answers": answers.response()}, now=now)
        if problems:
            _copy_problems(answers, problems)
            return _render_claim(found, view, answer_form=answers, status=422)
        db.session.commit()
        return redirect(url_for("scenarios.run", run_id=found.id))
    abort(400)


# ---- finishing and the debrief ---------------------------------------------------------------------


@bp.get("/runs/<int:run_id>/finish")
@login_required
def finish(run_id):
    found = _own_run(run_id)
    if found.status != "in_progress":
        return redirect(url_for("scenarios.debrief", run_id=run_id))
    steps = scenarios.steps_of(found)
    return render_template("scenarios/finish.html", run=found, complete=scenarios.is_complete(found),
                           steps=[(s, scenarios.STEP_TITLES[s], s in (found.state or {})) for s in steps])


@bp.post("/runs/<int:run_id>/finish")
@login_required
def submit(run_id):
    now = current_time()
    found = _own_run(run_id, lock=True)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if found.status != "in_progress":
        flash("This run was already submitted; it counts once.", "info")
        return redirect(url_for("scenarios.debrief", run_id=run_id))
    try:
        won = scenarios.finish_run(found, now=now)
    except scenarios.RunRefused as refused:
        return _refused_redirect(found, refused)
    flash("Your run was submitted." if won else "This run was already submitted; it counts once.",
          "success" if won else "info")
    db.session.commit()
    return redirect(url_for("scenarios.debrief", run_id=run_id))


@bp.get("/runs/<int:run_id>/debrief")
@login_required
def debrief(run_id):
    found = _own_run(run_id)
    if found.status == "in_progress":
        return redirect(url_for("scenarios.run", run_id=run_id))
    return render_template("scenarios/debrief.html", run=found, debrief=scenarios.debrief(found),
                           rx_view=core.facsimile(found.spec))


@bp.get("/results")
@login_required
def results():
    runs = [r for r in scenarios.runs_of(current_user, limit=200) if r.status == "submitted"]
    return render_template("scenarios/results.html", runs=runs, areas=scenarios.results_by_area(current_user),
                           area_titles=blueprint_titles())
