"""SQLAlchemy models, grouped by subject. Importing this package registers them all."""

from trainer.models.audit import AuditEvent
from trainer.models.base import utcnow
from trainer.models.users import LEARNER_TYPES, ROLES, User

__all__ = ["LEARNER_TYPES", "ROLES", "AuditEvent", "User", "utcnow"]
