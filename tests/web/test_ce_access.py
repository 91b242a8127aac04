"""Nobody sees another person's CE records, files, certificates, transcripts or feed;
the compliance report shows each viewer only the learners they may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import ce as make
from tests.factories.courses import make_course
from tests.unit.ce.files import pdf_bytes
from trainer.extensions import db
from trainer.models import utcnow
from trainer.models.ce import CECertificate
from trainer.services import ce, ce_documents

TODAY = utcnow().date()
EXPIRES = TODAY + timedelta(days=400)


@pytest.fixture
def other_persons(app, user_factory):
    """Someone else's credential, entry with an uploaded file, completion and feed."""
    owner = user_factory(name="Other Person")
    credential = make.credential(owner, expires=EXPIRES)
    evidence, problems = ce_documents.store_evidence(owner, pdf_bytes(), "mine.pdf")
    assert problems == []
    record = make.entry(owner, title="Owner's private course", evidence=evidence,
                        completed=TODAY - timedelta(days=3), today=TODAY)  # fmt: skip
    credit = make.course_credit(owner, make_course("sig", ce_topic="04"))
    token = ce_documents.new_feed(owner)
    db.session.commit()
    return {"owner": owner, "credential": credential, "evidence": evidence, "record": record,
            "credit": credit, "token": token}  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "/ce/credentials/{credential}",
        "/ce/credentials/{credential}/transcript.pdf",
        "/ce/credentials/{credential}/transcript.csv",
        "/ce/credentials/{credential}/audit-pack.zip",
        "/ce/evidence/{evidence}",
        "/ce/certificates/{credit}.pdf",
        "/ce/record/{record}/correct",
    ],
)
def test_another_learner_gets_a_404_for_each_of_the_owners_things(client, auth, other_persons, path):
    auth.login("learner")
    ids = {k: getattr(v, "id", None) for k, v in other_persons.items()}
    assert client.get(path.format(**ids)).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/ce/credentials/{credential}/archive", "/ce/record/{record}/withdraw"],
)
def test_another_learner_cannot_change_the_owners_things(client, auth, other_persons, path):
    auth.login("learner")
    ids = {k: getattr(v, "id", None) for k, v in other_persons.items()}
    assert client.post(path.format(**ids), data={"note": "mine now"}).status_code == 404
    assert ce.credentials_of(other_persons["owner"].id)


def test_an_instructor_cannot_open_a_learners_files_either(client, auth, other_persons):
    auth.login("instructor")
    assert client.get(f"/ce/evidence/{other_persons['evidence'].id}").status_code == 404
    assert client.get(f"/ce/certificates/{other_persons['credit'].id}.pdf").status_code == 404


def test_an_admin_may_open_a_learners_file_and_certificate(client, auth, other_persons):
    auth.login("admin")
    assert client.get(f"/ce/evidence/{other_persons['evidence'].id}").status_code == 200
    assert client.get(f"/ce/certificates/{other_persons['credit'].id}.pdf").status_code == 200


def test_the_own_pages_never_list_another_persons_entries(client, auth, other_persons):
    auth.login("learner")
    for path in ("/ce/", "/ce/record", "/ce/credentials"):
        assert "Owner&#39;s private course" not in client.get(path).get_data(as_text=True)
        assert "Owner's private course" not in client.get(path).get_data(as_text=True)


def test_a_guessed_feed_token_finds_nothing(client, other_persons):
    assert client.get("/ce/feed/not-the-token.ics").status_code == 404
    assert client.get(f"/ce/feed/{other_persons['token']}.ics").status_code == 200


def test_ce_pages_need_a_login(client, other_persons):
    for path in ("/ce/", "/ce/record", "/ce/calendar.ics", f"/ce/evidence/{other_persons['evidence'].id}"):
        assert client.get(path).status_code == 302


# ------------------------------------------------------------------------ the compliance report


def test_an_admin_sees_every_learner_sorted_by_risk(client, auth, user_factory):
    on_track = user_factory(name="Ann On-Track")
    make.credential(on_track, expires=TODAY + timedelta(days=600))
    behind = user_factory(name="Bob Behind")
    make.credential(behind, expires=TODAY + timedelta(days=40))
    auth.login("admin")
    page = client.get("/ce/compliance").get_data(as_text=True)
    assert page.index("Bob Behind") < page.index("Ann On-Track")
    csv_text = client.get("/ce/compliance.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("Bob Behind")


def test_an_instructor_sees_only_learners_who_share_their_progress(client, auth, user_factory):
    sharer = user_factory(name="Sara Shares")
    make.credential(sharer, expires=EXPIRES)
    ce.set_sharing(sharer, True)
    private = user_factory(name="Paul Private")
    make.credential(private, expires=EXPIRES)
    db.session.commit()
    auth.login("instructor")
    page = client.get("/ce/compliance").get_data(as_text=True)
    assert "Sara Shares" in page and "Paul Private" not in page
    assert "Paul Private" not in client.get("/ce/compliance.csv").get_data(as_text=True)


def test_a_learner_cannot_open_the_compliance_report(client, auth):
    auth.login("learner")
    assert client.get("/ce/compliance").status_code == 403


def test_one_function_decides_whose_records_a_viewer_may_see(app, user_factory):
    admin, instructor, learner = (user_factory(role=r) for r in ("admin", "instructor", "learner"))
    sharer = user_factory()
    ce.set_sharing(sharer, True)
    db.session.commit()

    def visible(viewer):
        return set(db.session.scalars(ce.visible_learner_ids(viewer)))

    assert {admin.id, instructor.id, learner.id, sharer.id} <= visible(admin)
    assert visible(instructor) == {sharer.id}
    assert visible(learner) == {learner.id}


def test_revoked_certificates_are_left_out_of_the_certificate_list(app, other_persons):
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == other_persons["credit"].id))
    assert certificate.revoked_at is None
