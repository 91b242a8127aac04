"""Reading a learner's answer from a form post or a JSON autosave into the shape the grader takes.

Each question type declares a response kind (choice, choices, boolean, number, text,
pairs, order). An answer is checked here only against what the page showed (the
public view: which choice ids, which items), never against the key, so garbage is
refused with a message before it is stored, and nothing here can tell a right answer
from a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.render import plain_text_of
from trainer.web.numbers import whole_number

MAX_TEXT = 1000
MAX_ESSAY = 20_000


class ResponseInvalid(ValueError):
    """The answer does not fit the question's widget; `message` is for the learner."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class FormAnswer:
    """An answer read from a form: the response to store, or an error and what was typed."""

    response: object = None
    error: str | None = None
    typed: dict = field(default_factory=dict)


def _ids(view: dict, key: str) -> list[str]:
    return [entry["id"] for entry in view.get(key, [])]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_response(kind: str, view: dict, value):
    """The response to store for `value` (None when blank); raise ResponseInvalid for a wrong shape."""
    if kind == "choice":
        if _blank(value):
            return None
        if isinstance(value, str) and value in _ids(view, "choices"):
            return value
        raise ResponseInvalid("Choose one of the options shown.")
    if kind == "choices":
        if value is None or value == []:
            return None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            allowed = _ids(view, "choices")
            chosen = [v for v in allowed if v in value]  # shown order, no repeats
            if len(chosen) == len(set(value)):
                return chosen or None
        raise ResponseInvalid("Choose from the options shown.")
    if kind == "boolean":
        if _blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ResponseInvalid("Choose true or false.")
    if kind in ("number", "text"):
        if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if _blank(value):
            return None
        if isinstance(value, str) and len(value) <= MAX_TEXT:
            return value.strip()
        raise ResponseInvalid("Type your answer as text, at most 1000 characters.")
    if kind == "pairs":
        if value is None or value == {}:
            return None
        if isinstance(value, dict):
            lefts, rights = _ids(view, "left"), _ids(view, "right")
            if all(k in lefts and (_blank(v) or v in rights) for k, v in value.items()):
                pairs = {k: value[k] for k in lefts if not _blank(value.get(k))}
                return pairs or None
        raise ResponseInvalid("Match each item with one of the options shown.")
    if kind == "essay":
        if _blank(value):
            return None
        if isinstance(value, str) and len(value) <= MAX_ESSAY:
            return value.replace("\r\n", "\n").strip()
        raise ResponseInvalid(f"Write your answer as text, at most {MAX_ESSAY:,} characters.")
    if kind == "none":
        return None
    if kind == "order":
        if value is None or value == []:
            return None
        ids = _ids(view, "items")
        if isinstance(value, list) and sorted(map(str, value)) == sorted(ids) and all(isinstance(v, str) for v in value):
            return list(value)
        raise ResponseInvalid("Put every item in a different position.")
    raise ResponseInvalid("This question cannot take an answer here.")


def form_response(kind: str, view: dict, form) -> FormAnswer:
    """Read the answer widget of `kind` from a submitted form (no JavaScript needed)."""
    typed: dict = {}
    try:
        if kind == "choices":
            value = form.getlist("response")
        elif kind == "pairs":
            value = {left: form.get(f"pair-{left}", "") for left in _ids(view, "left")}
            typed = value
        elif kind == "order":
            typed = {item: form.get(f"order-{item}", "").strip() for item in _ids(view, "items")}
            value = _order_from_positions(typed)
        else:
            value = form.get("response")
            typed = {"response": value}
        return FormAnswer(clean_response(kind, view, value), typed=typed)
    except ResponseInvalid as exc:
        return FormAnswer(None, exc.message, typed)


def _order_from_positions(positions: dict[str, str]) -> list[str] | None:
    """Items sorted by the position typed for each (1, 2, 3 …); None when none is given."""
    if all(not p for p in positions.values()):
        return None
    count = len(positions)
    numbers = {}
    for item, text in positions.items():
        position = whole_number(text, 1, count)
        if position is None:
            raise ResponseInvalid(f"Give every item a position from 1 to {count}.")
        numbers[item] = position
    if len(set(numbers.values())) != count:
        raise ResponseInvalid("Give every item a different position.")
    return sorted(numbers, key=numbers.get)


def shown_answer(kind: str, view: dict, response) -> str:
    """The learner's answer in words, as the review page shows it."""
    if response is None or response == "" or response == [] or response == {}:
        return ""
    try:
        if kind in ("choice", "choices"):
            texts = {
                c["id"]: plain_text_of(c["text"]) if c.get("format") == "html" else c["text"]
                for c in view.get("choices", [])
            }
            chosen = response if isinstance(response, list) else [response]
            return "; ".join(texts.get(c, str(c)) for c in chosen)
        if kind == "boolean":
            return "True" if response in (True, "true") else "False"
        if kind == "pairs":
            left = {c["id"]: c["text"] for c in view.get("left", [])}
            right = {c["id"]: c["text"] for c in view.get("right", [])}
            return "; ".join(f"{left.get(k, k)} → {right.get(v, v)}" for k, v in response.items())
        if kind == "order":
            texts = {c["id"]: c["text"] for c in view.get("items", [])}
            return " → ".join(texts.get(i, str(i)) for i in response)
    except (AttributeError, TypeError):
        pass
    return str(response)


def widget_state(kind: str, view: dict, response, typed: dict) -> dict:
    """What each input of the widget should show: the stored answer, or what was just typed."""
    if typed:
        if kind == "pairs":
            return {"pairs": dict(typed)}
        if kind == "order":
            return {"positions": dict(typed)}
        return {"value": typed.get("response") or ""}
    if kind == "choices":
        return {"chosen": list(response) if isinstance(response, list) else []}
    if kind == "pairs":
        return {"pairs": dict(response) if isinstance(response, dict) else {}}
    if kind == "order":
        if isinstance(response, list):
            return {"positions": {item: str(index) for index, item in enumerate(response, start=1)}}
        return {"positions": {}}
    if kind == "boolean" and isinstance(response, bool):
        return {"value": "true" if response else "false"}
    return {"value": response if isinstance(response, str) else ""}
