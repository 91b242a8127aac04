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
