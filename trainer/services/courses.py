"""Courses and modules in the database: saving them with revisions and search indexing.

Shared by the file import and the instructor's editor. Markdown is rendered and
sanitised here, once, when a module is saved; the HTML is stored and served as is.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from trainer.content import ModuleSource, load_glossary, render_module
from trainer.extensions import db
from trainer.models import Course, Module, ModuleDraft, ModuleRevision, Quiz, utcnow
from trainer.services.search import index_module, unindex_module


def glossary() -> dict[str, str]:
    """The site-wide abbreviation glossary (courses/glossary.yaml), read once per app."""
    cache = current_app.extensions.setdefault("trainer_glossary", {})
    if "terms" not in cache:
        path = Path(current_app.config["CONTENT_ROOT"]) / "courses" / "glossary.yaml"
        cache["terms"] = load_glossary(path) if path.exists() else {}
    return cache["terms"]


def _front_matter(module: Module) -> dict:
    return {"objectives": list(module.objectives or []), "minutes": module.minutes,
            "references": list(module.references or [])}


def keep_revision(module: Module, *, actor=None, reason: str = "edit") -> ModuleRevision:
    """Store the module's current text as a revision before it changes."""
    revision = ModuleRevision(
        module_id=module.id, version=module.version, title=module.title,
        front_matter=_front_matter(module), markdown=module.markdown,
        created_by_id=getattr(actor, "id", None), reason=reason,
        published_by_id=module.published_by_id, published_at=module.published_at,
    )
    db.session.add(revision)
    return revision


def edits_go_to_draft(course: Course, module: Module) -> bool:
    """Whether saving this module's editor writes a draft rather than what learners read.

    Learners read a published course, so its modules change only when a draft is
    published; a module that already has a draft keeps it even if the course went back
    to draft, so no one's unpublished work is overwritten or lost.
    """
    return course.status == "published" or module.draft is not None


def editor_version(module: Module) -> str:
    """What the editor was opened on: the module's version, and the draft's save if there is one."""
    draft = module.draft
    return str(module.version) if draft is None else f"{module.version}.{draft.saves}"


def save_draft(module: Module, *, actor, title: str, objectives: list[str], minutes: int,
               references: list[str], markdown: str, rendered) -> ModuleDraft:
    """Keep the module's next text, rendered now, without changing what learners see."""
    draft = module.draft
    if draft is None:
        draft = ModuleDraft(created_by_id=getattr(actor, "id", None))
        module.draft = draft
    # Saving is done against the version the editor showed (the view checks it), so the
    # draft now answers to that version.
    draft.base_version = module.version
    draft.saves = (draft.saves or 0) + 1
    draft.title = title
    draft.objectives = list(objectives)
    draft.minutes = int(minutes)
    draft.references = list(references)
    draft.markdown = markdown
    draft.html = rendered.html
    draft.toc = [list(entry) for entry in rendered.toc]
    draft.checks = list(rendered.checks)
    draft.updated_by_id = getattr(actor, "id", None)
    draft.updated_at = utcnow()
    return draft


def draft_values(draft: ModuleDraft) -> dict:
    """A draft's text as the keyword arguments of `apply_module_text`."""
    return {"title": draft.title, "objectives": list(draft.objectives or []), "minutes": draft.minutes,
            "references": list(draft.references or []), "markdown": draft.markdown}


def publish_draft(module: Module, *, actor, rendered) -> int:
    """Put the module's draft in front of learners as a new version; returns the version it replaced.

    The replaced text is kept as a revision (with who had published it), the new HTML is
    the rendering made now and stored, and the draft is gone.
    """
    draft = module.draft
    keep_revision(module, actor=actor, reason="publish")
    replaced = module.version
    module.version += 1
    apply_module_text(module, **draft_values(draft), rendered=rendered)
    module.published_by_id = getattr(actor, "id", None)
    module.published_at = utcnow()
    module.draft = None  # delete-orphan: the row goes on flush
    db.session.flush()
    index_module(module)
    module.course.version += 1
    return replaced


def apply_module_text(module: Module, *, title: str, objectives: list[str], minutes: int,
                      references: list[str], markdown: str, rendered=None) -> None:
    """Set a module's text and its stored rendering (render now unless `rendered` is given)."""
    if rendered is None:
        rendered = render_module(markdown, glossary(), file=f"module {module.slug}")
    module.title = title
    module.objectives = list(objectives)
    module.minutes = int(minutes)
    module.references = list(references)
    module.markdown = markdown
    module.html = rendered.html
    module.toc = [list(entry) for entry in rendered.toc]
    module.checks = list(rendered.checks)
    module.plain_text = rendered.plain_text
    module.word_count = rendered.word_count
    module.content_hash = ModuleSource(
        number=module.position + 1, slug=module.slug, title=title, objectives=list(objectives),
        minutes=int(minutes), references=list(references), markdown=markdown,
    ).content_hash


def unindexed_module_copy(module: Module) -> Module:
    """A new module with `module`'s published text and stored rendering, at version 1.

    Lists are copied, not shared, so changing one course's module never changes the other's;
    the caller puts it in a course and adds it to the search index once it has an id.
    """
    return Module(
        slug=module.slug, position=module.position, title=module.title,
        objectives=list(module.objectives or []), minutes=module.minutes,
        references=list(module.references or []), markdown=module.markdown, html=module.html,
        toc=[list(entry) for entry in module.toc or []], checks=list(module.checks or []),
        plain_text=module.plain_text, word_count=module.word_count, content_hash=module.content_hash,
        version=1,
    )


def save_course_source(source, *, actor=None, origin: str = "") -> tuple[Course, str]:
    """Create or update a course and its modules from a loaded CourseSource.

    A changed module keeps its previous text as a revision; modules no longer in the
    source are removed. Returns the course and "created", "updated" or "unchanged".
    """
    quiz_id = None
    if source.post_test.quiz is not None:  # a draft may have none yet
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == source.post_test.quiz))
    course = db.session.scalar(select(Course).where(Course.slug == source.slug))
    outcome = "updated"
    if course is None:
        course = Course(slug=source.slug, version=0)
        outcome = "created"
    changed = outcome == "created"
    fields = {
        "title": source.title,
        "summary": source.summary,
        "summary_html": render_module(source.summary, glossary()).html,
        "audience": source.audience,
        "ce_hours": Decimal(str(source.ce.hours)),
        "ce_topic": source.ce.topic,
        "activity_type": source.ce.activity_type,
        "uan": source.ce.uan,
        "post_test_quiz_id": quiz_id,
        "pass_mark": source.post_test.pass_mark,
        "prerequisites": list(source.prerequisites),
        "references": list(source.references),
        "status": source.status,
        "source": origin,
    }
    for name, value in fields.items():
        if getattr(course, name) != value:
            setattr(course, name, value)
            changed = True
    # The attempt rules are how the post-test is sat, not what the course teaches: changing
    # them is no new version (which would let learners earn the credit again).
    course.post_test_attempts = source.post_test.attempts
    course.post_test_wait_hours = source.post_test.wait_hours
    db.session.add(course)
    db.session.flush()

    existing = {m.slug: m for m in course.modules}
    wanted = []
    for position, module_source in enumerate(source.modules):
        module = existing.pop(module_source.slug, None)
        if module is None:
            module = Module(course_id=course.id, slug=module_source.slug, position=position, version=1)
            db.session.add(module)
            changed = True
        elif module.content_hash != module_source.content_hash:
            keep_revision(module, actor=actor, reason="import")
            module.version += 1
            changed = True
        else:
            if module.position != position:
                module.position = position
                changed = True
            wanted.append(module)
            continue
        module.position = position
        apply_module_text(
            module, title=module_source.title, objectives=module_source.objectives,
            minutes=module_source.minutes, references=module_source.references,
            markdown=module_source.markdown, rendered=module_source,
        )
        db.session.flush()
        index_module(module)
        wanted.append(module)
    for stale in existing.values():
        unindex_module(stale.id)
        db.session.delete(stale)
        changed = True
    course.modules = sorted(wanted, key=lambda m: m.position)
    if changed:
        course.version = (course.version or 0) + 1
    elif outcome != "created":
        outcome = "unchanged"
    return course, outcome


def course_source_of(course: Course):
    """A course in the database as a CourseSource-shaped object, for `write_course`."""
    from trainer.content import CECredit, CourseSource, PostTest

    hours = float(course.ce_hours)
    return CourseSource(
        slug=course.slug, title=course.title, summary=course.summary, audience=course.audience,
        ce=CECredit(hours=int(hours) if hours.is_integer() else hours, topic=course.ce_topic,
                    activity_type=course.activity_type, uan=course.uan),
        post_test=PostTest(quiz=course.post_test.slug if course.post_test else None,
                           pass_mark=course.pass_mark, attempts=course.post_test_attempts,
                           wait_hours=course.post_test_wait_hours),
        prerequisites=list(course.prerequisites or []), references=list(course.references or []),
        status=course.status,
        modules=[
            ModuleSource(number=m.position + 1, slug=m.slug, title=m.title,
                         objectives=list(m.objectives or []), minutes=m.minutes,
                         references=list(m.references or []), markdown=m.markdown)
            for m in course.modules
        ],
    )
