"""Cohorts: who teaches and who is in a class, joining by code or invitation, class lists.

Who may see a cohort: its instructors, and admins. Every lookup an instructor's page
makes goes through `cohort_for(user, id)`, which answers None for a cohort the user does
not teach, so another instructor's cohort is a 404 and never a page. Like every service,
these functions work on the session and leave the commit to the caller; the ones that
depend on the time take `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from trainer.extensions import db
from trainer.models import (
    AuditEvent,
    Cohort,
    CohortInstructor,
    CohortInvitation,
    CohortMember,
    User,
    utcnow,
)
from trainer.teaching.join_codes import new_join_code, normalise_join_code
from trainer.teaching.roster import MAX_NAME_LENGTH, read_roster

NAME_LENGTH = 120
TERM_LENGTH = 60
# How long an invitation link works from when it is shown to the instructor.
INVITATION_DAYS = 14
_INVITATION_SALT = "cohort-invitation"


class JoinRefused(Exception):
    """A learner cannot join with this code or invitation now; `message` says why, in their words."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _now(now: datetime | None) -> datetime:
    return now if now is not None else utcnow()


# ---- who sees which cohort -----------------------------------------------------------------


def _taught_by(user: User):
    return exists().where(CohortInstructor.cohort_id == Cohort.id, CohortInstructor.user_id == user.id)


def visible_cohorts(user: User) -> list[Cohort]:
    """The cohorts `user` may see, newest first: the ones they teach, or every one for an admin."""
    stmt = select(Cohort).order_by(Cohort.created_at.desc(), Cohort.id.desc())
    if not user.is_admin:
        stmt = stmt.where(_taught_by(user))
    return list(db.session.scalars(stmt))


def cohort_for(user: User, cohort_id: int) -> Cohort | None:
    """The cohort if `user` teaches it (or is an admin), else None: the same answer as "no such cohort"."""
    stmt = select(Cohort).where(Cohort.id == cohort_id)
    if not user.is_admin:
        stmt = stmt.where(_taught_by(user))
    return db.session.scalar(stmt)


def visible_cohort_ids(user: User) -> list[int] | None:
    """Ids of the cohorts `user` teaches; None for an admin, who sees every cohort."""
    if user.is_admin:
        return None
    return list(db.session.scalars(select(CohortInstructor.cohort_id).where(CohortInstructor.user_id == user.id)))


def learner_ids_in(cohort_ids):
    """A subquery of the learners currently in the given cohorts (for IN clauses)."""
    return (
        select(CohortMember.user_id)
        .where(CohortMember.cohort_id.in_(cohort_ids), CohortMember.removed_at.is_(None))
        .distinct()
        .scalar_subquery()
    )


def learners_visible_to(user: User):
    """The learners `user` may see as their instructor, as a subquery of user ids; None for an
    admin (everyone). For reports over "my learners", such as CE compliance."""
    ids = visible_cohort_ids(user)
    if ids is None:
        return None
    return learner_ids_in(ids)


# ---- creating and changing a cohort ----------------------------------------------------------


def cohort_problems(name: str, term: str, ends_on: date | None, *, today: date | None = None,
                    cohort: Cohort | None = None) -> list[tuple[str, str]]:
    """What is wrong with a cohort's name, term and end date, as (field, message) pairs."""
    problems = []
    if not name.strip():
        problems.append(("name", "Give the cohort a name."))
    elif len(name.strip()) > NAME_LENGTH:
        problems.append(("name", f"Use at most {NAME_LENGTH} characters."))
    if len(term.strip()) > TERM_LENGTH:
        problems.append(("term", f"Use at most {TERM_LENGTH} characters."))
    today = today or utcnow().date()
    if ends_on is not None and ends_on < today and (cohort is None or cohort.ends_on != ends_on):
        problems.append(("ends_on", "The end date has passed; choose today or a later day."))
    return problems


def _unused_code() -> str:
    while True:
        code = new_join_code()
        if db.session.scalar(select(Cohort.id).where(Cohort.join_code == code)) is None:
            return code


def create_cohort(name: str, term: str, ends_on: date | None, *, actor: User) -> Cohort:
    """A new cohort taught by `actor`, open for joining with a fresh code."""
    cohort = Cohort(name=name.strip(), term=term.strip(), ends_on=ends_on, join_code=_unused_code(),
                    joining_open=True, created_by_id=actor.id)
    cohort.instructors.append(CohortInstructor(user_id=actor.id))
    db.session.add(cohort)
    db.session.flush()
    AuditEvent.record("cohort_created", subject=f"cohort:{cohort.id}", actor=actor, name=cohort.name)
    return cohort


def update_cohort(cohort: Cohort, name: str, term: str, ends_on: date | None, *, actor: User) -> None:
    """Change a cohort's name, term and end date."""
    old = {"name": cohort.name, "term": cohort.term, "ends_on": cohort.ends_on.isoformat() if cohort.ends_on else None}
    cohort.name, cohort.term, cohort.ends_on = name.strip(), term.strip(), ends_on
    AuditEvent.record("cohort_changed", subject=f"cohort:{cohort.id}", actor=actor, old=old)


def regenerate_code(cohort: Cohort, *, actor: User) -> str:
    """Replace the join code: the old code and link stop working at once."""
    cohort.join_code = _unused_code()
    AuditEvent.record("cohort_code_regenerated", subject=f"cohort:{cohort.id}", actor=actor)
    return cohort.join_code


def set_joining(cohort: Cohort, open_: bool, *, actor: User) -> None:
    """Open or close joining by code (class lists and invitations still add learners)."""
    if cohort.joining_open != open_:
        cohort.joining_open = open_
        AuditEvent.record("cohort_joining_" + ("opened" if open_ else "closed"),
                          subject=f"cohort:{cohort.id}", actor=actor)


def instructors_of(cohort: Cohort) -> list[User]:
    """The cohort's instructors, by name."""
    return list(db.session.scalars(
        select(User).join(CohortInstructor, CohortInstructor.user_id == User.id)
        .where(CohortInstructor.cohort_id == cohort.id).order_by(User.name, User.email)
    ))


def add_instructor(cohort: Cohort, email: str, *, actor: User) -> list[tuple[str, str]]:
    """Let another instructor teach the cohort; problems as (field, message) pairs."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return [("email", "No active account has this email.")]
    if not user.is_instructor:
        return [("email", f"{user.name} is not an instructor; an admin can change their role.")]
    if db.session.get(CohortInstructor, (cohort.id, user.id)) is not None:
        return [("email", f"{user.name} already teaches this cohort.")]
    db.session.add(CohortInstructor(cohort_id=cohort.id, user_id=user.id))
    AuditEvent.record("cohort_instructor_added", subject=f"cohort:{cohort.id}", actor=actor, user=user.email)
    return []


def remove_instructor(cohort: Cohort, user_id: int, *, actor: User) -> str | None:
    """Stop an instructor teaching the cohort; why not, if it cannot be done."""
    row = db.session.get(CohortInstructor, (cohort.id, user_id))
    if row is None:
        return "That person does not teach this cohort."
    count = db.session.scalar(select(func.count()).select_from(CohortInstructor)
                              .where(CohortInstructor.cohort_id == cohort.id))
    if count <= 1:
        return "A cohort needs at least one instructor: add another before removing this one."
    user = db.session.get(User, user_id)
    db.session.delete(row)
    AuditEvent.record("cohort_instructor_removed", subject=f"cohort:{cohort.id}", actor=actor,
                      user=user.email if user else None)
    return None


# ---- members --------------------------------------------------------------------------------------


@dataclass
class Member:
    """A learner of the cohort with their membership row."""

    membership: CohortMember
    user: User


def members(cohort: Cohort, *, removed: bool = False) -> list[Member]:
    """The cohort's learners by name (or, with `removed`, the ones taken out of it)."""
    stmt = (
        select(CohortMember, User).join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id == cohort.id)
        .where(CohortMember.removed_at.is_not(None) if removed else CohortMember.removed_at.is_(None))
        .order_by(User.name, User.email)
    )
    return [Member(membership, user) for membership, user in db.session.execute(stmt)]


def member_count(cohort_ids) -> dict[int, int]:
    """How many learners each cohort has now (one query)."""
    ids = list(cohort_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(CohortMember.cohort_id, func.count()).where(
            CohortMember.cohort_id.in_(ids), CohortMember.removed_at.is_(None)
        ).group_by(CohortMember.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


def membership(cohort: Cohort, user_id: int) -> CohortMember | None:
    """The learner's membership row in the cohort (current or removed), if any."""
    return db.session.scalar(select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id))


def _add_member(cohort: Cohort, user: User, via: str, now: datetime) -> tuple[CohortMember, bool]:
    """Put `user` in the cohort (again); (row, True) if they were not a member before."""
    row = membership(cohort, user.id)
    if row is not None and row.removed_at is None:
        return row, False
    if row is None:
        row = CohortMember(cohort_id=cohort.id, user_id=user.id, joined_via=via, joined_at=now)
        db.session.add(row)
    else:
        row.removed_at, row.joined_at, row.joined_via = None, now, via
    return row, True


def remove_member(cohort: Cohort, user_id: int, *, actor: User, now: datetime | None = None) -> bool:
    """Take a learner out of the cohort; their code no longer brings them back. False if not a member."""
    row = membership(cohort, user_id)
    if row is None or row.removed_at is not None:
        return False
    row.removed_at = _now(now)
    user = db.session.get(User, user_id)
    AuditEvent.record("cohort_member_removed", subject=f"cohort:{cohort.id}", actor=actor,
                      user=user.email if user else None)
    return True


def learner_cohorts(user: User) -> list[Cohort]:
    """The cohorts `user` is in now, by name."""
    return list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, CohortMember.removed_at.is_(None))
        .order_by(Cohort.name)
    ))


# ---- joining with a code ---------------------------------------------------------------------------

WRONG_CODE = "No class has this code. Check it with your instructor; codes look like K7MQP-X2RTW."


def join_problem(cohort: Cohort, now: datetime | None = None) -> str | None:
    """Why nobody can join the cohort by code now, or None."""
    if cohort.ends_on is not None and _now(now).date() > cohort.ends_on:
        return f"This class ended on {cohort.ends_on.day} {cohort.ends_on:%B %Y}: its code no longer works."
    if not cohort.joining_open:
        return "Joining this class is closed. Ask your instructor to add you."
    return None


def cohort_by_code(text: str) -> Cohort | None:
    """The cohort a typed code belongs to, or None."""
    code = normalise_join_code(text)
    if code is None:
        return None
    return db.session.scalar(select(Cohort).where(Cohort.join_code == code))


def join_with_code(user: User, text: str, *, now: datetime | None = None) -> tuple[Cohort, bool]:
    """Put `user` in the cohort whose code they typed: (cohort, True) when they joined now,
    (cohort, False) when they were already in it; raise JoinRefused otherwise."""
    now = _now(now)
    cohort = cohort_by_code(text)
    if cohort is None:
        raise JoinRefused(WRONG_CODE)
    row = membership(cohort, user.id)
    if row is not None and row.removed_at is None:
        return cohort, False
    if row is not None:
        raise JoinRefused("Your instructor took you out of this class. Ask them to add you again.")
    problem = join_problem(cohort, now)
    if problem:
        raise JoinRefused(problem)
    try:
        with db.session.begin_nested():
            _add_member(cohort, user, "code", now)
    except IntegrityError:
        # the same learner joining in two tabs at once: the other request added them
        return cohort, False
    AuditEvent.record("cohort_joined", subject=f"cohort:{cohort.id}", actor=user, via="code")
    return cohort, True


# ---- class lists and invitations ------------------------------------------------------------------

ROW_OUTCOMES = {
    "add": "has an account: joins the cohort",
    "return": "was removed earlier: joins the cohort again",
    "member": "is already in the cohort",
    "invite": "has no account: an invitation link will be made",
    "invited": "has no account and was invited before: the invitation stays",
    "inactive": "has an account that is switched off: not added",
    "error": "",
}


@dataclass
class ClassListRow:
    """One line of a class list and what saving it would do."""

    line: int
    email: str
    name: str
    outcome: str
    problem: str = ""
    user: User | None = None

    @property
    def says(self) -> str:
        return self.problem or ROW_OUTCOMES[self.outcome]


@dataclass
class ClassListPlan:
    """What a class list would do to a cohort; nothing is written until apply_class_list."""

    rows: list[ClassListRow] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def errors(self) -> list[ClassListRow]:
        return [row for row in self.rows if row.outcome == "error"]


def plan_class_list(cohort: Cohort, text: str) -> ClassListPlan:
    """Read a class list and say, line by line, what saving it would do (three queries)."""
    rows, problems = read_roster(text)
    plan = ClassListPlan(problems=list(problems))
    emails = [row.email for row in rows if not row.problem]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} if emails else {}
    states = {}
    if users:
        states = {user_id: removed for user_id, removed in db.session.execute(
            select(CohortMember.user_id, CohortMember.removed_at).where(
                CohortMember.cohort_id == cohort.id, CohortMember.user_id.in_([u.id for u in users.values()])))}
    invited = set(db.session.scalars(select(CohortInvitation.email).where(
        CohortInvitation.cohort_id == cohort.id, CohortInvitation.accepted_at.is_(None),
        CohortInvitation.email.in_(emails)))) if emails else set()
    for row in rows:
        if row.problem:
            plan.rows.append(ClassListRow(row.line, row.email, row.name, "error", row.problem))
            continue
        user = users.get(row.email)
        if user is None:
            outcome = "invited" if row.email in invited else "invite"
        elif not user.active:
            outcome = "inactive"
        elif user.id not in states:
            outcome = "add"
        else:
            outcome = "member" if states[user.id] is None else "return"
        plan.rows.append(ClassListRow(row.line, row.email, row.name, outcome, user=user))
    return plan


def apply_class_list(cohort: Cohort, plan: ClassListPlan, *, actor: User,
                     now: datetime | None = None) -> list[CohortInvitation]:
    """Add the learners with accounts, invite the ones without; the invitations of the list."""
    now = _now(now)
    added = 0
    for row in plan.rows:
        if row.outcome in ("add", "return"):
            _, new = _add_member(cohort, row.user, "class_list", now)
            added += int(new)
    emails = [row.email for row in plan.rows if row.outcome in ("invite", "invited")]
    existing = {inv.email: inv for inv in db.session.scalars(select(CohortInvitation).where(
        CohortInvitation.cohort_id == cohort.id, CohortInvitation.email.in_(emails)))} if emails else {}
    invitations = []
    for row in plan.rows:
        if row.outcome not in ("invite", "invited"):
            continue
        invitation = existing.get(row.email)
        if invitation is None:
            invitation = CohortInvitation(cohort_id=cohort.id, email=row.email, name=row.name[:MAX_NAME_LENGTH],
                                          created_at=now, created_by_id=actor.id)
            db.session.add(invitation)
            existing[row.email] = invitation
        invitations.append(invitation)
    db.session.flush()
    AuditEvent.record("cohort_class_list", subject=f"cohort:{cohort.id}", actor=actor, added=added,
                      invited=len(invitations), skipped=len(plan.errors))
    return invitations


def pending_invitations(cohort: Cohort) -> list[CohortInvitation]:
    """Invitations of the cohort not yet used, by email."""
    return list(db.session.scalars(select(CohortInvitation).where(
        CohortInvitation.cohort_id == cohort.id, CohortInvitation.accepted_at.is_(None)
    ).order_by(CohortInvitation.email)))


def revoke_invitation(cohort: Cohort, invitation_id: int, *, actor: User) -> bool:
    """Withdraw an unused invitation: its links stop working. False if there is no such invitation."""
    invitation = db.session.get(CohortInvitation, invitation_id)
    if invitation is None or invitation.cohort_id != cohort.id or invitation.accepted_at is not None:
        return False
    db.session.delete(invitation)
    AuditEvent.record("cohort_invitation_revoked", subject=f"cohort:{cohort.id}", actor=actor,
                      email=invitation.email)
    return True


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_INVITATION_SALT)


def invitation_token(invitation: CohortInvitation) -> str:
    """A signed token for the invitation's link, valid for INVITATION_DAYS from now.

    Signed like a password-reset link (itsdangerous, the app's secret key, its own salt);
    it works once, because accepting marks the invitation used, and never after the
    invitation is withdrawn, because the row is then gone.
    """
    return _serializer().dumps({"inv": invitation.id, "email": invitation.email})


INVALID_INVITATION = "This invitation link is not valid. Ask your instructor for a new one."


def invitation_from_token(token: str) -> tuple[CohortInvitation | None, str]:
    """The invitation a link belongs to, or None and the reason it cannot be used."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired:
        return None, "This invitation link has expired. Ask your instructor for a new one."
    except BadSignature:
        return None, INVALID_INVITATION
    if not isinstance(data, dict) or not isinstance(data.get("inv"), int):
        return None, INVALID_INVITATION
    invitation = db.session.get(CohortInvitation, data["inv"])
    if invitation is None or invitation.email != data.get("email"):
        return None, INVALID_INVITATION
    if invitation.accepted_at is not None:
        return None, "This invitation has been used already. Log in to see your classes."
    return invitation, ""


def accept_invitation(invitation: CohortInvitation, user: User, *, now: datetime | None = None) -> Cohort:
    """Put `user` (whose email the invitation names) in the cohort and mark the invitation used."""
    if user.email != invitation.email:
        raise JoinRefused(f"This invitation is for {invitation.email}. Log out, then open the link again.")
    now = _now(now)
    cohort = db.session.get(Cohort, invitation.cohort_id)
    _add_member(cohort, user, "invitation", now)
    invitation.accepted_at = now
    invitation.accepted_by_id = user.id
    AuditEvent.record("cohort_joined", subject=f"cohort:{cohort.id}", actor=user, via="invitation")
    return cohort
