"""Account rules: password hashing and strength, reset tokens, and the one place mail is sent.

Flask-aware (it reads the app's config) but holds no views, so the auth pages, the
admin pages and the CLI share one implementation.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import ROLES, AuditEvent, User, utcnow

# The identity every look-up and every throttle keyed on an email uses (one function).
from trainer.teaching.roster import normalise_email as normalise_email

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# A short list of the passwords that top every breach list; the length rule does the rest.
COMMON_PASSWORDS = frozenset(
    ["password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssword", "p@ssw0rd", "1234567890", "0123456789", "12345678910", "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "iloveyou12", "abc1234567", "letmein123", "welcome123", "welcome1234", "admin12345", "administrator", "pharmacy123", "pharmacist", "technician", "rxtrainer", "rxtrainer1", "changeme12", "trustno1234", "football12", "baseball12", "sunshine12", "princess12", "monkey1234", "dragon1234", "superman12"]
)


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_KIB"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check a password; upgrade the stored hash when the parameters have changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def _dummy_hash() -> str:
    # One hash per app and cost setting, made the first time an unknown email tries to log in.
    cache = current_app.extensions.setdefault("trainer_dummy_hash", {})
    key = tuple(current_app.config[name] for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM"))
    if key not in cache:
        cache[key] = _hasher().hash("no account has this password")
    return cache[key]


def spend_a_hash(password: str) -> None:
    """Do the work of checking a password against an account that does not exist.

    Login and register answer as slowly for an unknown email as for a known one, so the
    time taken does not tell who has an account.
    """
    with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _hasher().verify(_dummy_hash(), password)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None; as slow either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        spend_a_hash(password)
        return None
    return user if verify_password(user, password) else None


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Reasons a new password is too weak; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        problems.append("That password is on lists of common passwords; choose another.")
    if len(set(password)) < 4:
        problems.append("Use more than three different characters.")
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        problems.append("Do not build the password from your email address.")
    if name and len(name) >= 4 and name.lower().replace(" ", "") in lowered:
        problems.append("Do not build the password from your name.")
    return problems


def find_user_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str, role: str = "learner",
                learner_type: str = "student") -> User:
    """Add a new account to the session (the caller commits)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        learner_type=learner_type,
    )
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Change a password and end every existing session and remember cookie."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember cookie of this user."""
    user.session_version = (user.session_version or 0) + 1


def count_admins() -> int:
    """How many active admins there are (an admin must not demote the last one)."""
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    )


# --- password reset ---------------------------------------------------------------

_RESET_SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # The token is bound to the current hash: once the password changes (the token is
    # used, or the user changed it another way) the token no longer matches. That is
    # what makes it single-use without a table of spent tokens.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_link_lifetime() -> str:
    """How long a reset link works, in words ("one hour", "30 minutes")."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    if minutes % 60 == 0:
        hours = minutes // 60
        return "one hour" if hours == 1 else f"{hours} hours"
    return "one minute" if minutes == 1 else f"{minutes} minutes"


def make_reset_token(user: User) -> str:
    """A signed, expiring, single-use token for resetting this user's password."""
    return _serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_from_reset_token(token: str) -> tuple[User | None, str]:
    """The user a reset token belongs to, or None and the reason it cannot be used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "This reset link has expired. Ask for a new one."
    except BadSignature:
        return None, "This reset link is not valid. Ask for a new one."
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active:
        return None, "This reset link is not valid. Ask for a new one."
    if data.get("pw") != _password_fingerprint(user):
        return None, "This reset link has already been used. Ask for a new one."
    return user, ""


def deliver_mail(to: str, subject: str, body: str) -> None:
    """Send an email. There is no mail server yet: in development the message goes to the log.

    This is the one function to replace when real mail is plugged in.
    """
    if current_app.config["TRAINER_ENV"] == "production":
        # Not the body: a reset link in the log would hand the account to anyone who
        # reads the logs. Until mail is plugged in, an admin makes reset links.
        current_app.logger.warning("MAIL not sent (no mail server yet) to=%s subject=%s", to, subject)
    else:
        current_app.logger.warning("MAIL to=%s subject=%s\n%s", to, subject, body)
    outbox = current_app.extensions.setdefault("trainer_outbox", [])
    outbox.append({"to": to, "subject": subject, "body": body})
    del outbox[:-50]  # keep the in-memory outbox small; tests read the last messages


def send_password_reset(user: User, reset_url: str, requested_by: User | None = None) -> None:
    """Mail a password-reset link and record who asked for it."""
    deliver_mail(
        user.email,
        "Reset your RxTrainer password",
        f"Hello {user.name},\n\nOpen this link to choose a new password. It works once, "
        f"for {reset_link_lifetime()}:\n\n{reset_url}\n\nIf you did not ask for this, ignore this message.",
    )
    AuditEvent.record("password_reset_requested", subject=user.email, actor=requested_by)


def lock_learner(user: User) -> None:
    """Serialise one learner's writes that must not race (starting an attempt, earning a credit).

    PostgreSQL locks the user's row until the transaction ends; SQLite has no row locks
    and needs none: a writing request holds the database's write lock from BEGIN IMMEDIATE.
    """
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
