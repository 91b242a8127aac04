"""Forms for the CE pages. The checks that matter (UAN, hours, dates) are the service's,
copied beside the fields; these forms parse and keep what was typed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.ce import KIND_NAMES, KINDS, TOPICS, load_rules, rule_set_keys


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def credential_choices() -> list[tuple[str, str]]:
    return [(key, load_rules(key).name) for key in rule_set_keys()]


class CredentialForm(FlaskForm):
    """A credential the technician holds."""

    rule_set = SelectField("Credential", choices=[])
    number = StringField("Certificate or registration number (optional)", filters=[_strip],
                         validators=[Length(max=40)])
    issued_on = DateField("Issued on (optional)", validators=[Optional()],
                          description="The date of your first certification or of your last renewal's approval.")
    expires_on = DateField("Expires on", validators=[InputRequired("Enter the expiry date.")],
                           description="As printed on your certificate or registration.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_set.choices = credential_choices()


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


TOPIC_CHOICES = [("", "Choose a topic")] + [(code, f"{code} {name}") for code, name in TOPICS.items()]
FORMAT_CHOICES = [("", "Not stated"), ("L", "Live"), ("H", "Home study")]


class EntryForm(FlaskForm):
    """CE done elsewhere, with its certificate."""

    title = StringField("Title", filters=[_strip], validators=[DataRequired("Give the activity's title.")])
    provider = StringField("Provider", filters=[_strip])
    kind = SelectField("Kind", choices=[(k, KIND_NAMES[k]) for k in KINDS], default="acpe")
    uan = StringField("ACPE UAN", filters=[_strip],
                      description="For ACPE-accredited CE, e.g. 0669-0000-24-027-H05-T; it sets the topic.",
                      render_kw={"autocomplete": "off", "spellcheck": "false"})
    hours = StringField("Contact hours", filters=[_strip], render_kw={"inputmode": "decimal"})
    topic = SelectField("ACPE topic", choices=TOPIC_CHOICES, validators=[Optional()])
    format = SelectField("Live or home study", choices=FORMAT_CHOICES, validators=[Optional()])
    completed = DateField("Completed on", validators=[InputRequired("Enter the date you completed it.")])
    tags = CheckboxListField("This activity also covers", choices=[], validators=[Optional()])
    certificate = FileField("Certificate (PDF, PNG or JPEG, at most 5 MB)")
    note = TextAreaField("Note (optional)", filters=[_strip], render_kw={"rows": 2})

    def set_tags(self, tags: dict[str, str]) -> None:
        self.tags.choices = sorted(tags.items())


class WithdrawForm(FlaskForm):
    """Take an entry out of the count, with the reason."""

    note = TextAreaField("Why is this entry withdrawn?", filters=[_strip],
                         validators=[DataRequired("Say why: the audit trail keeps it.")], render_kw={"rows": 2})


class ImportForm(FlaskForm):
    """A CPE Monitor-style CSV file."""

    transcript = FileField("Transcript (CSV)")


class ImportConfirmForm(FlaskForm):
    """The previewed file's text, sent back to be saved."""

    text = HiddenField()


class SharingForm(FlaskForm):
    """Whether instructors may see this learner's CE progress."""

    share = BooleanField("Let instructors see my CE progress in their compliance report")


class RevokeForm(FlaskForm):
    """An admin revokes a certificate."""

    reason = StringField("Reason", filters=[_strip], validators=[DataRequired("Give the reason."), Length(max=200)])


class UanForm(FlaskForm):
    """An admin sets a course's ACPE number."""

    uan = StringField("ACPE UAN", filters=[_strip], validators=[Length(max=40)],
                      render_kw={"autocomplete": "off", "spellcheck": "false"})
