"""The one import page for every question file: upload, check every question, then import.

The format is detected from the content (the instructor can choose it instead). The
preview lists each question with what importing does to it, every problem with its line
or element, and the notes on what changed on the way; nothing is saved until the
instructor confirms, and the file is read and checked again then.
"""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import HiddenField, SelectField

from trainer.extensions import db
from trainer.questions.interchange import FORMAT_LABELS, FORMATS
from trainer.services.interchange import apply_import, pending_upload, plan_import, stash_upload
from trainer.web.access import instructor_required
from trainer.web.teach.question_forms import RESERVED_IDS, GiftUploadForm, unix_newlines
from trainer.web.teach.questions import blueprint_codes
from trainer.web.teach.routes import bp

FORMAT_CHOICES = [("", "Detect from the file"), *((name, FORMAT_LABELS[name]) for name in FORMATS)]


class QuestionImportForm(GiftUploadForm):
    """A question file (or pasted text), its format, and what the file cannot say."""

    format = SelectField("Format", choices=FORMAT_CHOICES, default="",
                         description="Leave it to detect GIFT, Moodle XML, Aiken or a Canvas .zip, or choose.")
    token = HiddenField()


def _relabel(form: QuestionImportForm) -> QuestionImportForm:
    form.file.label.text = "Question file"
    form.file.description = ("GIFT (.gift, .txt), Moodle XML (.xml), Aiken (.txt) or a Canvas "
                             "quiz export (.zip, QTI 1.2).")
    form.text.label.text = "Or paste the text of a GIFT, Aiken or Moodle XML file"
    return form


def _upload(form: QuestionImportForm) -> tuple[bytes, str] | None:
    """The uploaded file, else the pasted text, else the kept upload of the preview; None with an error."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.read()
        return data, Path(upload.filename).name[:100] or "upload"
    text = unix_newlines(form.text.data)
    if text.strip():
        return text.encode("utf-8"), (form.filename.data or "pasted.txt")[:100]
    pending = pending_upload(form.token.data or "", current_user)
    if pending is not None:
        return pending.data, pending.filename
    form.text.errors = [*form.text.errors, "choose a file or paste the questions"]
    return None


def _render_upload(form: QuestionImportForm, status: int = 200):
    return render_template("teach/questions/import.html", form=_relabel(form)), status


@bp.route("/questions/import", methods=["GET", "POST"])
@instructor_required
def question_import():
    form = QuestionImportForm()
    if request.method == "GET" or request.form.get("op") == "edit":
        # "op=edit" comes back from the preview: the same defaults (and kept file), to change them
        return _render_upload(form)
    form.validate()
    defaults_ok = form.check_defaults(blueprint_codes())
    upload = _upload(form)
    if upload is None or not defaults_ok or form.errors:
        return _render_upload(form, 422)
    data, filename = upload
    fmt = form.format.data or None
    plan = plan_import(data, filename, fmt, form.defaults(),
                       blueprint_codes=blueprint_codes(), reserved_ids=RESERVED_IDS, author=current_user)
    if plan.file_refused and not plan.rows:
        # the file as a whole cannot be read: say so beside the input it came from
        field = form.file if form.file.data is not None and getattr(form.file.data, "filename", "") else form.text
        field.errors = [*field.errors, *(p.message for p in plan.problems if p.item == "file")]
        return _render_upload(form, 422)
    token = ""
    if plan.rows:
        token = stash_upload(current_user, filename, fmt, data, form.defaults()).token
        db.session.commit()
    form.token.data = token
    return render_template("teach/questions/import_preview.html", form=form, plan=plan, token=token)


@bp.post("/questions/import/confirm")
@instructor_required
def question_import_confirm():
    """Import the previewed file: it is read and checked again here, nothing from the page is trusted."""
    form = QuestionImportForm()
    form.validate()
    pending = pending_upload(request.form.get("token", ""), current_user)
    if pending is None:
        flash("That upload is no longer waiting to be imported (uploads wait one day). Upload it again.", "error")
        return redirect(url_for("teach.question_import"))
    defaults = dict(pending.defaults)
    plan = plan_import(pending.data, pending.filename, pending.format, defaults,
                       blueprint_codes=blueprint_codes(), reserved_ids=RESERVED_IDS, author=current_user)
    if plan.problems and request.form.get("skip_invalid") != "y":
        flash("Some questions have problems. Fix the file, or tick the box to import only the valid ones.", "error")
        return render_template("teach/questions/import_preview.html", form=form, plan=plan,
                               token=pending.token), 422
    if not plan.rows:
        flash("There is nothing to import: no question in this upload is valid.", "error")
        return render_template("teach/questions/import_preview.html", form=form, plan=plan, token=""), 422
    counts = apply_import(plan, actor=current_user)
    db.session.delete(pending)
    db.session.commit()
    message = (f"Imported from {plan.filename}: {counts['created']} created, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged" + (f", {plan.refused} skipped." if plan.problems else "."))
    if plan.drafts_needing_explanation:
        message += (f" {plan.drafts_needing_explanation} had no general feedback and wait as drafts "
                    "that need an explanation.")
        flash(message, "success")
        return redirect(url_for("teach.questions", needs="explanation"))
    flash(message, "success")
    return redirect(url_for("teach.questions", status=defaults.get("status", "")))
