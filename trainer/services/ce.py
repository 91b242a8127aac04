"""Continuing education on stored data: credentials, the CE record, progress per
credential, CPE Monitor imports, sharing and the compliance report.

Views pass plain values in and get models, reports or (field, message) problems back;
nothing here knows about requests or templates. The counting itself is trainer.ce's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import aliased

from trainer.ce import (
    KINDS,
    TOPICS,
    Activity,
    Report,
    RuleSet,
    Shortfall,
    UanError,
    UnknownRuleSet,
    cycle_for,
    load_rules,
    parse_uan,
    progress,
    rule_history,
    rule_set_keys,
)
from trainer.ce.transcripts import ImportedRow, ImportProblem, read_transcript_csv
from trainer.extensions import db
from trainer.models import AuditEvent, Course, User, utcnow
from trainer.models.ce import CECredential, CECredit, CESharing
from trainer.services.cohorts import learners_visible_to

MAX_TITLE = 200
MAX_PROVIDER = 200
MAX_NOTE = 2_000
MAX_HOURS = Decimal(100)
MAX_NUMBER = 40
STATUS_RISK = {"overdue": 0, "at_risk": 1, "on_track": 2, "complete": 3}
SUGGESTIONS_PER_SHORTFALL = 3


def noon_utc(day: date) -> datetime:
    """A calendar date stored as a timestamp: noon UTC keeps the same date in every US zone."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


# ------------------------------------------------------------------------ credentials


# Built once: the dashboard's CE panel runs it on every view.
CREDENTIALS_OF = (
    select(CECredential)
    .where(CECredential.user_id == bindparam("user_id"), CECredential.archived_at.is_(None))
    .order_by(CECredential.expires_on, CECredential.id)
)


def credentials_of(user_id: int) -> list[CECredential]:
    """The credentials a user holds (not archived), soonest expiry first."""
    return list(db.session.scalars(CREDENTIALS_OF, {"user_id": user_id}))


def credential_of(user_id: int, credential_id: int) -> CECredential | None:
    """One of the user's own credentials, or None (never another person's)."""
    return db.session.scalar(
        select(CECredential).where(
            CECredential.id == credential_id, CECredential.user_id == user_id,
            CECredential.archived_at.is_(None),
        )
    )  # fmt: skip


def credential_problems(rule_set: str, number: str, issued: date | None, expires: date | None) -> list:
    """What is wrong with a credential's details, as (field, message) pairs."""
    problems = []
    if rule_set not in rule_set_keys():
        problems.append(("rule_set", "Choose the credential from the list."))
    if len(number or "") > MAX_NUMBER:
        problems.append(("number", f"The number is at most {MAX_NUMBER} characters."))
    if expires is None:
        problems.append(("expires_on", "Enter the expiry date shown on the certificate or registration."))
    elif issued is not None and issued >= expires:
        problems.append(("issued_on", "The issue date must be before the expiry date."))
    return problems


def save_credential(user, actor, *, rule_set, number, issued, expires, credential=None):
    """Add a credential (or change one); returns (credential, problems)."""
    number = (number or "").strip()
    problems = credential_problems(rule_set, number, issued, expires)
    if problems:
        return None, problems
    action = "ce.credential.added" if credential is None else "ce.credential.changed"
    if credential is None:
        credential = CECredential(user_id=user.id)
        db.session.add(credential)
    before = None if credential.id is None else _credential_facts(credential)
    credential.rule_set, credential.number = rule_set, number
    credential.issued_on, credential.expires_on = issued, expires
    db.session.flush()
    AuditEvent.record(action, f"ce_credential:{credential.id}", actor=actor, user_id=user.id,
                      before=before, after=_credential_facts(credential))  # fmt: skip
    return credential, []


def archive_credential(credential: CECredential, actor) -> None:
    """Stop tracking a credential (kept for the audit trail)."""
    credential.archived_at = utcnow()
    AuditEvent.record("ce.credential.archived", f"ce_credential:{credential.id}", actor=actor,
                      user_id=credential.user_id)  # fmt: skip


def _credential_facts(credential: CECredential) -> dict:
    return {
        "rule_set": credential.rule_set, "number": credential.number,
        "issued_on": credential.issued_on.isoformat() if credential.issued_on else None,
        "expires_on": credential.expires_on.isoformat(),
    }  # fmt: skip


def rules_for(credential: CECredential) -> RuleSet:
    """The version of the credential's rule set in force when its current cycle ends."""
    return load_rules(credential.rule_set, on=credential.expires_on)


# ------------------------------------------------------------------------ the record


def _not_corrected():
    later = aliased(CECredit)
    return ~exists().where(later.corrects_id == CECredit.id)


def current_records(user_ids) -> dict[int, list[CECredit]]:
    """Each user's CE record as it stands: rows no correction replaced, withdrawals left out."""
    user_ids = list(user_ids)
    records: dict[int, list[CECredit]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return records
    rows = db.session.scalars(
        select(CECredit)
        .where(CECredit.user_id.in_(user_ids), _not_corrected(), CECredit.withdrawn.is_(False))
        .order_by(CECredit.completed_on, CECredit.id)
    )
    for row in rows:
        records[row.user_id].append(row)
    return records


def record_history(user_id: int) -> list[CECredit]:
    """Every row of a user's CE record, corrections and withdrawals included, newest first."""
    return list(db.session.scalars(
        select(CECredit).where(CECredit.user_id == user_id).order_by(CECredit.recorded_at.desc(), CECredit.id.desc())
    ))  # fmt: skip


def record_of(user_id: int, record_id: int) -> CECredit | None:
    """One of the user's own current records (not one already corrected), or None."""
    return db.session.scalar(
        select(CECredit).where(CECredit.id == record_id, CECredit.user_id == user_id, _not_corrected(),
                               CECredit.withdrawn.is_(False))
    )  # fmt: skip


def activity_of(record: CECredit) -> Activity:
    """A stored record as the rule engine's Activity."""
    ref = f"course:{record.course_id}" if record.source == "course" and record.course_id else None
    return Activity(
        title=record.title, hours=record.hours, completed=record.completed_date, topic=record.topic,
        audience=record.audience if record.kind == "acpe" else None, kind=record.kind,
        format=record.format, uan=record.uan if record.kind == "acpe" else None, ref=ref,
        tags=frozenset(record.tags or ()), provider=record.provider,
    )  # fmt: skip


@dataclass
class EntryFields:
    """An external activity as typed in, before it is checked."""

    title: str = ""
    provider: str = ""
    kind: str = "acpe"
    uan: str = ""
    hours: str = ""
    topic: str = ""
    format: str = ""
    completed: date | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""


def entry_problems(fields: EntryFields, today: date) -> tuple[dict, list]:
    """Check an external activity; returns (clean values, [(field, message)])."""
    problems = []
    title = fields.title.strip()
    if not title:
        problems.append(("title", "Give the activity's title as it appears on the certificate."))
    elif len(title) > MAX_TITLE:
        problems.append(("title", f"The title is at most {MAX_TITLE} characters."))
    provider = fields.provider.strip()
    if len(provider) > MAX_PROVIDER:
        problems.append(("provider", f"The provider is at most {MAX_PROVIDER} characters."))
    if fields.kind not in KINDS:
        problems.append(("kind", "Choose what kind of activity this was."))
    hours = None
    try:
        hours = Decimal((fields.hours or "").strip())
        if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS or hours != hours.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(("hours", "Enter the contact hours as a number above 0, e.g. 1.5."))
        hours = None
    uan = None
    topic = fields.topic or None
    fmt = fields.format or None
    if fields.kind == "acpe":
        try:
            uan = parse_uan(fields.uan)
        except UanError as exc:
            problems.append(("uan", str(exc)))
        if uan is not None:
            if topic and topic != uan.topic:
                problems.append(("topic", f"The UAN's topic designator is {uan.topic}; choose that topic or check the number."))
            topic, fmt = uan.topic, uan.format
    elif fields.uan.strip():
        problems.append(("uan", "Only ACPE-accredited activities have a UAN: choose that kind, or leave the UAN empty."))
    if topic is not None and topic not in TOPICS:
        problems.append(("topic", "Choose an ACPE topic."))
    if topic is None:
        problems.append(("topic", "Choose the topic closest to what the activity covered."))
    if fmt not in (None, "L", "H", "B"):
        problems.append(("format", "Choose live or home study."))
    if fields.completed is None:
        problems.append(("completed", "Enter the date you completed the activity."))
    elif fields.completed > today:
        problems.append(("completed", "The completion date cannot be in the future."))
    note = fields.note.strip()
    if len(note) > MAX_NOTE:
        problems.append(("note", f"The note is at most {MAX_NOTE:,} characters."))
    clean = {
        "title": title, "provider": provider, "kind": fields.kind, "hours": hours,
        "uan": str(uan) if uan else None, "topic": topic, "format": fmt,
        "audience": uan.audience if uan else None, "completed": fields.completed,
        "tags": sorted(set(fields.tags)), "note": note,
    }  # fmt: skip
    return clean, problems


def add_external(user, actor, fields: EntryFields, today: date, evidence=None):
    """Record an activity done elsewhere; returns (record, problems)."""
    clean, problems = entry_problems(fields, today)
    if problems:
        return None, problems
    record = _new_record(user.id, actor, clean, source="external", evidence_id=evidence.id if evidence else None)
    AuditEvent.record("ce.record.added", f"ce_credit:{record.id}", actor=actor, user_id=user.id,
                      title=record.title, hours=str(record.hours), source="external")  # fmt: skip
    return record, []


def _new_record(user_id, actor, clean, *, source, evidence_id=None, corrects=None) -> CECredit:
    record = CECredit(
        user_id=user_id, source=source, title=clean["title"], provider=clean["provider"] or "",
        hours=clean["hours"], topic=clean["topic"], uan=clean["uan"], kind=clean["kind"],
        audience=clean["audience"], format=clean["format"], completed_on=noon_utc(clean["completed"]),
        tags=clean["tags"], note=clean["note"], evidence_id=evidence_id,
        recorded_by_id=getattr(actor, "id", None), corrects_id=corrects.id if corrects else None,
    )  # fmt: skip
    if corrects is not None and corrects.source == "course":
        # A corrected completion is still the completion of that course and version.
        record.course_id, record.course_version = corrects.course_id, corrects.course_version
    db.session.add(record)
    db.session.flush()
    return record


def fields_of(record: CECredit) -> EntryFields:
    """A record's values as form fields (to start a correction from)."""
    return EntryFields(
        title=record.title, provider=record.provider, kind=record.kind, uan=record.uan or "",
        hours=format(record.hours.normalize(), "f"), topic=record.topic, format=record.format or "",
        completed=record.completed_date, tags=list(record.tags or []),
    )  # fmt: skip


def may_correct(viewer, record: CECredit) -> bool:
    """Owners correct what they entered; a completion here is corrected by an admin only."""
    if viewer.is_admin:
        return True
    return viewer.id == record.user_id and record.source != "course"


def correct_record(record: CECredit, actor, fields: EntryFields, today: date, evidence=None):
    """Replace a record by a corrected copy that points at it; returns (new record, problems).

    A course completion keeps its course and version; its certificate is revoked and the
    correction gets a new one (trainer.models.ce issues it in the same flush).
    """
    clean, problems = entry_problems(fields, today)
    if not fields.note.strip():
        problems.append(("note", "Say why the entry is corrected: the audit trail keeps it."))
    if problems:
        return None, problems
    evidence_id = evidence.id if evidence is not None else record.evidence_id
    new = _new_record(record.user_id, actor, clean, source=record.source, evidence_id=evidence_id, corrects=record)
    _revoke_certificates_of(record, actor, "Replaced by a corrected entry.")
    AuditEvent.record("ce.record.corrected", f"ce_credit:{record.id}", actor=actor, user_id=record.user_id,
                      correction_id=new.id, note=clean["note"])  # fmt: skip
    return new, []


def withdraw_record(record: CECredit, actor, note: str):
    """Take a record out of the count (entered by mistake); returns problems."""
    note = (note or "").strip()
    if not note:
        return [("note", "Say why the entry is withdrawn: the audit trail keeps it.")]
    if len(note) > MAX_NOTE:
        return [("note", f"The note is at most {MAX_NOTE:,} characters.")]
    withdrawal = CECredit(
        user_id=record.user_id, source=record.source, title=record.title, provider=record.provider,
        hours=record.hours, topic=record.topic, uan=record.uan, kind=record.kind, audience=record.audience,
        format=record.format, completed_on=record.completed_on, tags=list(record.tags or []),
        note=note, withdrawn=True, corrects_id=record.id, recorded_by_id=getattr(actor, "id", None),
    )  # fmt: skip
    db.session.add(withdrawal)
    db.session.flush()
    _revoke_certificates_of(record, actor, "The completion was withdrawn.")
    AuditEvent.record("ce.record.withdrawn", f"ce_credit:{record.id}", actor=actor, user_id=record.user_id,
                      withdrawal_id=withdrawal.id, note=note)  # fmt: skip
    return []


def _revoke_certificates_of(record: CECredit, actor, reason: str) -> None:
    from trainer.models.ce import CECertificate

    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == record.id))
    if certificate is not None and certificate.revoked_at is None:
        revoke_certificate(certificate, actor, reason)


def revoke_certificate(certificate, actor, reason: str) -> None:
    """Mark a certificate revoked; its verify page says so from now on."""
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = getattr(actor, "id", None)
    certificate.revoke_reason = (reason or "").strip()[:200]
    AuditEvent.record("ce.certificate.revoked", f"ce_certificate:{certificate.id}", actor=actor,
                      user_id=certificate.user_id, reason=certificate.revoke_reason)  # fmt: skip


# ------------------------------------------------------------------------ progress


@dataclass
class CredentialProgress:
    """One credential's cycle: the report and courses here that fill what is missing."""

    credential: CECredential
    rules: RuleSet
    report: Report
    first_cycle: bool
    suggestions: dict[int, list] = field(default_factory=dict)  # shortfall index -> courses


def credential_progress(credential: CECredential, records: list[CECredit], today: date) -> CredentialProgress:
    """Count a user's records against one credential's current cycle."""
    rules = rules_for(credential)
    start, end, first = cycle_for(rules, credential.expires_on, credential.issued_on)
    report = progress(rules, start, end, [activity_of(r) for r in records], today, first_cycle=first)
    return CredentialProgress(credential, rules, report, first)


def progress_of(user_id: int, today: date, *, suggestions: bool = False) -> list[CredentialProgress]:
    """Every credential of a user with its report; with `suggestions`, courses for each gap."""
    credentials = credentials_of(user_id)
    if not credentials:
        return []
    records = current_records([user_id])[user_id]
    results = [credential_progress(c, records, today) for c in credentials]
    if suggestions:
        done = {r.course_id for r in records if r.course_id}
        catalogue = _published_courses()
        for result in results:
            for index, shortfall in enumerate(result.report.shortfalls):
                result.suggestions[index] = courses_for(shortfall, catalogue, done)
    return results


@dataclass(frozen=True)
class CourseChoice:
    """A published course offered to fill a gap."""

    slug: str
    title: str
    hours: Decimal
    topic: str
    uan: str | None


def _published_courses() -> list[tuple[int, CourseChoice]]:
    rows = db.session.execute(
        select(Course.id, Course.slug, Course.title, Course.ce_hours, Course.ce_topic, Course.uan)
        .where(Course.status == "published", Course.ce_hours > 0)
        .order_by(Course.title, Course.id)
    ).all()
    return [(row.id, CourseChoice(row.slug, row.title, row.ce_hours, row.ce_topic, row.uan)) for row in rows]


def courses_for(shortfall: Shortfall, catalogue, done_ids: set) -> list[CourseChoice]:
    """Courses here, not yet completed, that fill a shortfall (topic gaps: that topic)."""
    if shortfall.what == "training":
        return []
    if shortfall.what == "topic" and shortfall.tag is not None:
        return []  # a tag such as Texas law is something no course here claims
    choices = []
    for course_id, course in catalogue:
        if course_id in done_ids:
            continue
        if shortfall.what == "topic" and course.topic != shortfall.topic:
            continue
        if shortfall.what == "technician" and course.uan and not course.uan.endswith("-T"):
            continue
        choices.append(course)
    choices.sort(key=lambda c: (c.uan is None, c.title))  # ACPE-accredited first
    return choices[:SUGGESTIONS_PER_SHORTFALL]


# ------------------------------------------------------------------------ imports


@dataclass
class ImportPreview:
    """What an import would record, what repeats the record, and each bad line."""

    rows: list[ImportedRow]
    problems: list[ImportProblem]
    repeats: set[int]  # lines whose UAN is already in the record

    @property
    def can_save(self) -> bool:
        return bool(self.rows) and not self.problems


def preview_import(user_id: int, raw: bytes, today: date) -> ImportPreview:
    """Read a CPE Monitor-style CSV and compare it with the user's record (nothing saved)."""
    rows, problems = read_transcript_csv(raw)
    for row in rows:
        if row.completed > today:
            problems.append(ImportProblem(row.line, "Activity Date", "the date is in the future."))
    problems.sort(key=lambda p: (p.line or 0))
    known = {r.uan for r in current_records([user_id])[user_id] if r.uan}
    return ImportPreview(rows, problems, {row.line for row in rows if row.uan in known})


def save_import(user, actor, raw: bytes, today: date, filename: str = "") -> tuple[int, ImportPreview]:
    """Record every new row of an import, or none when any row is bad; returns (count, preview)."""
    preview = preview_import(user.id, raw, today)
    if not preview.can_save:
        return 0, preview
    count = 0
    for row in preview.rows:
        if row.line in preview.repeats:
            continue
        clean = {
            "title": row.title, "provider": row.provider, "kind": "acpe", "hours": row.hours,
            "uan": row.uan, "topic": row.topic, "format": row.format, "audience": row.audience,
            "completed": row.completed, "tags": [], "note": "",
        }  # fmt: skip
        _new_record(user.id, actor, clean, source="import")
        count += 1
    AuditEvent.record("ce.record.imported", f"user:{user.id}", actor=actor, user_id=user.id,
                      rows=count, skipped=len(preview.repeats), file=(filename or "")[:120])  # fmt: skip
    return count, preview


# ------------------------------------------------------------------------ sharing and the report


def shares_with_instructors(user_id: int) -> bool:
    """Whether the learner lets instructors see their CE progress."""
    row = db.session.get(CESharing, user_id)
    return bool(row and row.with_instructors)


def set_sharing(user, value: bool) -> None:
    """Let instructors see (or stop seeing) the learner's CE progress."""
    row = db.session.get(CESharing, user.id)
    if row is None:
        row = CESharing(user_id=user.id)
        db.session.add(row)
    row.with_instructors = bool(value)
    AuditEvent.record("ce.sharing.changed", f"user:{user.id}", actor=user, with_instructors=bool(value))


def visible_learner_ids(viewer):
    """Whose CE records `viewer` may see in the compliance report, as a subquery of user ids.

    Admins see everyone. Instructors see their own learners (the members of the cohorts
    they teach, trainer.services.cohorts) who chose to share their CE progress with their
    instructors: a class ties a learner to an instructor, and the learner's consent still
    decides.
    """
    if viewer.is_admin:
        return select(User.id)
    if viewer.is_instructor:
        return select(CESharing.user_id).where(
            CESharing.with_instructors.is_(True), CESharing.user_id.in_(learners_visible_to(viewer)))
    return select(User.id).where(User.id == viewer.id)


@dataclass(frozen=True)
class ComplianceRow:
    """One learner's credential in the compliance report."""

    user_id: int
    name: str
    email: str
    credential: str
    number: str
    expires_on: date
    status: str
    earned: Decimal
    required: Decimal
    days_to_deadline: int
    missing: list[str]

    @property
    def risk(self) -> tuple:
        """Sort key: overdue first, then at risk; sooner deadlines and bigger gaps first."""
        return (STATUS_RISK[self.status], self.days_to_deadline, -(self.required - self.earned), self.name)


def compliance_rows(viewer, today: date) -> list[ComplianceRow]:
    """Every credential of every learner the viewer may see, sorted by risk."""
    credentials = db.session.execute(
        select(CECredential, User.name, User.email)
        .join(User, User.id == CECredential.user_id)
        .where(CECredential.archived_at.is_(None), User.active.is_(True),
               CECredential.user_id.in_(visible_learner_ids(viewer).scalar_subquery()))
    ).all()  # fmt: skip
    records = current_records({c.user_id for c, _, _ in credentials})
    rows = []
    for credential, name, email in credentials:
        result = credential_progress(credential, records[credential.user_id], today)
        report = result.report
        rows.append(ComplianceRow(
            credential.user_id, name, email, result.rules.name, credential.number, credential.expires_on,
            report.status, report.earned_hours, report.required_hours, report.days_to_deadline, report.missing,
        ))  # fmt: skip
    rows.sort(key=lambda row: row.risk)
    return rows


COMPLIANCE_COLUMNS = ["Learner", "Email", "Credential", "Number", "Expires", "Status", "Hours counted",
                      "Hours required", "Days to deadline", "Missing"]  # fmt: skip


def compliance_csv(rows: list[ComplianceRow]) -> str:
    """The compliance report as CSV, in the report's order."""
    from trainer.ce import hours_text
    from trainer.ce.transcripts import write_csv

    return write_csv(COMPLIANCE_COLUMNS, [
        [r.name, r.email, r.credential, r.number, r.expires_on.isoformat(), r.status.replace("_", " "),
         hours_text(r.earned), hours_text(r.required), r.days_to_deadline, "; ".join(r.missing)]
        for r in rows
    ])  # fmt: skip


# ------------------------------------------------------------------------ rule sets and course UANs


def rule_catalogue(today: date) -> list[tuple[str, list[RuleSet], RuleSet]]:
    """Each shipped rule set: every version, and the one in force today."""
    return [(key, list(rule_history(key)), load_rules(key, on=today)) for key in rule_set_keys()]


def set_course_uan(course: Course, text: str, actor) -> list:
    """Give a course its ACPE number (or take it away); returns problems.

    Completions already recorded keep what they were awarded: only later completions
    carry the number.
    """
    text = (text or "").strip().upper()
    uan = None
    if text:
        try:
            uan = parse_uan(text)
        except UanError as exc:
            return [("uan", str(exc))]
        if uan.topic != course.ce_topic:
            return [("uan", f"The UAN's topic designator {uan.topic} does not match the course's ACPE topic {course.ce_topic}.")]
    before = course.uan
    course.uan = str(uan) if uan else None
    AuditEvent.record("course.uan.changed", f"course:{course.slug}", actor=actor, before=before, after=course.uan)
    return []


def known_rule_set(key: str) -> bool:
    """True when `key` names a shipped rule set."""
    try:
        load_rules(key)
    except UnknownRuleSet:
        return False
    return True
