"""JSON API, version 1. Stateless: it reads no session, so it needs no CSRF token."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from trainer.calc import FAMILIES, CalcError, solve
from trainer.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_VALUE_LENGTH = 200


def _calc_limit() -> str:
    return current_app.config["CALC_RATE_LIMIT"]


def _error(message: str, field: str | None, status: int = 400):
    return jsonify({"error": message, "field": field}), status


@bp.get("/calc")
def calc_families():
    """The families, their parameters and examples."""
    return jsonify({"families": [_describe(f) for f in FAMILIES.values()]})


def _describe(family) -> dict:
    return {
        "name": family.name,
        "title": family.title,
        "description": family.description,
        "rounding": family.rounding,
        "params": [
            {"name": p.name, "label": p.label, "required": p.required, "example": p.example, "help": p.help}
            for p in family.params
        ],
    }


@bp.post("/calc/<name>")
@limiter.limit(_calc_limit)
def calc(name: str):
    """Solve one family: JSON parameters in, {value, unit, text, steps, extra} out."""
    if name not in FAMILIES:
        return jsonify({"error": f"unknown calculation family '{name[:40]}'",
                        "families": list(FAMILIES)}), 404
    body = request.get_json(silent=True)  # None for bad JSON, however deep (TrainerRequest)
    if not isinstance(body, dict):
        return _error("send a JSON object of parameters, such as {\"dose\": \"400 mg\"}", None)
    params = {}
    for key, value in body.items():
        if not isinstance(key, str):
            return _error("parameter names must be text", None)
        if isinstance(value, bool) or not isinstance(value, str | int | float) and value is not None:
            return _error(f"{key} must be text or a number", key)
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            return _error(f"{key} is too long", key)
        params[key] = value
    round_to = params.pop("round_to", None)
    try:
        result = solve(name, round_to=round_to, **params)
    except CalcError as exc:
        return _error(exc.message, exc.field)
    return jsonify(result.as_dict())


# ---- the drug reference ------------------------------------------------------------------


def _drug_json(drug, full: bool) -> dict:
    from trainer.rx.labels import TRAINING_NDC_MARK
    from trainer.services.drugs import drug_data

    data = drug_data(drug)
    if not full:
        return {k: data[k] for k in ("generic", "brands", "drug_class", "schedule")}
    for product in data["products"]:
        # a made-up NDC is never shown without saying so
        product["ndc_note"] = TRAINING_NDC_MARK if product["training"] else None
    return data


@bp.get("/drugs")
def drug_search():
    """Search the drug reference: ?q= (brand, generic, class, look-alike), &schedule=, &class=."""
    from trainer.services import drugs
    from trainer.web.drugs.routes import search_args

    args = search_args()
    found = drugs.search(args["text"], schedule=args["schedule"], drug_class=args["drug_class"])
    return jsonify({"drugs": [_drug_json(d, full=False) for d in found], "limit": drugs.PAGE})


@bp.get("/drugs/<path:generic>")
def drug_detail(generic: str):
    """One drug with every fact, its products and its sources."""
    from trainer.services import drugs

    found = drugs.get(generic)
    if found is None:
        return _error(f"no drug called '{generic[:80]}' in the reference", "generic", 404)
    return jsonify(_drug_json(found, full=True))
