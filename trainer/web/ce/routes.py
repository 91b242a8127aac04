"""The CE pages. Views parse, call trainer.services.ce / ce_documents, commit and render.

Every page that shows a person's records loads them by the logged-in user's id (or,
for admins, by an explicit id), so nobody reaches another person's records, files,
transcripts or calendar feed by changing a number in the address.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.ce import KIND_NAMES, STATUSES, TOPICS, hours_text, long_date
from trainer.ce.evidence import MAX_CERTIFICATE_BYTES
from trainer.ce.transcripts import MAX_IMPORT_BYTES
from trainer.extensions import db, limiter
from trainer.models import Course, utcnow
from trainer.services import ce, ce_documents
from trainer.web.access import admin_required, instructor_required
from trainer.web.ce.forms import (
    CredentialForm,
    EntryForm,
    ImportConfirmForm,
    ImportForm,
    RevokeForm,
    SharingForm,
    UanForm,
    WithdrawForm,
)
from trainer.web.main.routes import dashboard_panel
from trainer.web.numbers import whole_number

bp = Blueprint("ce", __name__, template_folder="templates")

STATUS_LABELS = {"complete": "Complete", "on_track": "On track", "at_risk": "At risk", "overdue": "Overdue"}
STATUS_BADGES = {"complete": "ok", "on_track": "ok", "at_risk": "warn", "overdue": "bad"}
UPLOAD_ENDPOINTS = {"ce.new_entry", "ce.correct_entry"}
# Room for the multipart wrapping around a 5 MB certificate and the other fields.
UPLOAD_REQUEST_LIMIT = MAX_CERTIFICATE_BYTES + 256 * 1024
IMPORT_REQUEST_LIMIT = 2 * MAX_IMPORT_BYTES + 256 * 1024


def today() -> date:
    """Today's date for CE purposes (UTC, as the records are)."""
    return utcnow().date()


@bp.url_value_preprocessor
def _room_for_uploads(endpoint, _values):
    # Runs before the app's before_request hooks (CSRF reads the form there), so the
    # larger limit applies before the body is parsed; every other page keeps the site's.
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = UPLOAD_REQUEST_LIMIT
        request.max_form_memory_size = 256 * 1024
    elif endpoint == "ce.import_transcript":
        request.max_content_length = IMPORT_REQUEST_LIMIT


@bp.app_context_processor
def _ce_names():
    return {"ce_status_labels": STATUS_LABELS, "ce_status_badges": STATUS_BADGES, "ce_topics": TOPICS,
            "ce_kind_names": KIND_NAMES, "hours_text": hours_text, "long_date": long_date}  # fmt: skip


def _copy_problems(form, problems) -> None:
    for name, message in problems:
        field = getattr(form, name, None)
        target = field if field is not None and hasattr(field, "errors") else None
        if target is None:
            form.form_errors.append(message)
            continue
        if isinstance(target.errors, tuple):
            target.errors = list(target.errors)
        target.errors.append(message)


# ------------------------------------------------------------------------ dashboard


@bp.get("/ce/")
@login_required
def dashboard():
    results = ce.progress_of(current_user.id, today(), suggestions=True)
    sharing = ce.shares_with_instructors(current_user.id)
    return render_template("ce/dashboard.html", results=results, sharing=sharing,
                           sharing_form=SharingForm(data={"share": sharing}),
                           feed=ce_documents.active_feed(current_user.id))  # fmt: skip


@dashboard_panel
def ce_panel(user) -> dict | None:
    """The dashboard's CE panel: each credential's hours, status and days to the deadline."""
    results = ce.progress_of(user.id, today())
    if not results and user.learner_type != "technician":
        return None
    lines = []
    for result in results:
        report = result.report
        lines.append({
            "text": f"{result.rules.name}: {hours_text(report.earned_hours)} of {hours_text(report.required_hours)} "
                    f"hours, {STATUS_LABELS[report.status].lower()}, {report.days_to_deadline} days to the deadline",
            "url": url_for("ce.dashboard", _anchor=f"credential-{result.credential.id}"),
        })  # fmt: skip
    return {
        "title": "Continuing education",
        "lines": lines,
        "empty": "Add the credentials you hold to see whether your CE is on track.",
        "link": {"text": "Open CE tracker", "url": url_for("ce.dashboard")},
    }


@bp.post("/ce/sharing")
@login_required
def sharing():
    form = SharingForm()
    if form.validate_on_submit():
        ce.set_sharing(current_user, form.share.data)
        db.session.commit()
        flash("Instructors can now see your CE progress." if form.share.data
              else "Instructors no longer see your CE progress.", "success")  # fmt: skip
    return redirect(url_for("ce.dashboard"))


# ------------------------------------------------------------------------ credentials


@bp.route("/ce/credentials", methods=["GET", "POST"])
@login_required
def credentials():
    form = CredentialForm()
    status = 200
    if form.validate_on_submit():
        credential, problems = ce.save_credential(
            current_user, current_user, rule_set=form.rule_set.data, number=form.number.data,
            issued=form.issued_on.data, expires=form.expires_on.data,
        )  # fmt: skip
        if not problems:
            db.session.commit()
            flash("Credential added.", "success")
            return redirect(url_for("ce.dashboard", _anchor=f"credential-{credential.id}"))
        _copy_problems(form, problems)
    if form.errors:
        status = 422
    return render_template("ce/credentials.html", form=form, credentials=ce.credentials_of(current_user.id),
                           rules_of=ce.rules_for), status  # fmt: skip


@bp.route("/ce/credentials/<int:credential_id>", methods=["GET", "POST"])
@login_required
def edit_credential(credential_id: int):
    credential = ce.credential_of(current_user.id, credential_id) or abort(404)
    form = CredentialForm(obj=credential)
    if form.validate_on_submit():
        _, problems = ce.save_credential(
            current_user, current_user, rule_set=form.rule_set.data, number=form.number.data,
            issued=form.issued_on.data, expires=form.expires_on.data, credential=credential,
        )  # fmt: skip
        if not problems:
            db.session.commit()
            flash("Credential saved.", "success")
            return redirect(url_for("ce.dashboard", _anchor=f"credential-{credential.id}"))
        _copy_problems(form, problems)
    return render_template("ce/credential_edit.html", form=form, credential=credential), 422 if form.errors else 200


@bp.post("/ce/credentials/<int:credential_id>/archive")
@login_required
def archive_credential(credential_id: int):
    credential = ce.credential_of(current_user.id, credential_id) or abort(404)
    ce.archive_credential(credential, current_user)
    db.session.commit()
    flash("The credential is no longer tracked.", "success")
    return redirect(url_for("ce.credentials"))


# ------------------------------------------------------------------------ the record


def _tags_for(user_id: int) -> dict[str, str]:
    tags = {}
    for credential in ce.credentials_of(user_id):
        tags.update(ce.rules_for(credential).tags)
    return tags


@bp.get("/ce/record")
@login_required
def record():
    records = ce.current_records([current_user.id])[current_user.id]
    return render_template("ce/record.html", records=list(reversed(records)),
                           history=ce.record_history(current_user.id),
                           certificates=ce_documents.certificates_by_credit(current_user.id),
                           may_correct=lambda r: ce.may_correct(current_user, r))  # fmt: skip


def _entry_fields(form: EntryForm) -> ce.EntryFields:
    return ce.EntryFields(
        title=form.title.data or "", provider=form.provider.data or "", kind=form.kind.data,
        uan=form.uan.data or "", hours=form.hours.data or "", topic=form.topic.data or "",
        format=form.format.data or "", completed=form.completed.data, tags=list(form.tags.data or []),
        note=form.note.data or "",
    )  # fmt: skip


def _upload(form: EntryForm, user):
    """Store the uploaded certificate, if one was sent; (evidence, problems)."""
    upload = form.certificate.data
    if not upload or not getattr(upload, "filename", None):
        return None, []
    data = upload.read(MAX_CERTIFICATE_BYTES + 1)
    return ce_documents.store_evidence(user, data, upload.filename)


@bp.route("/ce/record/new", methods=["GET", "POST"])
@login_required
def new_entry():
    form = EntryForm()
    form.set_tags(_tags_for(current_user.id))
    if form.validate_on_submit():
        fields = _entry_fields(form)
        _, problems = ce.entry_problems(fields, today())
        if not problems:
            evidence, problems = _upload(form, current_user)
        if not problems:
            ce.add_external(current_user, current_user, fields, today(), evidence=evidence)
            db.session.commit()
            flash(f"“{fields.title}” is in your CE record.", "success")
            return redirect(url_for("ce.record"))
        db.session.rollback()
        _copy_problems(form, problems)
    return render_template("ce/entry.html", form=form, record=None), 422 if form.errors else 200


def _record_for_change(record_id: int):
    if current_user.is_admin:
        from trainer.models.ce import CECredit

        row = db.session.get(CECredit, record_id)
        record = ce.record_of(row.user_id, record_id) if row else None
    else:
        record = ce.record_of(current_user.id, record_id)
    if record is None:
        abort(404)
    if not ce.may_correct(current_user, record):
        abort(403)
    return record


@bp.route("/ce/record/<int:record_id>/correct", methods=["GET", "POST"])
@login_required
def correct_entry(record_id: int):
    record = _record_for_change(record_id)
    fields = ce.fields_of(record)
    form = EntryForm(data={} if request.method == "POST" else vars(fields))
    form.set_tags(_tags_for(record.user_id))
    if form.validate_on_submit():
        evidence, problems = _upload(form, current_user)
        if not problems:
            _, problems = ce.correct_record(record, current_user, _entry_fields(form), today(), evidence=evidence)
        if not problems:
            db.session.commit()
            flash("The correction is recorded; the original entry stays in the history.", "success")
            return redirect(url_for("ce.record") if record.user_id == current_user.id else url_for("ce.dashboard"))
        db.session.rollback()
        _copy_problems(form, problems)
    return render_template("ce/entry.html", form=form, record=record,
                           withdraw_form=WithdrawForm(formdata=None)), 422 if form.errors else 200  # fmt: skip


@bp.post("/ce/record/<int:record_id>/withdraw")
@login_required
def withdraw_entry(record_id: int):
    record = _record_for_change(record_id)
    form = WithdrawForm()
    problems = [("note", "Say why: the audit trail keeps it.")]
    if form.validate_on_submit():
        problems = ce.withdraw_record(record, current_user, form.note.data)
    if not problems:
        db.session.commit()
        flash("The entry is withdrawn; it stays in the history.", "success")
        return redirect(url_for("ce.record"))
    _copy_problems(form, problems)
    entry_form = EntryForm(data=vars(ce.fields_of(record)))
    entry_form.set_tags(_tags_for(record.user_id))
    return render_template("ce/entry.html", form=entry_form, record=record, withdraw_form=form), 422


@bp.get("/ce/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    item = ce_documents.evidence_for(current_user, evidence_id) or abort(404)
    path = ce_documents.evidence_path(item) or abort(404)
    response = send_file(path, mimetype=item.mimetype, as_attachment=True, download_name=item.label,
                         max_age=0, etag=False)  # fmt: skip
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ------------------------------------------------------------------------ import


@bp.route("/ce/import", methods=["GET", "POST"])
@login_required
def import_transcript():
    form, confirm = ImportForm(), ImportConfirmForm()
    preview = None
    if request.method == "POST" and "text" in request.form:
        if confirm.validate_on_submit():
            raw = (confirm.text.data or "").encode("utf-8")
            count, preview = ce.save_import(current_user, current_user, raw, today())
            if preview.can_save:
                db.session.commit()
                flash(f"{count} activit{'y' if count == 1 else 'ies'} added to your CE record"
                      + (f"; {len(preview.repeats)} already there were skipped." if preview.repeats else "."),
                      "success")  # fmt: skip
                return redirect(url_for("ce.record"))
    elif form.validate_on_submit():
        upload = form.transcript.data
        if not upload or not getattr(upload, "filename", None):
            form.transcript.errors = ["Choose the CSV file to import."]
        else:
            raw = upload.read(MAX_IMPORT_BYTES + 1)
            preview = ce.preview_import(current_user.id, raw, today())
            text = raw.decode("utf-8-sig", errors="replace") if preview.can_save else ""
            confirm = ImportConfirmForm(formdata=None, data={"text": text})
    status = 422 if (preview is not None and preview.problems) or form.errors else 200
    return render_template("ce/import.html", form=form, confirm=confirm, preview=preview), status


# ------------------------------------------------------------------------ certificates


def _verify_url(code: str) -> str:
    return url_for("ce.verify", code=code, _external=True)


@bp.get("/ce/certificates/<int:credit_id>.pdf")
@login_required
def certificate(credit_id: int):
    item = ce_documents.certificate_of(current_user, credit_id) or abort(404)
    pdf = ce_documents.certificate_file(item, _verify_url(item.code))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{item.code}.pdf"'})


def _verify_limit() -> str:
    return current_app.config["CE_VERIFY_RATE_LIMIT"]


@bp.get("/verify")
@limiter.limit(_verify_limit)
def verify_form():
    code = (request.args.get("code") or "").strip()
    if code:
        normal = ce_documents.normal_code(code)
        if normal:
            return redirect(url_for("ce.verify", code=normal))
        return render_template("ce/verify.html", certificate=None, code=code[:40], asked=True), 404
    return render_template("ce/verify.html", certificate=None, code="", asked=False)


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    item = ce_documents.certificate_by_code(code)
    if item is None:
        return render_template("ce/verify.html", certificate=None, code=code[:40], asked=True), 404
    data = ce_documents.certificate_data(item, _verify_url(item.code))
    response = render_template("ce/verify.html", certificate=item, data=data, code=item.code, asked=True)
    return response, 200, {"X-Robots-Tag": "noindex"}


# ------------------------------------------------------------------------ transcripts and the audit pack


def _own_credential(credential_id: int):
    return ce.credential_of(current_user.id, credential_id) or abort(404)


@bp.get("/ce/credentials/<int:credential_id>/transcript.pdf")
@login_required
def transcript_pdf(credential_id: int):
    credential = _own_credential(credential_id)
    heading, report, _ = ce_documents.transcript_for(current_user, credential, today())
    return Response(ce_documents.transcript_file(heading, report), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="ce-transcript-{credential.rule_set}.pdf"'})


@bp.get("/ce/credentials/<int:credential_id>/transcript.csv")
@login_required
def transcript_csv(credential_id: int):
    credential = _own_credential(credential_id)
    _, report, _ = ce_documents.transcript_for(current_user, credential, today())
    return Response(ce_documents.transcript_csv(report), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="ce-transcript-{credential.rule_set}.csv"'})


@bp.get("/ce/credentials/<int:credential_id>/audit-pack.zip")
@login_required
def audit_pack(credential_id: int):
    credential = _own_credential(credential_id)
    data = ce_documents.audit_pack(current_user, credential, today(), _verify_url)
    db.session.commit()  # the audit trail notes that a pack was made
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="ce-audit-pack-{credential.rule_set}.zip"'})


# ------------------------------------------------------------------------ calendar


@bp.get("/ce/calendar.ics")
@login_required
def calendar():
    return Response(ce_documents.calendar_file(current_user.id, today()), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="ce-deadlines.ics"'})  # fmt: skip


@bp.post("/ce/calendar/feed")
@login_required
def new_feed():
    token = ce_documents.new_feed(current_user)
    db.session.commit()
    url = url_for("ce.feed", token=token, _external=True)
    return render_template("ce/feed.html", url=url)


@bp.post("/ce/calendar/feed/revoke")
@login_required
def revoke_feed():
    ce_documents.revoke_feeds(current_user)
    db.session.commit()
    flash("The calendar feed address no longer works. Calendars subscribed to it stop updating.", "success")
    return redirect(url_for("ce.dashboard", _anchor="calendar"))


def _feed_limit() -> str:
    return current_app.config["CE_FEED_RATE_LIMIT"]


@bp.get("/ce/feed/<token>.ics")
@limiter.limit(_feed_limit)
def feed(token: str):
    user_id = ce_documents.user_for_feed(token)
    if user_id is None:
        abort(404)
    return Response(ce_documents.calendar_file(user_id, today()), mimetype="text/calendar")


# ------------------------------------------------------------------------ instructors and admins


@bp.get("/ce/compliance")
@instructor_required
def compliance():
    rows = ce.compliance_rows(current_user, today())
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
    return render_template("ce/compliance.html", rows=rows, counts=counts)


@bp.get("/ce/compliance.csv")
@instructor_required
def compliance_csv():
    rows = ce.compliance_rows(current_user, today())
    return Response(ce.compliance_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="ce-compliance.csv"'})  # fmt: skip


@bp.get("/ce/admin/rules")
@admin_required
def rules():
    return render_template("ce/rules.html", catalogue=ce.rule_catalogue(today()))


@bp.route("/ce/admin/courses", methods=["GET", "POST"])
@admin_required
def course_numbers():
    courses = db.session.scalars(select(Course).order_by(Course.title, Course.id)).all()
    errors = {}
    if request.method == "POST":
        form = UanForm()
        course = db.session.get(Course, whole_number(request.form.get("course_id", "")) or 0) or abort(404)
        if form.validate_on_submit():
            problems = ce.set_course_uan(course, form.uan.data, current_user)
            if not problems:
                db.session.commit()
                flash(f"“{course.title}”: " + (f"UAN {course.uan} saved." if course.uan
                                                 else "no UAN: it earns a site certificate, not ACPE credit."),
                      "success")  # fmt: skip
                return redirect(url_for("ce.course_numbers", _anchor=f"course-{course.id}"))
            errors[course.id] = [message for _, message in problems]
        else:
            errors[course.id] = [m for ms in form.errors.values() for m in ms]
        db.session.rollback()
    return render_template("ce/course_numbers.html", courses=courses, errors=errors,
                           form_for=lambda c: UanForm(formdata=None, data={"uan": c.uan or ""})), (422 if errors else 200)


@bp.route("/ce/admin/certificates", methods=["GET"])
@admin_required
def certificates_admin():
    code = (request.args.get("code") or "").strip()
    item = ce_documents.certificate_by_code(code) if code else None
    return render_template("ce/certificates_admin.html", code=code[:40], certificate=item,
                           form=RevokeForm(formdata=None)), (404 if code and item is None else 200)


@bp.post("/ce/admin/certificates/<int:certificate_id>/revoke")
@admin_required
def revoke_certificate(certificate_id: int):
    from trainer.models.ce import CECertificate

    item = db.session.get(CECertificate, certificate_id) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return render_template("ce/certificates_admin.html", code=item.code, certificate=item, form=form), 422
    if item.revoked_at is None:
        ce.revoke_certificate(item, current_user, form.reason.data)
        db.session.commit()
    flash(f"Certificate {item.code} is revoked; its verification page says so.", "success")
    return redirect(url_for("ce.certificates_admin", code=item.code))


@bp.get("/ce/admin/learners/<int:user_id>")
@admin_required
def learner(user_id: int):
    from trainer.models import User

    person = db.session.get(User, user_id) or abort(404)
    results = ce.progress_of(user_id, today())
    records = ce.current_records([user_id])[user_id]
    return render_template("ce/learner.html", person=person, results=results, records=list(reversed(records)),
                           certificates=ce_documents.certificates_by_credit(user_id))  # fmt: skip

