"""The CE tracker's pages: credentials, the dashboard with one panel per credential,
CE done elsewhere with its certificate, imports, certificates and their public check,
transcripts, the audit pack and the calendar."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pypdf
import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from tests.factories import ce as make
from tests.factories.courses import make_course
from tests.unit.ce.files import EXECUTABLE, image_bytes, pdf_bytes
from trainer.extensions import db
from trainer.models import AuditEvent, utcnow
from trainer.models.ce import CECertificate, CECredit, CEEvidence

TODAY = utcnow().date()
EXPIRES = TODAY + timedelta(days=400)
LAST_MONTH = TODAY - timedelta(days=30)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def entry_form(**changes) -> dict:
    data = {
        "title": "Patient safety for technicians", "provider": "ASHP", "kind": "acpe",
        "uan": "0669-0000-25-101-H05-T", "hours": "1.5", "topic": "", "format": "",
        "completed": LAST_MONTH.isoformat(), "note": "",
    }  # fmt: skip
    data.update(changes)
    return data


# ------------------------------------------------------------------------ credentials and the dashboard


def test_a_technician_adds_a_credential_and_sees_its_panel(client, auth):
    auth.login("learner")
    response = client.post("/ce/credentials", data={"rule_set": "ptcb-cpht", "number": "123",
                                                   "expires_on": EXPIRES.isoformat()})  # fmt: skip
    assert response.status_code == 302
    page = client.get("/ce/").get_data(as_text=True)
    assert "PTCB Certified Pharmacy Technician (CPhT)" in page
    assert "0 of 20 hours" in page
    assert "1 more hour of pharmacy law (topic 03)" in page
    assert "days</strong> to the application deadline" in page


def test_a_credential_without_an_expiry_date_is_refused_beside_the_field(client, auth):
    auth.login("learner")
    response = client.post("/ce/credentials", data={"rule_set": "ptcb-cpht", "expires_on": ""})
    assert response.status_code == 422
    assert "Enter the expiry date." in response.get_data(as_text=True)


def test_each_missing_topic_links_to_courses_here_on_that_topic(client, auth, app):
    make_course("safety-basics", title="Safety basics", ce_topic="05", ce_hours="1")
    make_course("law-basics", title="Law basics", ce_topic="03", ce_hours="1")
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    page = client.get("/ce/").get_data(as_text=True)
    law = page.index("1 more hour of pharmacy law (topic 03)")
    safety = page.index("1 more hour of patient safety (topic 05)")
    assert "/courses/law-basics" in page[law:safety]
    assert "/courses/safety-basics" in page[safety:]


def test_the_main_dashboard_has_a_ce_panel_and_the_nav_a_ce_link(client, auth):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Continuing education" in page
    assert "PTCB Certified Pharmacy Technician (CPhT): 0 of 20 hours" in page
    assert 'href="/ce/"' in page


# ------------------------------------------------------------------------ CE done elsewhere


def test_external_ce_with_a_pdf_certificate_is_recorded(client, auth):
    learner = auth.login("learner")
    response = client.post("/ce/record/new", data={
        **entry_form(), "certificate": (io.BytesIO(pdf_bytes()), "statement.pdf")},
        content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302
    record = db.session.scalar(select(CECredit).where(CECredit.user_id == learner.id))
    assert (record.source, record.kind, record.topic, record.audience, str(record.hours)) == (
        "external", "acpe", "05", "T", "1.50")
    evidence = db.session.get(CEEvidence, record.evidence_id)
    assert evidence.label == "statement.pdf" and evidence.mimetype == "application/pdf"


def test_an_uploaded_file_is_stored_outside_static_under_a_random_name(client, auth, app):
    auth.login("learner")
    client.post("/ce/record/new", data={**entry_form(), "certificate": (io.BytesIO(pdf_bytes()), "../../x.pdf")},
                content_type="multipart/form-data")  # fmt: skip
    evidence = db.session.scalar(select(CEEvidence))
    from trainer.services.ce_documents import evidence_path

    path = evidence_path(evidence)
    assert path.is_relative_to(app.instance_path)
    assert "static" not in path.parts
    assert path.name != "x.pdf" and len(path.stem) == 32
    assert evidence.label == "x.pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((EXECUTABLE, "certificate.pdf"), "this file is none of them"),
        ((b"GIF89a" + b"\0" * 40, "scan.png"), "this file is none of them"),
        ((b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n", "big.pdf"), "larger than 5 MB"),
    ],
    ids=["renamed executable", "wrong type", "too large"],
)
def test_a_bad_certificate_is_refused_and_nothing_is_recorded(client, auth, upload, message):
    learner = auth.login("learner")
    data, name = upload
    response = client.post("/ce/record/new", data={**entry_form(), "certificate": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CECredit).where(CECredit.user_id == learner.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(CEEvidence)) == 0


def test_a_malformed_uan_is_named_beside_the_field(client, auth):
    auth.login("learner")
    response = client.post("/ce/record/new", data=entry_form(uan="0669-0000-25-101-H09-T"))
    assert response.status_code == 422
    assert "The topic designator is 01–08" in response.get_data(as_text=True)


def test_a_png_certificate_is_served_back_to_its_owner_as_a_download(client, auth):
    auth.login("learner")
    client.post("/ce/record/new", data={**entry_form(), "certificate": (io.BytesIO(image_bytes("PNG")), "scan.png")},
                content_type="multipart/form-data")  # fmt: skip
    evidence = db.session.scalar(select(CEEvidence))
    response = client.get(f"/ce/evidence/{evidence.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


# ------------------------------------------------------------------------ corrections are new entries


def test_a_correction_is_a_new_entry_pointing_at_the_old_one_and_audited(client, auth):
    learner = auth.login("learner")
    original = make.entry(learner, hours="1", topic="03", completed=LAST_MONTH, today=TODAY)
    response = client.post(f"/ce/record/{original.id}/correct", data=entry_form(
        title=original.title, uan=original.uan, hours="2", note="The statement says 2 hours."))  # fmt: skip
    assert response.status_code == 302
    rows = db.session.scalars(select(CECredit).where(CECredit.user_id == learner.id).order_by(CECredit.id)).all()
    assert [(str(r.hours), r.corrects_id) for r in rows] == [("1.00", None), ("2.00", original.id)]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ce.record.corrected"))
    assert event.actor_id == learner.id and event.details["note"] == "The statement says 2 hours."


def test_a_stored_entry_cannot_be_changed_in_place(app, user_factory):
    from trainer.models.ce import AppendOnly

    learner = user_factory()
    record = make.entry(learner)
    record.hours = 5
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()


def test_a_withdrawn_entry_leaves_the_count_but_stays_in_the_history(client, auth):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    record = make.entry(learner, hours="3", topic="04", completed=LAST_MONTH, today=TODAY)
    response = client.post(f"/ce/record/{record.id}/withdraw", data={"note": "Entered twice."})
    assert response.status_code == 302
    assert "0 of 20 hours" in client.get("/ce/").get_data(as_text=True)
    assert "withdrew" in client.get("/ce/record").get_data(as_text=True)


def test_a_learner_cannot_correct_a_course_completion(client, auth):
    learner = auth.login("learner")
    course = make_course("sig", ce_topic="04")
    credit = make.course_credit(learner, course)
    assert client.get(f"/ce/record/{credit.id}/correct").status_code == 403


# ------------------------------------------------------------------------ imports


CSV = (
    "Activity Date,ACPE UAN,Title,Provider,Hours\r\n"
    f"{LAST_MONTH.isoformat()},0669-0000-25-201-H03-T,Law update,ASHP,1\r\n"
    f"{LAST_MONTH.isoformat()},0669-0000-25-202-L05-T,Safety huddle,APhA,2\r\n"
)


def test_an_import_is_previewed_before_anything_is_saved(client, auth):
    learner = auth.login("learner")
    response = client.post("/ce/import", data={"transcript": (io.BytesIO(CSV.encode()), "cpe.csv")},
                           content_type="multipart/form-data")  # fmt: skip
    page = response.get_data(as_text=True)
    assert "2 activities read" in page and "Law update" in page
    assert db.session.scalar(select(func.count()).select_from(CECredit).where(CECredit.user_id == learner.id)) == 0
    response = client.post("/ce/import", data={"text": CSV})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CECredit).where(CECredit.source == "import")) == 2


def test_an_import_with_a_bad_row_lists_it_by_line_and_saves_nothing(client, auth):
    learner = auth.login("learner")
    bad = CSV + f"{LAST_MONTH.isoformat()},not-a-uan,Broken,ASHP,1\r\n"
    response = client.post("/ce/import", data={"transcript": (io.BytesIO(bad.encode()), "cpe.csv")},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    assert "Line 4:" in response.get_data(as_text=True)
    client.post("/ce/import", data={"text": bad})
    assert db.session.scalar(select(func.count()).select_from(CECredit).where(CECredit.user_id == learner.id)) == 0


def test_importing_the_same_transcript_twice_adds_nothing_the_second_time(client, auth):
    auth.login("learner")
    client.post("/ce/import", data={"text": CSV})
    client.post("/ce/import", data={"text": CSV})
    assert db.session.scalar(select(func.count()).select_from(CECredit).where(CECredit.source == "import")) == 2


# ------------------------------------------------------------------------ certificates


def test_a_course_completion_gets_a_certificate_with_an_unguessable_code(app, user_factory):
    learner = user_factory(name="Dana Ortiz")
    credit = make.course_credit(learner, make_course("sig", ce_topic="04"))
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit.id))
    assert certificate.learner_name == "Dana Ortiz"
    assert len(certificate.code) == 19 and certificate.code.count("-") == 3


def test_the_certificate_pdf_names_the_course_and_its_qr_code_opens_the_verify_page(client, auth):
    zxingcpp = pytest.importorskip("zxingcpp")
    learner = auth.login("learner")
    credit = make.course_credit(learner, make_course("sig", title="Sig codes", ce_topic="04"))
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit.id))
    response = client.get(f"/ce/certificates/{credit.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    assert "Sig codes" in text and certificate.code in text and "not ACPE credit" in text
    (image,) = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].images
    (decoded,) = [code.text for code in zxingcpp.read_barcodes(image.image)]
    assert decoded == f"http://localhost/verify/{certificate.code}"
    assert client.get(decoded.removeprefix("http://localhost")).status_code == 200


def test_the_verify_page_confirms_a_certificate_and_shows_nothing_else(client, app, user_factory):
    learner = user_factory(name="Dana Ortiz", email="dana@example.org")
    credit = make.course_credit(learner, make_course("sig", title="Sig codes", ce_topic="04"))
    make.entry(learner, title="Private outside course")
    code = db.session.scalar(select(CECertificate.code).where(CECertificate.credit_id == credit.id))
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "This certificate is genuine." in page and "Dana Ortiz" in page and "Sig codes" in page
    assert "dana@example.org" not in page and "Private outside course" not in page


def test_a_code_typed_in_lower_case_without_dashes_is_found(client, app, user_factory):
    credit = make.course_credit(user_factory(), make_course("sig", ce_topic="04"))
    code = db.session.scalar(select(CECertificate.code).where(CECertificate.credit_id == credit.id))
    response = client.get("/verify", query_string={"code": code.replace("-", "").lower()})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{code}")


def test_an_unknown_code_is_a_404(client):
    assert client.get("/verify/AAAA-AAAA-AAAA-AAAA").status_code == 404


def test_the_verify_page_is_rate_limited(make_app, app):
    limited = make_app(CE_VERIFY_RATE_LIMIT="3 per minute")
    from tests.conftest import share_test_connection

    share_test_connection(app, limited)
    client = limited.test_client()
    statuses = [client.get("/verify/AAAA-AAAA-AAAA-AAAA").status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_an_admin_revokes_a_certificate_and_the_verify_page_says_so(client, auth, user_factory):
    credit = make.course_credit(user_factory(), make_course("sig", ce_topic="04"))
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit.id))
    auth.login("admin")
    response = client.post(f"/ce/admin/certificates/{certificate.id}/revoke", data={"reason": "Issued in error"})
    assert response.status_code == 302
    assert "This certificate was revoked" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)


def test_only_admins_revoke(client, auth, user_factory):
    credit = make.course_credit(user_factory(), make_course("sig", ce_topic="04"))
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit.id))
    auth.login("instructor")
    assert client.post(f"/ce/admin/certificates/{certificate.id}/revoke", data={"reason": "x"}).status_code == 403


# ------------------------------------------------------------------------ transcripts, audit pack, calendar


def test_the_transcript_pdf_and_csv_hold_the_cycles_activities(client, auth):
    learner = auth.login("learner")
    credential = make.credential(learner, expires=EXPIRES)
    make.entry(learner, title="Law for technicians", hours="2", topic="03", completed=LAST_MONTH, today=TODAY)
    text = text_of(client.get(f"/ce/credentials/{credential.id}/transcript.pdf").data)
    assert "Law for technicians" in text and "2 of 20 hours counted" in text
    csv_text = client.get(f"/ce/credentials/{credential.id}/transcript.csv").get_data(as_text=True)
    assert csv_text.startswith("Activity Date,Title,Provider,ACPE UAN")
    assert "Law for technicians" in csv_text


def test_the_audit_pack_holds_transcript_certificates_and_uploaded_files(client, auth):
    learner = auth.login("learner")
    credential = make.credential(learner, expires=EXPIRES)
    make.course_credit(learner, make_course("sig", ce_topic="04"))
    client.post("/ce/record/new", data={**entry_form(), "certificate": (io.BytesIO(pdf_bytes()), "statement.pdf")},
                content_type="multipart/form-data")  # fmt: skip
    response = client.get(f"/ce/credentials/{credential.id}/audit-pack.zip")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "transcript-ptcb-cpht.pdf" in names and "transcript-ptcb-cpht.csv" in names and "CONTENTS.txt" in names
    assert any(n.startswith("certificates/") for n in names)
    assert any(n.startswith("evidence/") and n.endswith("statement.pdf") for n in names)


def test_the_calendar_file_parses_with_reminders(client, auth):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    calendar = Calendar.from_ical(client.get("/ce/calendar.ics").data)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "PTCB Certified Pharmacy Technician (CPhT): renewal application deadline" in summaries
    deadline = next(e for e in calendar.walk("VEVENT") if "deadline" in str(e["summary"]))
    assert [a.decoded("trigger").days for a in deadline.walk("VALARM")] == [-90, -60, -30, -7]


def test_a_private_feed_works_until_it_is_revoked(client, auth):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    page = client.post("/ce/calendar/feed").get_data(as_text=True)
    url = page.split('id="feed-url" value="', 1)[1].split('"', 1)[0]
    path = url.removeprefix("http://localhost")
    auth.logout()
    assert client.get(path).status_code == 200
    auth.login(learner)
    client.post("/ce/calendar/feed/revoke")
    auth.logout()
    assert client.get(path).status_code == 404


# ------------------------------------------------------------------------ the dashboard's cost


def test_the_ce_dashboard_runs_the_same_queries_for_one_entry_or_forty(client, auth, count_queries):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    make.entry(learner, completed=LAST_MONTH, today=TODAY)
    client.get("/ce/")
    with count_queries() as few:
        client.get("/ce/")
    make.credential(learner, rule_set="nha-cpht", expires=EXPIRES)
    make.credential(learner, rule_set="tx-technician", expires=EXPIRES)
    for n in range(40):
        make.entry(learner, title=f"Course {n}", topic="04", completed=LAST_MONTH, today=TODAY)
    with count_queries() as many:
        client.get("/ce/")
    assert len(many) == len(few)


def test_the_ce_dashboard_reads_the_sharing_choice_once(client, auth, count_queries):
    learner = auth.login("learner")
    make.credential(learner, expires=EXPIRES)
    client.get("/ce/")
    with count_queries() as statements:
        client.get("/ce/")
    assert len([s for s in statements if "FROM ce_sharing" in s]) == 1
