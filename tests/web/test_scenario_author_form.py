"""Writing a scenario field by field: the form holds every shipped scenario (a round trip gives
the same data), a scenario is created and edited through it, a problem of the rules core is
shown beside its field with everything typed kept, rows are added without JavaScript, and
only instructors may open it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField

from tests.factories.scenarios import add_scenarios, save_drugs, scenario_specs
from tests.web.test_scenarios_player import CHECK, WRITTEN
from trainer.extensions import db
from trainer.models import Scenario
from trainer.rx.scenarios import authoring, loader
from trainer.services.scenarios import jsonable
from trainer.web.scenarios import author_form

SHIPPED = Path(__file__).resolve().parents[2] / "question_bank" / "scenarios"


def shipped_specs() -> dict[str, dict]:
    """Every shipped scenario as stored data (what an import saves), by id."""
    out = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]:
            out[raw["id"]] = jsonable(raw)
    return out


SPECS = shipped_specs()


def posted(form) -> MultiDict:
    """What a browser sends for a form as rendered: every box's text, ticked boxes only."""
    data = MultiDict()
    for f in author_form._walk(form):
        if f.type in ("FormField", "FieldList", "CSRFTokenField"):
            continue
        if isinstance(f, BooleanField):
            if f.data:
                data.add(f.name, "y")
        else:
            data.add(f.name, "" if f.data is None else str(f.data))
    return data


def form_post(spec: dict, status: str = "draft", **changes) -> dict:
    """The post of the form filled with `spec`, with some boxes changed ({"prescriber-dea": …})."""
    form = author_form.ScenarioForm(formdata=None, data={**authoring.form_data(spec), "status": status},
                                    meta={"csrf": False})
    data = posted(author_form.with_blank_rows(form)).to_dict()
    data.update(changes)
    return data


def test_every_shipped_scenario_is_there():
    assert len(SPECS) == 64


@pytest.mark.parametrize("slug", sorted(SPECS))
def test_the_form_holds_every_shipped_scenario(app, slug):
    spec = SPECS[slug]
    with app.test_request_context(method="POST"):
        back = author_form.ScenarioForm(formdata=MultiDict(form_post(spec)), meta={"csrf": False})
        assert authoring.spec_of(back.data) == authoring.canonical(spec)
    assert authoring.round_trips(spec)
    # and what the form gives back reads as the same scenario
    assert loader.from_dict(authoring.canonical(spec)) == loader.from_dict(spec)


def test_an_instructor_writes_a_scenario_with_the_form(client, instructor, app):
    save_drugs()
    db.session.commit()
    page = client.get("/teach/scenarios/new").get_data(as_text=True)
    assert '<legend>Prescriber</legend>' in page and 'for="prescriber-dea"' in page
    assert 'name="shelf-1-ndc"' in page  # blank rows to fill
    assert "question_bank" not in page and "Edit as YAML" in page
    spec = dict(scenario_specs()[WRITTEN], id="form-simvastatin")
    response = client.post("/teach/scenarios/new", data=form_post(spec, "published"))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    saved = db.session.scalar(select(Scenario).where(Scenario.slug == "form-simvastatin"))
    assert saved.source == "browser" and saved.author_id == instructor.id and saved.status == "published"
    assert saved.spec == authoring.canonical(spec)


def test_a_new_scenario_may_not_take_an_id_in_use(client, instructor, app):
    add_scenarios()
    response = client.post("/teach/scenarios/new", data=form_post(scenario_specs()[WRITTEN]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="id-error"' in html and "already uses the id" in html


def test_an_instructor_edits_a_scenario_with_the_form(client, instructor, app):
    add_scenarios()
    page = client.get(f"/teach/scenarios/{WRITTEN}/edit").get_data(as_text=True)
    assert 'value="Simvastatin on a written pad"' in page and "readonly" in page
    unchanged = client.post(f"/teach/scenarios/{WRITTEN}/edit", data=form_post(scenario_specs()[WRITTEN], "published"),
                            follow_redirects=True)
    assert "was already up to date" in unchanged.get_data(as_text=True)
    data = form_post(scenario_specs()[WRITTEN], "published", title="Simvastatin, handwritten")
    response = client.post(f"/teach/scenarios/{WRITTEN}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(Scenario.title).where(Scenario.slug == WRITTEN)) == "Simvastatin, handwritten"
    response = client.post(f"/teach/scenarios/{WRITTEN}/edit", data={**data, "id": "another-id"})
    assert response.status_code == 422 and "keep the id" in response.get_data(as_text=True)


def test_a_pharmacist_check_is_edited_with_the_form(client, instructor, app):
    add_scenarios()
    page = client.get(f"/teach/scenarios/{CHECK}/edit").get_data(as_text=True)
    assert 'selected value="validation"' in page
    data = form_post(scenario_specs()[CHECK], "published", summary="A check of the strength.")
    assert client.post(f"/teach/scenarios/{CHECK}/edit", data=data).status_code == 302
    assert db.session.scalar(select(Scenario).where(Scenario.slug == CHECK)).spec["summary"] == "A check of the strength."


def test_a_bad_dea_number_is_shown_beside_the_dea_field_with_the_rest_kept(client, instructor, app):
    save_drugs()
    db.session.commit()
    spec = dict(scenario_specs()[WRITTEN], id="form-bad-dea")
    response = client.post("/teach/scenarios/new", data=form_post(spec, **{"prescriber-dea": "BB1388569"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="prescriber-dea-error"' in html and 'aria-describedby="prescriber-dea-hint prescriber-dea-error"' in html
    error = html.split('id="prescriber-dea-error"')[1].split("</ul>")[0]
    assert "check digit" in error and "dea_check_digit" not in error
    assert 'value="BB1388569"' in html and 'value="Simvastatin on a written pad"' in html
    assert "1 tab po daily in the evening" in html  # the sig, as typed
    assert 'href="#prescriber-dea">Prescriber › DEA number</a>' in html  # the summary at the top links to the field
    assert db.session.scalar(select(Scenario)) is None


def test_a_problem_in_a_row_is_shown_beside_that_row(client, instructor, app):
    save_drugs()
    db.session.commit()
    spec = dict(scenario_specs()[WRITTEN], id="form-bad-ndc")
    response = client.post("/teach/scenarios/new", data=form_post(spec, **{"shelf-1-ndc": "12345"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="shelf-1-ndc-error"' in html


def test_a_pharmacist_checks_key_is_checked_beside_its_field(client, instructor, app):
    save_drugs()
    db.session.commit()
    spec = dict(scenario_specs()[CHECK], id="form-check")
    response = client.post("/teach/scenarios/new", data=form_post(spec, **{"expected-dispense": "true"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "should be false" in html.split('id="expected-dispense-error"')[1].split("</ul>")[0]
    assert 'selected value="validation"' in html


def test_another_row_is_added_without_saving(client, instructor, app):
    save_drugs()
    db.session.commit()
    spec = dict(scenario_specs()[WRITTEN], id="form-rows")
    data = form_post(spec)
    rows = sum(1 for name in data if name.startswith("shelf-") and name.endswith("-ndc"))
    response = client.post("/teach/scenarios/new", data={**data, "add_row": "shelf"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="shelf-{rows}-ndc"' in html and f'name="shelf-{rows + 1}-ndc"' not in html
    assert 'value="Simvastatin on a written pad"' in html and 'class="errors"' not in html
    response = client.post("/teach/scenarios/new", data={**data, "add_row": "patient-profile"})
    assert 'name="patient-profile-1-generic"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Scenario)) is None


def test_a_scenario_with_a_detail_the_form_lacks_is_edited_as_yaml(client, instructor, app):
    spec = scenario_specs()[WRITTEN]
    spec["lookalike_patients"][0]["allergies"] = ["sulfa"]
    text = yaml.safe_dump({"scenarios": [spec]}, sort_keys=False)
    add_scenarios(text)
    page = client.get(f"/teach/scenarios/{WRITTEN}/edit").get_data(as_text=True)
    assert "has no field for" in page and f"/teach/scenarios/{WRITTEN}/edit/yaml" in page
    assert 'name="prescriber-dea"' not in page


@pytest.mark.parametrize("method, path", [
    ("get", "/teach/scenarios/new"), ("post", "/teach/scenarios/new"),
    ("get", f"/teach/scenarios/{WRITTEN}/edit"), ("post", f"/teach/scenarios/{WRITTEN}/edit"),
    ("get", "/teach/scenarios/new/yaml"), ("post", "/teach/scenarios/new/yaml"),
    ("get", f"/teach/scenarios/{WRITTEN}/edit/yaml"), ("post", f"/teach/scenarios/{WRITTEN}/edit/yaml"),
])
def test_learners_may_not_write_scenarios(client, auth, app, method, path):
    add_scenarios()
    auth.login("learner")
    assert getattr(client, method)(path).status_code == 403


def test_the_two_editors_link_to_each_other(client, instructor, app):
    add_scenarios()
    form_page = client.get(f"/teach/scenarios/{WRITTEN}/edit").get_data(as_text=True)
    assert f'href="/teach/scenarios/{WRITTEN}/edit/yaml"' in form_page
    yaml_page = client.get(f"/teach/scenarios/{WRITTEN}/edit/yaml").get_data(as_text=True)
    assert f'href="/teach/scenarios/{WRITTEN}/edit"' in yaml_page and "id: test-simvastatin-written" in yaml_page
