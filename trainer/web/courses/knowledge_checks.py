"""Knowledge checks inside a module page: the question forms that replace the stored
placeholders, and reading a learner's answer from a posted form.

The module's HTML is stored rendered and sanitised; its checks are placeholders
(`<div class="knowledge-check" data-question="UID"></div>`, written by the renderer
after sanitising, so an author cannot forge one). Each placeholder is replaced here with
the learner's own attempt item: before it is answered only its public view (never the
key); afterwards its grade, feedback and explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from trainer.content.sanitize import CHECK_CLASS, QUESTION_ID
from trainer.questions import get_type
from trainer.services.attempts import public_view, review
from trainer.services.knowledge_checks import module_check_item, module_check_items
from trainer.services.quizzes import QuizRefused
from trainer.web.quizzes.responses import FormAnswer, form_response, widget_state

PLACEHOLDER = re.compile(
    rf'<div class="{CHECK_CLASS}" data-question="(?P<uid>{QUESTION_ID.pattern})"></div>'
)
# A check whose question was deleted, or whose numbers cannot be generated, is shown as
# unavailable rather than failing the page.
UNAVAILABLE = (LookupError, QuizRefused)


@dataclass
class KnowledgeCheck:
    """One check as the page shows it: the learner's item, its widget, and any error or typed answer."""

    uid: str
    item: object | None  # AttemptItem; None when the question cannot be shown
    view: dict = field(default_factory=dict)  # public view: stem, choices… never the key
    kind: str = ""  # the type's response kind: choice, choices, boolean, number, text, pairs, order
    error: str | None = None
    typed: dict = field(default_factory=dict)  # what the learner just sent, to show it again

    @property
    def answered(self) -> bool:
        return self.item is not None and self.item.graded_at is not None

    @property
    def state(self) -> dict:
        """What each input shows: the stored answer, or what was just typed."""
        response = self.item.response if self.item is not None else None
        return widget_state(self.kind, self.view, response, self.typed)

    @property
    def key(self) -> dict | None:
        """Answer, explanation and worked steps, once the check is answered (never before)."""
        return review(self.item) if self.answered else None


def load_checks(user, module) -> dict[str, KnowledgeCheck]:
    """The learner's knowledge checks for a module, by question uid, page order (items are made on first view)."""
    if not module.checks:
        return {}
    try:
        items = module_check_items(user, module)
    except UNAVAILABLE:
        items = {}
    return {uid: describe(uid, items[uid]) if uid in items else load_check(user, module, uid)
            for uid in module.checks}


def load_check(user, module, uid: str) -> KnowledgeCheck:
    """One of the module's knowledge checks for the learner (shown as unavailable if its question is gone)."""
    try:
        item = module_check_item(user, module, uid)
    except UNAVAILABLE:
        item = None
    return describe(uid, item)


def describe(uid: str, item) -> KnowledgeCheck:
    """A KnowledgeCheck for an attempt item (or for a question that cannot be shown)."""
    if item is None:
        return KnowledgeCheck(uid=uid, item=None)
    view = public_view(item)
    try:
        kind = get_type(view.get("type")).response_kind
    except KeyError:
        kind = ""
    return KnowledgeCheck(uid=uid, item=item, view=view, kind=kind)


BLANK_MESSAGES = {
    "choice": "Choose an answer.",
    "choices": "Choose at least one answer.",
    "boolean": "Choose true or false.",
    "number": "Type your answer.",
    "text": "Type your answer.",
    "pairs": "Choose a match for at least one item.",
    "order": "Give each item its position.",
}


def read_answer(check: KnowledgeCheck, form) -> FormAnswer:
    """The learner's answer from the posted form, checked against what the page showed; a blank is an error."""
    answer = form_response(check.kind, check.view, form)
    if answer.error is None and answer.response is None:
        answer.error = BLANK_MESSAGES.get(check.kind, "Give an answer.")
    return answer


def page_html(stored_html: str, rendered: dict[str, str]) -> Markup:
    """The module's stored HTML with each check placeholder replaced by its rendered form.

    The stored HTML was sanitised when the module was saved; a placeholder whose question
    is not among the module's checks is dropped.
    """
    body = PLACEHOLDER.sub(lambda m: rendered.get(m.group("uid"), ""), stored_html)
    return Markup(body)  # noqa: S704 - sanitised when saved; the checks are autoescaped templates

