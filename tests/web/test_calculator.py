"""The calculator page and the calculation API."""

from __future__ import annotations

import pytest

from trainer.calc import FAMILIES


def test_the_calculator_lists_every_family(client):
    page = client.get("/calculator/").get_data(as_text=True)
    for family in FAMILIES.values():
        assert f'href="/calculator/{family.name}"' in page


def test_the_calculator_is_open_to_visitors(client):
    assert client.get("/calculator/dose_volume").status_code == 200


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_has_a_form_that_solves_its_own_example(client, name):
    family = FAMILIES[name]
    response = client.post(f"/calculator/{name}", data=family.example_params())
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Worked solution" in page


def test_the_answer_and_steps_are_shown(client):
    page = client.post("/calculator/dose_volume",
                       data={"dose": "400 mg", "concentration": "250 mg/5 mL"}).get_data(as_text=True)
    assert '<p class="answer">8 mL</p>' in page
    assert '<ol class="steps">' in page


def test_an_error_appears_beside_its_field_and_the_input_is_kept(client):
    response = client.post("/calculator/dose_volume", data={"dose": "400 mg", "concentration": "250 mg"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error_at = page.index('id="concentration-error"')
    assert page.index('name="concentration"') < error_at
    assert 'value="250 mg"' in page


def test_a_missing_parameter_is_reported_beside_it(client):
    page = client.post("/calculator/dose_volume", data={"dose": "400 mg"}).get_data(as_text=True)
    assert 'id="concentration-error"' in page


def test_the_example_link_fills_the_form(client):
    family = FAMILIES["dose_volume"]
    page = client.get("/calculator/dose_volume?example=1").get_data(as_text=True)
    for value in family.example_params().values():
        assert f'value="{value}"' in page


def test_an_unknown_family_page_is_404(client):
    assert client.get("/calculator/no_such_family").status_code == 404


def test_the_calculator_form_needs_csrf(client):
    assert client.post("/calculator/dose_volume", data={"dose": "1 mg"}, csrf=False).status_code == 400


def test_the_calculator_is_rate_limited(make_app):
    app = make_app(CALC_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.post("/calculator/dose_volume", data={"dose": "1 mg"}).status_code for _ in range(4)]
    assert statuses[-1] == 429


# --- the JSON API ----------------------------------------------------------------------

def test_the_api_solves_a_family(client):
    response = client.post("/api/v1/calc/dose_volume", json={"dose": "400 mg", "concentration": "250 mg/5 mL"})
    body = response.get_json()
    assert response.status_code == 200
    assert (body["value"], body["unit"], body["text"]) == ("8", "mL", "8 mL")
    assert body["steps"] and isinstance(body["extra"], dict)


def test_the_api_returns_extra_answers(client):
    body = client.post("/api/v1/calc/weight_based_dose",
                       json={"weight": "44 lb", "dose_rate": "10 mg/kg/day", "doses_per_day": 2}).get_json()
    assert body["text"] == "100 mg" and body["extra"]["daily_dose"]["text"] == "200 mg"


def test_a_calculation_error_is_400_with_the_field(client):
    response = client.post("/api/v1/calc/dose_volume", json={"dose": "400 mg", "concentration": "250 mg"})
    body = response.get_json()
    assert response.status_code == 400
    assert body["field"] == "concentration" and body["error"]


def test_an_unknown_family_is_404_with_the_list_of_families(client):
    response = client.post("/api/v1/calc/nope", json={})
    assert response.status_code == 404
    assert response.get_json()["families"] == list(FAMILIES)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'"text"', b"null", b'{"dose": {"nested": 1}}', b'{"dose": [1]}',
     b'{"dose": true}', b"{" + b'"a":' * 10 + b"1", "{\"dose\": \"\u0000\"}".encode()],
)
def test_a_malformed_body_is_400_never_500(client, body):
    response = client.post("/api/v1/calc/dose_volume", data=body, content_type="application/json")
    assert response.status_code == 400 and "error" in response.get_json()


def test_the_api_lists_families_with_their_parameters(client):
    body = client.get("/api/v1/calc").get_json()
    assert [f["name"] for f in body["families"]] == list(FAMILIES)


def test_the_api_needs_no_csrf_token(client):
    response = client.post("/api/v1/calc/roman", json={"value": "XIV"})
    assert response.get_json()["value"] == "14"


def test_the_api_is_rate_limited(make_app):
    app = make_app(CALC_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/api/v1/calc/roman", json={"value": "XIV"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
