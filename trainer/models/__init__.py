"""SQLAlchemy models, grouped by subject. Importing this package registers them all."""

from trainer.models.audit import AuditEvent
from trainer.models.base import utcnow
from trainer.models.ce import (
    CECalendarFeed,
    CECertificate,
    CECredential,
    CECredit,
    CEEvidence,
    CESharing,
)
from trainer.models.content import Course, Module, ModuleDraft, ModuleProgress, ModuleRevision
from trainer.models.drugs import DrugEntry, DrugProduct
from trainer.models.interchange import PendingImport
from trainer.models.ownership import course_co_authors, question_co_authors, quiz_co_authors
from trainer.models.questions import Question, QuestionArea, QuestionTag, QuestionVersion
from trainer.models.quizzes import (
    Attempt,
    AttemptItem,
    Quiz,
    QuizAccommodation,
    QuizItem,
    Regrade,
)
from trainer.models.readiness import (
    AreaMastery,
    ExamGoal,
    Flashcard,
    FlashcardDeck,
    FlashcardProgress,
    FlashcardReview,
    MasteryEvidence,
    MissedQuestion,
)
from trainer.models.users import LEARNER_TYPES, ROLES, User

__all__ = [
    "course_co_authors",
    "question_co_authors",
    "quiz_co_authors",
    "LEARNER_TYPES",
    "ROLES",
    "Attempt",
    "AttemptItem",
    "AuditEvent",
    "CECalendarFeed",
    "CECertificate",
    "CECredential",
    "CECredit",
    "CEEvidence",
    "CESharing",
    "Course",
    "DrugEntry",
    "DrugProduct",
    "Module",
    "ModuleDraft",
    "ModuleProgress",
    "ModuleRevision",
    "PendingImport",
    "Question",
    "QuestionArea",
    "QuestionTag",
    "QuestionVersion",
    "Quiz",
    "QuizAccommodation",
    "QuizItem",
    "Regrade",
    "User",
    "utcnow",
    # readiness
    "AreaMastery",
    "ExamGoal",
    "Flashcard",
    "FlashcardDeck",
    "FlashcardProgress",
    "FlashcardReview",
    "MasteryEvidence",
    "MissedQuestion",
]

# Appended (not sorted in above) so that areas adding models in parallel merge cleanly.
from trainer.models.teaching import (  # noqa: E402
    Assignment,
    AssignmentExtension,
    Cohort,
    CohortInstructor,
    CohortInvitation,
    CohortMember,
)

__all__ += [
    "Assignment",
    "AssignmentExtension",
    "Cohort",
    "CohortInstructor",
    "CohortInvitation",
    "CohortMember",
]

from trainer.models.scenarios import Scenario, ScenarioRun  # noqa: E402

__all__ += ["Scenario", "ScenarioRun"]
