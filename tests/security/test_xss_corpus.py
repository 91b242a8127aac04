"""Stored XSS: the corpus goes through every place people write text; no page runs any of it.

The corpus is tests/security/data/xss_payloads.txt (more than 150 payloads: OWASP filter
evasion classes, mutation XSS, SVG and MathML, entity and whitespace tricks in
javascript: URLs, markdown link and image tricks). Each sink writes payloads where an
author or a user writes, through the site's own forms and imports, and then reads the
page that shows them back; tests/security/xss.py parses that page as a browser would and
lists any script, event handler, javascript: URL or loader in it. Where a field takes
long text, payloads travel in batches, each after a harmless marker that must come back
(so a payload cannot pass by never reaching the page).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from tests.conftest import DEFAULT_PASSWORD
from tests.factories.bank import editor_form
from tests.security.xss import PAYLOADS, executable_parts, send_all
from trainer.extensions import db
from trainer.models import utcnow

BATCH = 25  # a single-choice question takes at most 26 choices
SHORT_BATCH = 12  # one-line fields: one payload a field, the page that lists them read once a batch


SHIPPED_BANK = Path(__file__).resolve().parents[2] / "question_bank"


def marker(i: int, field: str = "probe") -> str:
    return f"{field}-{i:03d}-marker"


def markdown_of(indices, field: str = "probe") -> str:
    return "".join(f"{marker(i, field)}\n\n{PAYLOADS[i]}\n\n" for i in indices)


def one_line(text: str) -> str:
    return " ".join(text.split())


class Answers:
    """Reads the site's answers to the payloads: a refusal (4xx) is safe, a 500 is a finding."""

    def __init__(self):
        self.server_errors: list[str] = []

    def accepted(self, response, indices, what: str) -> bool:
        if response.status_code >= 500:
            self.server_errors.append(f"{what} answered {response.status_code} to payloads {indices}")
        return response.status_code < 400


@pytest.fixture
def answers():
    return Answers()


def test_the_corpus_is_large_and_the_check_sees_what_a_browser_would_run():
    assert len(PAYLOADS) >= 150
    raw = [p for p in PAYLOADS if executable_parts(f"<!doctype html><p>{p}</p>")]
    # Placed in a page unescaped, most payloads run; the check must see them.
    assert len(raw) >= 150, len(raw)
    assert executable_parts('<!doctype html><script src="/static/js/site.js"></script><a href="/x">ok</a>') == []


@pytest.fixture
def instructor(client, auth):
    return auth.login("instructor")


# -- course markdown ------------------------------------------------------------------------


def test_markdown_preview(client, instructor):
    def render(indices):
        response = client.post("/teach/markdown-preview", data={"markdown": markdown_of(indices)})
        assert response.status_code == 200
        return response.json["html"]

    assert send_all(render, lambda i: [marker(i)], BATCH) == []


def test_module_pages_after_a_save(client, instructor, answers):
    from tests.factories.courses import make_course

    course = make_course("xss-course", modules=1, post_test=False, status="draft")
    course.owner_id = instructor.id  # shipped content is changed by admins only
    db.session.commit()
    module = course.modules[0]
    base = f"/teach/courses/{course.slug}/modules/{module.id}"

    def render(indices):
        form = {"title": "Module", "slug": module.slug, "objectives": "Read safely", "minutes": "10",
                "references": "USP", "markdown": markdown_of(indices), "action": "save"}
        if not answers.accepted(client.post(base, data=form), indices, "module save"):
            return ""
        return client.get(f"{base}/preview").get_data(as_text=True)

    assert send_all(render, lambda i: [marker(i)], BATCH) + answers.server_errors == []


# -- questions: the editor and every import format ---------------------------------------------


def _question(indices, uid: str) -> dict:
    """A single-choice question carrying the payloads in its stem, choices, feedback and explanation."""
    choices = [{"text": f"{marker(i, 'choice')} {one_line(PAYLOADS[i])}", "feedback": PAYLOADS[i]}
               for i in indices]
    if len(choices) < 2:
        choices.append({"text": "Plain choice"})
    choices[0]["correct"] = True
    return {"id": uid, "type": "single_choice", "status": "draft", "stem": markdown_of(indices, "stem"),
            "choices": choices, "explanation": markdown_of(indices, "explain"), "tags": ["xss"],
            "difficulty": "medium", "blueprint": ["ptce-2020:1.1"], "references": ["tests"]}


def _preview_of_question(client, data: dict, answers: Answers, indices) -> str:
    """The editor's preview: the learner's view, the key and the feedback of every choice."""
    response = client.post("/teach/questions/preview", data={**editor_form(data), "type": data["type"]})
    return response.get_data(as_text=True) if answers.accepted(response, indices, "question preview") else ""


def _stored_question_page(client, uid: str, answers: Answers, indices) -> str:
    """A stored question, shown as the editor's preview shows it (from what was saved)."""
    from trainer.services.questions import get_question

    db.session.expire_all()
    question = get_question(uid)
    assert question is not None, uid
    return _preview_of_question(client, dict(question.data), answers, indices)


def QUESTION_MARKERS(i: int) -> list[str]:  # noqa: N802 - a constant's role in the tables below
    return [marker(i, "stem"), marker(i, "choice"), marker(i, "explain")]


def test_question_editor(client, instructor, answers):
    counter = iter(range(10_000))

    def render(indices):
        data = _question(indices, f"xss-editor-{next(counter)}")
        response = client.post("/teach/questions/new/single_choice", data={**editor_form(data), "action": "save"})
        if not answers.accepted(response, indices, "question editor save") or response.status_code != 302:
            return ""
        return (_preview_of_question(client, data, answers, indices)
                + _stored_question_page(client, data["id"], answers, indices))

    assert send_all(render, QUESTION_MARKERS, BATCH) + answers.server_errors == []


def _gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", text)


def gift_file(indices, uid) -> bytes:
    stem = _gift_escape(markdown_of(indices, "stem")).replace("\n\n", "\n")
    answers = []
    for n, i in enumerate(indices):
        text = _gift_escape(f"{marker(i, 'choice')} {one_line(PAYLOADS[i])}")
        answers.append(f"{'=' if n == 0 else '~'}{text} #{_gift_escape(one_line(PAYLOADS[i]))}")
    if len(answers) < 2:
        answers.append("~Plain choice")
    general = _gift_escape(one_line(markdown_of(indices, "explain")))
    return (f"::{uid}::[html]{stem} {{\n" + "\n".join(answers) + f"\n####{general}\n}}\n").encode()


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def moodle_xml_file(indices, uid) -> bytes:
    answers = "".join(
        f'<answer fraction="{100 if n == 0 else 0}" format="html"><text>{_cdata(marker(i, "choice") + " " + PAYLOADS[i])}'
        f'</text><feedback format="html"><text>{_cdata(PAYLOADS[i])}</text></feedback></answer>'
        for n, i in enumerate(indices))
    if len(indices) < 2:
        answers += '<answer fraction="0"><text>Plain choice</text></answer>'
    return (f'<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice"><name><text>{uid}</text></name>'
            f'<questiontext format="html"><text>{_cdata(markdown_of(indices, "stem"))}</text></questiontext>'
            f'<generalfeedback format="html"><text>{_cdata(markdown_of(indices, "explain"))}</text></generalfeedback>'
            f"<single>true</single>{answers}</question></quiz>").encode()


def aiken_file(indices, uid) -> bytes:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lines = [one_line(markdown_of(indices, "stem"))]
    lines += [f"{letters[n]}. {marker(i, 'choice')} {one_line(PAYLOADS[i])}" for n, i in enumerate(indices)]
    if len(indices) < 2:
        lines.append(f"{letters[len(indices)]}. Plain choice")
    lines.append("ANSWER: A")
    return ("\n".join(lines) + "\n").encode()


def qti_file(indices, uid) -> bytes:
    labels = "".join(
        f'<response_label ident="{n}"><material><mattext texttype="text/html">'
        f"{escape(marker(i, 'choice') + ' ' + PAYLOADS[i])}</mattext></material></response_label>"
        for n, i in enumerate(indices))
    if len(indices) < 2:
        labels += '<response_label ident="99"><material><mattext texttype="text/plain">Plain</mattext></material></response_label>'
    item = (
        f'<item ident="{uid}" title="{uid}"><itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type'
        "</fieldlabel><fieldentry>multiple_choice_question</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>"
        f'<presentation><material><mattext texttype="text/html">{escape(markdown_of(indices, "stem"))}</mattext>'
        f'</material><response_lid ident="response1" rcardinality="Single"><render_choice>{labels}</render_choice>'
        '</response_lid></presentation><resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" '
        'vartype="Decimal"/></outcomes><respcondition continue="No"><conditionvar><varequal respident="response1">0'
        '</varequal></conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition></resprocessing>'
        "</item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?><questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">'
           f'<assessment ident="a" title="XSS"><section ident="root_section">{item}</section></assessment>'
           "</questestinterop>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("a/a.xml", xml)
    return buffer.getvalue()


IMPORT_DEFAULTS = {"tags": "xss", "difficulty": "medium", "blueprint": "ptce-2020:1.1", "references": "tests",
                   "status": "draft", "id_prefix": ""}
FORMATS = {
    "gift": (gift_file, "q.gift", QUESTION_MARKERS),
    "moodle_xml": (moodle_xml_file, "q.xml", QUESTION_MARKERS),
    "aiken": (aiken_file, "q.txt", lambda i: [marker(i, "stem"), marker(i, "choice")]),
    "qti": (qti_file, "q.zip", lambda i: [marker(i, "stem"), marker(i, "choice")]),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_question_imports(client, instructor, answers, fmt):
    make_file, filename, markers = FORMATS[fmt]
    counter = iter(range(10_000))

    def render(indices):
        uid = f"xss-{fmt.replace('_', '-')}-{next(counter)}"
        data = {**IMPORT_DEFAULTS, "id_prefix": f"{uid}-",
                "file": (io.BytesIO(make_file(indices, uid)), filename)}
        preview = client.post("/teach/questions/import", data=data, content_type="multipart/form-data")
        page = preview.get_data(as_text=True)
        token = re.search(r'name="token" value="([^"]*)"', page)
        if not answers.accepted(preview, indices, f"{fmt} import preview") or not token:
            return ""
        confirm = client.post("/teach/questions/import/confirm",
                              data={**IMPORT_DEFAULTS, "id_prefix": f"{uid}-", "token": token.group(1)})
        if not answers.accepted(confirm, indices, f"{fmt} import"):
            return ""
        from sqlalchemy import select

        from trainer.models import Question

        stored = db.session.scalars(select(Question.uid).where(Question.uid.startswith(f"{uid}-"))).all()
        if len(stored) != 1:
            return ""  # the preview found a problem in it: refused, nothing saved
        return page + _stored_question_page(client, stored[0], answers, indices)

    assert send_all(render, markers, BATCH) + answers.server_errors == []


def test_question_bank_yaml_import(app, client, instructor, answers, tmp_path):
    """The bank's own YAML format, through `flask trainer import` (the shipped-content path)."""
    runner = app.test_cli_runner()
    counter = iter(range(10_000))

    def render(indices):
        root = tmp_path / f"bank{next(counter)}"
        (root / "question_bank").mkdir(parents=True)
        (root / "courses").mkdir()
        shutil.copy(SHIPPED_BANK / "blueprints.yaml", root / "question_bank")
        uid = f"xss-yaml-{root.name}"
        data = _question(indices, uid)
        (root / "question_bank" / "xss.yaml").write_text(yaml.safe_dump({"questions": [data]}, allow_unicode=True))
        result = runner.invoke(args=["trainer", "import", str(root)])
        if result.exit_code != 0:
            assert "Traceback" not in result.output, result.output[-2000:]
            return ""
        return _stored_question_page(client, uid, answers, indices)

    assert send_all(render, QUESTION_MARKERS, BATCH) + answers.server_errors == []


# -- people's names, CE titles and providers, cohort names ----------------------------------------


def _short(i: int, limit: int) -> str:
    """Payload i behind its marker, cut to the field's length limit (5 payloads are longer)."""
    return f"{marker(i)} {one_line(PAYLOADS[i])}"[:limit]


def test_names(client, auth, user_factory, answers):
    """A learner's name, as an instructor sees it on the cohort's page (read once a batch)."""
    from tests.factories.teaching import enrol, make_cohort

    teacher = user_factory(role="instructor", email="teacher@example.org")
    cohort = make_cohort(teacher, "Named class")
    learners = [user_factory(email=f"named{n}@example.org") for n in range(SHORT_BATCH)]
    enrol(cohort, learners)
    teacher_client = client.application.test_client()
    teacher_client.post("/login", data={"email": teacher.email, "password": DEFAULT_PASSWORD})
    sessions = []
    for learner in learners:
        learner_client = client.application.test_client()
        learner_client.post("/login", data={"email": learner.email, "password": DEFAULT_PASSWORD})
        sessions.append(learner_client)

    def render(indices):
        for learner_client, i in zip(sessions, indices, strict=False):
            response = learner_client.post("/profile", data={"name": _short(i, 120), "learner_type": "student"})
            answers.accepted(response, [i], "profile")
        return teacher_client.get(f"/teach/cohorts/{cohort.id}").get_data(as_text=True)

    assert send_all(render, lambda i: [marker(i)], SHORT_BATCH) + answers.server_errors == []


def test_ce_titles_and_providers_from_a_transcript_import(client, auth):
    auth.login("learner")
    day = (utcnow().date() - timedelta(days=30)).isoformat()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Activity Date", "ACPE UAN", "Title", "Provider", "Hours"])
    for i, payload in enumerate(PAYLOADS):
        writer.writerow([day, f"0669-0000-25-{i:03d}-H03-T", f"{marker(i)} {one_line(payload)}",
                         f"{marker(i, 'provider')} {one_line(payload)}", "1"])
    text = out.getvalue()
    preview = client.post("/ce/import", data={"transcript": (io.BytesIO(text.encode()), "cpe.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.get_data(as_text=True)[:500]
    assert client.post("/ce/import", data={"text": text}).status_code == 302
    pages = preview.get_data(as_text=True) + client.get("/ce/record").get_data(as_text=True)
    for i in range(len(PAYLOADS)):
        assert marker(i) in pages and marker(i, "provider") in pages, i
    assert executable_parts(pages) == []


def test_ce_title_provider_and_note_typed_in_the_form(client, auth, answers):
    """Three payloads an entry (title, provider, note); the record page read once a batch."""
    auth.login("learner")
    day = (utcnow().date() - timedelta(days=30)).isoformat()

    def render(indices):
        for n in range(0, len(indices), 3):
            title, provider, note = (indices[n:n + 3] + [None, None])[:3]
            form = {"title": _short(title, 200), "provider": _short(provider, 200) if provider is not None else "",
                    "kind": "other", "uan": "", "hours": "0.5", "topic": "03", "format": "", "completed": day,
                    "note": f"{marker(note)} {PAYLOADS[note]}" if note is not None else ""}
            answers.accepted(client.post("/ce/record/new", data=form), indices[n:n + 3], "CE entry")
        return client.get("/ce/record").get_data(as_text=True)

    assert send_all(render, lambda i: [marker(i)], SHORT_BATCH) + answers.server_errors == []


def test_cohort_names_and_terms(client, instructor, answers):
    """Two payloads a cohort (name, term); the cohort list read once a batch."""
    def render(indices):
        for n in range(0, len(indices), 2):
            name, term = (indices[n:n + 2] + [None])[:2]
            form = {"name": _short(name, 120), "term": _short(term, 60) if term is not None else ""}
            answers.accepted(client.post("/teach/cohorts/new", data=form), indices[n:n + 2], "new cohort")
        return client.get("/teach/cohorts").get_data(as_text=True)

    assert send_all(render, lambda i: [marker(i)], SHORT_BATCH) + answers.server_errors == []
