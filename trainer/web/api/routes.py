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
