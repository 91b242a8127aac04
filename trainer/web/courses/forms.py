"""The catalog filter and the search box (GET forms, no CSRF token: they change nothing)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from trainer.services.search import MAX_QUERY_LENGTH

# ACPE topic designators (shared/reference/ce-rules.md).
TOPIC_NAMES = {
    "01": "Disease state management / drug therapy",
    "02": "HIV/AIDS therapy",
    "03": "Pharmacy law",
    "04": "General pharmacy",
    "05": "Patient safety",
    "06": "Immunizations",
    "07": "Compounding",
    "08": "Pain management / opioids",
}

AUDIENCE_NAMES = {"students": "Students", "technicians": "Working technicians", "both": "Everyone"}

# value -> (label, lowest hours exclusive or None, highest hours inclusive or None)
HOUR_RANGES = {
    "up-to-1": ("Up to 1 hour", None, 1),
    "up-to-2": ("Up to 2 hours", None, 2),
    "up-to-3": ("Up to 3 hours", None, 3),
    "over-3": ("More than 3 hours", 3, None),
}


def _hours_match(hours, limits) -> bool:
    _, above, up_to = limits
    return (above is None or hours > above) and (up_to is None or hours <= up_to)


# Each catalog filter: its choices and whether a course (a catalog row) passes a choice.
_FILTER_TESTS = {
    "audience": (("students", "technicians"), lambda course, value: course.audience in (value, "both")),
    "topic": (tuple(TOPIC_NAMES), lambda course, value: course.ce_topic == value),
    "hours": (tuple(HOUR_RANGES), lambda course, value: _hours_match(course.ce_hours, HOUR_RANGES[value])),
}


def narrowing_filters(courses) -> frozenset[str]:
    """The catalog filters with a choice that keeps some of these courses but not all of them.

    A filter whose every choice keeps all courses or none ("Written for: Everyone" on every
    course, every course 2 hours) only adds noise, so the catalog leaves it out.
    """
    names = set()
    for name, (choices, passes) in _FILTER_TESTS.items():
        for value in choices:
            kept = sum(1 for course in courses if passes(course, value))
            if 0 < kept < len(courses):
                names.add(name)
                break
    return frozenset(names)


class GetForm(FlaskForm):
    """A form read from the query string."""

    class Meta:
        csrf = False


class CatalogFilterForm(GetForm):
    audience = SelectField(
        "Written for",
        choices=[("", "Anyone"), ("students", "Students preparing for certification"),
                 ("technicians", "Working technicians")],
        validators=[Optional()],
    )
    topic = SelectField(
        "CE topic",
        choices=[("", "Any topic")] + [(code, f"{code} · {name}") for code, name in TOPIC_NAMES.items()],
        validators=[Optional()],
    )
    hours = SelectField(
        "CE hours",
        choices=[("", "Any length")] + [(value, label) for value, (label, _, _) in HOUR_RANGES.items()],
        validators=[Optional()],
    )


class SearchForm(GetForm):
    q = SearchField(
        "Search the course modules",
        validators=[Optional(), Length(max=MAX_QUERY_LENGTH,
                                       message=f"Search for at most {MAX_QUERY_LENGTH} characters.")],
    )
