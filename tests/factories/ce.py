"""CE records as tests need them: credentials, external entries and course completions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trainer.extensions import db
from trainer.models.ce import CECredential, CECredit
from trainer.services import ce


def credential(user, rule_set="ptcb-cpht", expires=date(2026, 12, 31), issued=None, number="12345678"):
    """A credential the user holds, committed."""
    row, problems = ce.save_credential(user, user, rule_set=rule_set, number=number, issued=issued, expires=expires)
    assert problems == []
    db.session.commit()
    return row


def entry(user, title="Law for technicians", hours="1", topic="03", uan=None, kind="acpe",
          completed=date(2025, 6, 1), evidence=None, today=date(2026, 6, 1), **extra) -> CECredit:
    """An external CE entry, committed (an ACPE one gets a fresh UAN on the topic)."""
    if kind == "acpe" and uan is None:
        entry.counter = getattr(entry, "counter", 0) + 1
        uan = f"0669-0000-25-{entry.counter % 1000:03d}-H{topic}-T"
    fields = ce.EntryFields(title=title, provider="ASHP", kind=kind, uan=uan or "", hours=str(hours),
                            topic=topic, completed=completed, **extra)
    record, problems = ce.add_external(user, user, fields, today, evidence=evidence)
    assert problems == [], problems
    db.session.commit()
    return record


def course_credit(user, course, completed=None) -> CECredit:
    """A course completion as the course service records it."""
    from trainer.models import utcnow

    credit = CECredit(user_id=user.id, source="course", course_id=course.id, course_version=course.version,
                      title=course.title, hours=Decimal(course.ce_hours), topic=course.ce_topic,
                      activity_type=course.activity_type, uan=course.uan, completed_on=completed or utcnow())
    db.session.add(credit)
    db.session.commit()
    return credit


def credentials_of(user) -> list[CECredential]:
    return ce.credentials_of(user.id)
