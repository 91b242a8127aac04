"""CE files: uploaded evidence on disk, certificates and their public verification,
transcripts, the audit pack and the deadlines calendar with its private feed.

Uploaded files are kept in the instance folder (never under static/), each under a
random name; the database row says whose it is, and only its owner and admins are
ever given it. URLs are made by the views and passed in.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from trainer.ce import hours_text, long_date
from trainer.ce.calendar import Deadline, deadlines_ics
from trainer.ce.documents import (
    CertificateData,
    TranscriptHeading,
    certificate_pdf,
    transcript_lines,
    transcript_pdf,
)
from trainer.ce.evidence import check_certificate
from trainer.ce.transcripts import EXPORT_COLUMNS, write_csv
from trainer.extensions import db
from trainer.models import AuditEvent, User, utcnow
from trainer.models.ce import (
    CODE_ALPHABET,
    CECalendarFeed,
    CECertificate,
    CECredential,
    CEEvidence,
)
from trainer.services import ce

EVIDENCE_FOLDER = "ce-evidence"
SITE = "RxTrainer"
_CODE = re.compile(rf"[{CODE_ALPHABET}]{{16}}")


# ------------------------------------------------------------------------ evidence files


def evidence_folder() -> Path:
    """Where uploaded certificates are kept: inside the instance folder, outside static/."""
    folder = Path(current_app.config.get("CE_EVIDENCE_DIR") or Path(current_app.instance_path) / EVIDENCE_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_evidence(user, data: bytes, filename: str | None):
    """Check and keep an uploaded certificate; returns (CEEvidence, problems)."""
    checked, problems = check_certificate(data, filename)
    if problems:
        return None, problems
    stored_name = secrets.token_hex(16) + checked.extension
    path = evidence_folder() / stored_name
    with open(path, "xb") as out:  # x: never overwrite
        out.write(data)
    evidence = CEEvidence(user_id=user.id, stored_name=stored_name, label=checked.label,
                          mimetype=checked.mimetype, size=checked.size,
                          sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
    db.session.add(evidence)
    db.session.flush()
    AuditEvent.record("ce.evidence.uploaded", f"ce_evidence:{evidence.id}", actor=user, user_id=user.id,
                      label=checked.label, size=checked.size)  # fmt: skip
    return evidence, []


def evidence_for(viewer, evidence_id: int) -> CEEvidence | None:
    """An evidence file the viewer may have: their own, or any for an admin."""
    evidence = db.session.get(CEEvidence, evidence_id)
    if evidence is None or not (viewer.is_admin or evidence.user_id == viewer.id):
        return None
    return evidence


def evidence_path(evidence: CEEvidence) -> Path | None:
    """The file on disk, or None when it is missing (its name is ours, never the uploader's)."""
    path = evidence_folder() / evidence.stored_name
    return path if path.is_file() else None


# ------------------------------------------------------------------------ certificates


def certificate_of(viewer, credit_id: int) -> CECertificate | None:
    """The certificate of a completion the viewer may see: their own, or any for an admin."""
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit_id))
    if certificate is None or not (viewer.is_admin or certificate.user_id == viewer.id):
        return None
    return certificate


def certificates_by_credit(user_id: int) -> dict[int, CECertificate]:
    """A user's certificates, keyed by the completion they certify."""
    rows = db.session.scalars(select(CECertificate).where(CECertificate.user_id == user_id))
    return {c.credit_id: c for c in rows}


def normal_code(text: str) -> str | None:
    """A code as typed (any case, with or without dashes or spaces) in its stored form."""
    raw = re.sub(r"[\s-]", "", (text or "").upper())[:32]
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")  # Crockford: read alike
    if not _CODE.fullmatch(raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def certificate_by_code(text: str) -> CECertificate | None:
    """The certificate with this verification code, or None."""
    code = normal_code(text)
    if code is None:
        return None
    return db.session.scalar(select(CECertificate).where(CECertificate.code == code))


def certificate_data(certificate: CECertificate, verify_url: str) -> CertificateData:
    """What the certificate PDF and the verify page say."""
    credit = certificate.credit
    return CertificateData(
        learner=certificate.learner_name, course=credit.title, hours=credit.hours, topic=credit.topic,
        completed=credit.completed_date, uan=credit.uan, code=certificate.code, verify_url=verify_url,
        site=SITE, revoked=certificate.revoked_at is not None,
    )  # fmt: skip


def certificate_file(certificate: CECertificate, verify_url: str) -> bytes:
    """The certificate as a PDF."""
    return certificate_pdf(certificate_data(certificate, verify_url))


# ------------------------------------------------------------------------ transcripts and the audit pack


def transcript_for(user: User, credential: CECredential, today: date):
    """(heading, report, records) of one credential's current cycle; records[i] is report.counted[i]."""
    records = ce.current_records([user.id])[user.id]
    result = ce.credential_progress(credential, records, today)
    heading = TranscriptHeading(user.name, result.rules.name, credential.number, utcnow(), SITE)
    return heading, result.report, records


def transcript_csv(report) -> str:
    """The cycle's activities as CSV (the import reads its ACPE rows back)."""
    return write_csv(EXPORT_COLUMNS, transcript_lines(report))


def transcript_file(heading, report) -> bytes:
    """The cycle's transcript as a PDF."""
    return transcript_pdf(heading, report)


def audit_pack(user: User, credential: CECredential, today: date, verify_url_for) -> bytes:
    """A zip for an auditor: transcript PDF and CSV, the certificates of courses done here
    and the uploaded evidence of every activity in the cycle, with a list of contents."""
    heading, report, everything = transcript_for(user, credential, today)
    records = [r for r in everything if report.cycle_start <= r.completed_date <= report.cycle_end]
    certificates = certificates_by_credit(user.id)
    evidence_ids = {r.evidence_id for r in records if r.evidence_id}
    evidence = {e.id: e for e in db.session.scalars(select(CEEvidence).where(CEEvidence.id.in_(evidence_ids)))}
    slug = credential.rule_set
    contents = [f"CE audit pack: {user.name}, {heading.credential}",
                f"Cycle {long_date(report.cycle_start)} to {long_date(report.cycle_end)}",
                f"Made {long_date(today)} by {SITE}", "", "Files:"]  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(f"transcript-{slug}.pdf", transcript_file(heading, report))
        pack.writestr(f"transcript-{slug}.csv", transcript_csv(report))
        contents += [f"  transcript-{slug}.pdf  the transcript", f"  transcript-{slug}.csv  the same as CSV"]
        for number, record in enumerate(records, 1):
            certificate = certificates.get(record.id)
            if certificate is not None and certificate.revoked_at is None:
                name = f"certificates/{number:02d}-certificate-{certificate.code}.pdf"
                pack.writestr(name, certificate_file(certificate, verify_url_for(certificate.code)))
                contents.append(f"  {name}  {record.title} ({hours_text(record.hours)} h, {record.completed_date})")
            item = evidence.get(record.evidence_id)
            path = evidence_path(item) if item else None
            if path is not None:
                name = f"evidence/{number:02d}-{item.label}"
                pack.write(path, name)
                contents.append(f"  {name}  uploaded for {record.title} ({record.completed_date})")
        pack.writestr("CONTENTS.txt", "\n".join(contents) + "\n")
    AuditEvent.record("ce.audit_pack.made", f"ce_credential:{credential.id}", actor=user, user_id=user.id)
    return out.getvalue()


# ------------------------------------------------------------------------ calendar


def deadlines_of(user_id: int, today: date) -> list[Deadline]:
    """The dated events of every credential: window opening, application deadline, expiry."""
    events = []
    for result in ce.progress_of(user_id, today):
        credential, report, name = result.credential, result.report, result.rules.name
        ident = f"ce-{credential.id}-{credential.expires_on.isoformat()}"
        if report.window_opens is not None:
            events.append(Deadline(f"{ident}-window@rxtrainer", report.window_opens,
                                   f"{name}: renewal applications open", reminders=(0,)))  # fmt: skip
        if report.deadline != credential.expires_on:
            events.append(Deadline(f"{ident}-deadline@rxtrainer", report.deadline,
                                   f"{name}: renewal application deadline",
                                   result.rules.application.late))  # fmt: skip
        events.append(Deadline(f"{ident}-expiry@rxtrainer", credential.expires_on, f"{name}: expires",
                               "The last day CE counts for this cycle."))  # fmt: skip
    return events


def calendar_file(user_id: int, today: date) -> bytes:
    """The user's deadlines as an iCalendar file with reminders."""
    return deadlines_ics(deadlines_of(user_id, today), "RxTrainer CE deadlines", utcnow())


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user_id: int) -> CECalendarFeed | None:
    """The user's current calendar feed, if they have one."""
    return db.session.scalar(select(CECalendarFeed).where(
        CECalendarFeed.user_id == user_id, CECalendarFeed.revoked_at.is_(None)))


def new_feed(user) -> str:
    """Revoke any feed and make a new one; returns its secret token (shown once, then only hashed)."""
    revoke_feeds(user, audit=False)
    token = secrets.token_urlsafe(32)
    db.session.add(CECalendarFeed(user_id=user.id, token_hash=_token_hash(token)))
    AuditEvent.record("ce.calendar_feed.created", f"user:{user.id}", actor=user)
    return token


def revoke_feeds(user, audit: bool = True) -> None:
    """Stop every calendar feed of the user (their calendar app stops updating)."""
    now = utcnow()
    for feed in db.session.scalars(select(CECalendarFeed).where(
            CECalendarFeed.user_id == user.id, CECalendarFeed.revoked_at.is_(None))):  # fmt: skip
        feed.revoked_at = now
    if audit:
        AuditEvent.record("ce.calendar_feed.revoked", f"user:{user.id}", actor=user)


def user_for_feed(token: str) -> int | None:
    """The id of the user a live feed token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(CECalendarFeed.user_id).join(User, User.id == CECalendarFeed.user_id).where(
        CECalendarFeed.token_hash == _token_hash(token), CECalendarFeed.revoked_at.is_(None), User.active.is_(True)))


def feed_token_matches(user_id: int, token: str) -> bool:
    """True when `token` is the user's live feed token (for showing it back once made)."""
    return user_for_feed(token) == user_id


def when(value: datetime | None) -> str:
    """A timestamp as a date people read."""
    return long_date(value.date()) if value else ""
