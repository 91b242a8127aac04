"""The drug reference: a search page and one page a drug, every fact with its source."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from trainer.rx.controlled import SCHEDULES
from trainer.rx.labels import TRAINING_NDC_MARK
from trainer.services import drugs

bp = Blueprint("drugs", __name__, url_prefix="/drugs", template_folder="templates")

SCHEDULE_CHOICES = [("", "Any"), ("none", "Not controlled")] + [(s, "C-" + s[1:]) for s in SCHEDULES[1:]]


def search_args() -> dict:
    """The search as the query string gives it, bounded and checked."""
    text = (request.args.get("q") or "")[: drugs.MAX_QUERY]
    schedule = request.args.get("schedule") or None
    if schedule not in (None, "none", *SCHEDULES):
        schedule = None
    drug_class = (request.args.get("class") or "")[:200] or None
    return {"text": text, "schedule": schedule, "drug_class": drug_class}


@bp.get("/")
def index():
    args = search_args()
    found = drugs.search(args["text"], schedule=args["schedule"], drug_class=args["drug_class"])
    return render_template(
        "drugs/index.html",
        found=found,
        args=args,
        classes=drugs.classes(),
        schedules=SCHEDULE_CHOICES,
        total=drugs.count(),
        limit=drugs.PAGE,
    )


@bp.get("/<path:generic>")
def drug(generic: str):
    found = drugs.get(generic)
    if found is None:
        abort(404)
    return render_template("drugs/drug.html", drug=found, training_mark=TRAINING_NDC_MARK)
