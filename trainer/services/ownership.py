"""Who may open, change and copy a course, quiz or question in the teach area.

- an admin may do anything;
- the owner and co-authors may open and change the item, drafts included;
- every other instructor may see it once it is published, and copy it (the copy is theirs);
- an item without an owner is the site's shipped content (the operator's import): only an
  admin may change it, since a site shared by several programmes cannot let one instructor
  rewrite it for everyone; every instructor may see it and copy it to adapt it.

Changes record who made them: question versions and module revisions keep their author,
and giving an item to someone, adding and removing co-authors and copying are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from trainer.extensions import db
from trainer.models import AuditEvent, Course, Question, Quiz, User
from trainer.models.ownership import course_co_authors, question_co_authors, quiz_co_authors
from trainer.services.search import index_module

CO_AUTHOR_TABLES = {Course: course_co_authors, Quiz: quiz_co_authors, Question: question_co_authors}
KIND_NAMES = {Course: "course", Quiz: "quiz", Question: "question"}
# How a copied course's `source` begins: its history starts at the copy (copied_from).
COPY_OF = "copy of "


class OwnershipRefused(ValueError):
    """A change to an item's authors that cannot be made; `message` says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _is_admin(user) -> bool:
    return getattr(user, "role", None) == "admin"


def is_author(user, item) -> bool:
    """Whether `user` owns the item or is one of its co-authors."""
    if user is None or not getattr(user, "id", None):
        return False
    return item.owner_id == user.id or any(author.id == user.id for author in item.co_authors)


def may_edit(user, item) -> bool:
    """Whether `user` may change the item (and open its drafts)."""
    return _is_admin(user) or is_author(user, item)


def may_manage(user, item) -> bool:
    """Whether `user` chooses who writes the item: its owner, or an admin (shipped content: admins only)."""
    return _is_admin(user) or (item.owner_id is not None and item.owner_id == getattr(user, "id", None))


def is_shipped(item) -> bool:
    """Whether the item is the site's shipped content (no owner): changed by admins, copied by others."""
    return item.owner_id is None


def may_view(user, item) -> bool:
    """Whether `user` may open the item in the teach area: a published item, shipped content,
    or one they may change."""
    return item.status == "published" or is_shipped(item) or may_edit(user, item)


def visible_to(model, user):
    """A WHERE clause for lists: the items of `model` that `user` may open."""
    if _is_admin(user):
        return True
    table = CO_AUTHOR_TABLES[model]
    co_authored = select(table.c.item_id).where(table.c.user_id == user.id)
    return or_(model.status == "published", model.owner_id.is_(None), model.owner_id == user.id,
               model.id.in_(co_authored))


def written_by(model, user):
    """A WHERE clause for lists: the items of `model` that `user` may change (an admin: all)."""
    if _is_admin(user):
        return True
    table = CO_AUTHOR_TABLES[model]
    co_authored = select(table.c.item_id).where(table.c.user_id == user.id)
    return or_(model.owner_id == user.id, model.id.in_(co_authored))


def editable_ids(model, user, ids) -> set[int]:
    """Of the items of `model` with these ids, those `user` may change, in one query (for lists)."""
    ids = list(ids)
    if not ids:
        return set()
    if _is_admin(user):
        return set(ids)
    table = CO_AUTHOR_TABLES[model]
    co_authored = select(table.c.item_id).where(table.c.user_id == user.id)
    return set(db.session.scalars(select(model.id).where(
        model.id.in_(ids), or_(model.owner_id == user.id, model.id.in_(co_authored)))))


def label(item) -> str:
    """How the audit trail names an item: "question calc-iv-014", "course sig-codes"."""
    name = getattr(item, "uid", None) or getattr(item, "slug", "")
    return f"{KIND_NAMES[type(item)]} {name}"


def add_co_author(item, user: User, *, actor) -> None:
    """Let an instructor (or admin) write the item with its owner; recorded in the audit trail."""
    if user.role not in ("instructor", "admin"):
        raise OwnershipRefused(f"{user.email} is not an instructor.")
    if user.id == item.owner_id or user in item.co_authors:
        raise OwnershipRefused(f"{user.email} already writes this {KIND_NAMES[type(item)]}.")
    item.co_authors.append(user)
    AuditEvent.record("co_author_added", subject=label(item), actor=actor, co_author=user.email)


def remove_co_author(item, user: User, *, actor) -> None:
    """Take a co-author off the item; recorded in the audit trail."""
    if user not in item.co_authors:
        raise OwnershipRefused(f"{user.email} is not a co-author.")
    item.co_authors.remove(user)
    AuditEvent.record("co_author_removed", subject=label(item), actor=actor, co_author=user.email)


def give(item, user: User, *, actor) -> None:
    """Make `user` the owner (the previous owner stays on as a co-author); audited."""
    if user.role not in ("instructor", "admin"):
        raise OwnershipRefused(f"{user.email} is not an instructor.")
    previous = item.owner
    if user in item.co_authors:
        item.co_authors.remove(user)
    item.owner = user
    if previous is not None and previous.id != user.id and previous not in item.co_authors:
        item.co_authors.append(previous)
    AuditEvent.record("owner_changed", subject=label(item), actor=actor, owner=user.email,
                      previous=previous.email if previous else None)


def claim_new(item, actor) -> None:
    """An item just made by `actor` in the teach area is theirs."""
    if actor is not None and getattr(actor, "id", None):
        item.owner_id = actor.id


def _free_name(model, column, base: str, limit: int = 80) -> str:
    for n in range(1, 1000):
        suffix = "-copy" if n == 1 else f"-copy-{n}"
        name = base[: limit - len(suffix)] + suffix
        if db.session.scalar(select(model.id).where(column == name)) is None:
            return name
    raise OwnershipRefused("too many copies already; rename one first")


def _free_title(model, title: str, limit: int = 200) -> str:
    for n in range(1, 1000):
        suffix = " (copy)" if n == 1 else f" (copy {n})"
        name = title[: limit - len(suffix)] + suffix
        if db.session.scalar(select(model.id).where(model.title == name)) is None:
            return name
    raise OwnershipRefused("too many copies already; rename one first")


def copy_question(question: Question, *, actor) -> Question:
    """A draft copy of a question, owned by `actor`, under a new id; audited."""
    from trainer.services.questions import save_question

    data = dict(question.current_version.data)
    data["id"] = _free_name(Question, Question.uid, question.uid)
    data["status"] = "draft"
    copy, _ = save_question(data, source=f"copy of {question.uid}", actor=actor,
                            note=f"copied from {question.uid} version {question.current_version.number}")
    copy.owner_id = actor.id
    AuditEvent.record("copied", subject=label(copy), actor=actor, source=label(question))
    return copy


def copy_quiz(quiz: Quiz, *, actor) -> Quiz:
    """A draft copy of a quiz, owned by `actor`, under a new slug; audited."""
    from trainer.services.questions import quiz_file_data, save_quiz

    data = quiz_file_data(quiz)
    data["slug"] = _free_name(Quiz, Quiz.slug, quiz.slug)
    data["title"] = f"{quiz.title} (copy)"[:200]
    copy, _ = save_quiz(data, source=f"copy of {quiz.slug}", actor=actor)
    copy.status = "draft"
    copy.owner_id = actor.id
    AuditEvent.record("copied", subject=label(copy), actor=actor, source=label(quiz))
    return copy


def copied_from(course: Course) -> str | None:
    """What a copied course was copied from ("course sig-codes version 3"); None for any other."""
    source = course.source or ""
    return source[len(COPY_OF):] if source.startswith(COPY_OF) else None


@dataclass
class CourseCopy:
    """A course copied by `copy_course`: the new course, and its own post-test if one was copied."""

    course: Course
    post_test: Quiz | None
    # the original's post-test, when the copier may not open it (another instructor's draft)
    post_test_left_out: bool


def copy_course(course: Course, *, actor) -> CourseCopy:
    """A draft copy of a course, owned by `actor`, under a free slug and title; audited.

    Copied: the settings, CE hours and ACPE topic, references, prerequisites, and every
    module's published text with its stored rendering, order and knowledge checks (the
    checks name bank questions, which stay shared like any quiz's). The post-test quiz is
    copied too, as the copier's draft: two courses on one quiz share its attempt rules
    (the strictest wins), so the copy's settings could otherwise change the original's.
    Not copied: the UAN (it names the accredited provider's activity, not the text),
    module drafts (unpublished work of the original's authors), revisions, co-authors,
    learner progress, completions and CE credits. No row is shared with the original.
    """
    from trainer.services.courses import unindexed_module_copy

    copy = Course(
        slug=_free_name(Course, Course.slug, course.slug),
        title=_free_title(Course, course.title),
        summary=course.summary, summary_html=course.summary_html, audience=course.audience,
        ce_hours=course.ce_hours, ce_topic=course.ce_topic, activity_type=course.activity_type,
        uan=None, pass_mark=course.pass_mark, post_test_attempts=course.post_test_attempts,
        post_test_wait_hours=course.post_test_wait_hours,
        prerequisites=list(course.prerequisites or []), references=list(course.references or []),
        status="draft", version=1, source=f"{COPY_OF}course {course.slug} version {course.version}"[:200],
        owner_id=actor.id,
    )
    db.session.add(copy)
    post_test, left_out = None, False
    if course.post_test is not None:
        if may_view(actor, course.post_test):
            post_test = copy_quiz(course.post_test, actor=actor)
            copy.post_test_quiz_id = post_test.id
        else:
            left_out = True
    db.session.flush()
    copy.modules = [unindexed_module_copy(module) for module in list(course.modules)]
    db.session.flush()
    for module in copy.modules:
        index_module(module)
    AuditEvent.record("copied", subject=label(copy), actor=actor, source=label(course),
                      source_version=course.version, modules=len(copy.modules),
                      post_test=label(post_test) if post_test is not None else None)
    return CourseCopy(copy, post_test, left_out)
