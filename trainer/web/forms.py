"""Forms shared by every area of the site."""

from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.widgets import Select, html_params


class ActionForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (log out, start a quiz)."""


class QuickSelect(Select):
    """WTForms' select widget, writing each option directly.

    The library renders every option through `html_params` (sorting and escaping a dict
    per option); a prescription's review step has four rows of two selects with some
    forty options each, and that alone was most of the page's time. The markup is the
    same, byte for byte (tests/web/test_quick_select.py); groups and per-option
    attributes go through the library as before.
    """

    def __call__(self, field, **kwargs):
        if field.has_groups():
            return super().__call__(field, **kwargs)
        choices = list(field._iter_choices_normalized())
        if any(choice.render_kw for choice in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in choices:
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            selected = "selected " if choice.selected else ""
            html.append(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - every value and label escaped above


class QuickSelectField(SelectField):
    """A SelectField rendered by QuickSelect."""

    widget = QuickSelect()
