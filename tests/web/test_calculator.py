"""The calculator page and the calculation API."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.unit.calc.test_calc_bad_input import BAD
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


def _form_rows():
    """The bad-input rows whose error names a field the family's form has."""
    for row in BAD:
        family, params, field, words = row.values
        spec = FAMILIES.get(family)
        if spec is None or spec.param(field) is None or any(v is None for v in params.values()):
            continue
        yield pytest.param(family, {k: str(v) for k, v in params.items()}, field, words, id=row.id)


@pytest.mark.parametrize(("family", "params", "field", "words"), list(_form_rows()))
def test_every_familys_errors_appear_beside_their_field(client, family, params, field, words):
    response = client.post(f"/calculator/{family}", data=params)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    start = page.index(f'<ul class="errors" id="{field}-error">')
    errors = page[start:page.index("</ul>", start)]
    assert str(escape(words)) in errors
    assert page.index(f'name="{field}"') < start
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert str(escape(words)) not in summary, "the error sits beside its field, not only in the summary"
    for name, value in params.items():
        assert f'value="{escape(value)}"' in page, f"{name} keeps what was typed"


def test_form_rows_cover_every_family():
    assert {row.values[0] for row in _form_rows()} == set(FAMILIES)


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
     b'{"dose": true}', b"{" + b'"a":' * 10 + b"1", "{\"dose\": \"\u0000\"}".encode(),
     # nested past the JSON parser's recursion limit: it raises RecursionError, not ValueError
     b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000],
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


def test_a_refused_api_call_says_when_to_come_back(make_app):
    client = make_app(CALC_RATE_LIMIT="1 per minute").test_client()
    client.post("/api/v1/calc/roman", json={"value": "XIV"})
    refused = client.post("/api/v1/calc/roman", json={"value": "XIV"})
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # the window, rounded up to the second


def test_an_allowed_api_call_asks_the_limit_store_once(make_app):
    # The X-RateLimit-* figures would cost a second trip to the shared store per call.
    response = make_app(CALC_RATE_LIMIT="5 per minute").test_client().post(
        "/api/v1/calc/roman", json={"value": "XIV"})
    assert not [name for name, _ in response.headers if name.lower().startswith("x-ratelimit")]


# --- fuzzing the calculator page and the API through the test client ------------------

UNITISH = ["mg", "mcg", "µg", "g", "kg", "lb", "mL", "L", "tsp", "units", "mEq", "gtt", "tab", "cap",
           "hr", "min", "m2", "%", "F", "C", "$", "USD", "/", ":", "mg/kg/day", "mg/5 mL", "gtt/mL",
           "units/mL", "mL/hr", "1:1000", "U-100", "ss", "XIV", "bid", "q6h", "qd", "½", ""]
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False))
TEXT = st.one_of(
    st.text(max_size=40),
    st.builds(lambda n, u: f"{n} {u}", NUMBERS, st.sampled_from(UNITISH)),
    st.builds(lambda n, u, m, v: f"{n} {u}/{m} {v}", NUMBERS, st.sampled_from(UNITISH), NUMBERS, st.sampled_from(UNITISH)),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
FUZZ = settings(max_examples=150, deadline=None)


def _params(family: str):
    names = [p.name for p in FAMILIES[family].params] + ["round_to"]
    keys = st.one_of(st.sampled_from(names), st.text(max_size=12))
    return st.dictionaries(keys, JSON_VALUES, max_size=len(names) + 1)


def _body():
    """A JSON object of plausible and hostile parameters, or any JSON, or raw bytes."""
    family = st.sampled_from(list(FAMILIES))
    return st.one_of(
        family.flatmap(lambda name: st.tuples(st.just(name), _params(name).map(json.dumps).map(str.encode))),
        st.tuples(family, JSON_VALUES.map(json.dumps).map(str.encode)),
        st.tuples(family, st.binary(max_size=60)),
        st.tuples(st.text(st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), min_size=1, max_size=20),
                  st.just(b"{}")),
    )


def test_the_api_never_answers_500(make_app):
    client = make_app(CALC_RATE_LIMIT="1000000 per minute").test_client()

    @FUZZ
    @given(case=_body())
    def check(case):
        name, body = case
        response = client.post(f"/api/v1/calc/{quote(name, safe='')}", data=body, content_type="application/json")
        assert response.status_code in (200, 400, 404), (name, body, response.get_data(as_text=True))
        answer = response.get_json()
        if response.status_code == 200:
            assert set(answer) == {"value", "unit", "text", "steps", "extra"}
            assert Decimal(answer["value"]).is_finite() and answer["text"] and answer["steps"]
        elif response.status_code == 400:
            assert set(answer) == {"error", "field"}
            assert answer["error"] and not answer["error"].startswith("internal error")
            assert answer["field"] is None or isinstance(answer["field"], str)
        elif name.strip() and name not in FAMILIES and name not in (".", ".."):
            assert answer["families"] == list(FAMILIES)

    check()


def test_the_calculator_page_never_answers_500(make_app):
    client = make_app(CALC_RATE_LIMIT="1000000 per minute").test_client()

    @FUZZ
    @given(data=st.data())
    def check(data):
        family = data.draw(st.sampled_from(list(FAMILIES)))
        names = [p.name for p in FAMILIES[family].params] + ["round_to"]
        form = data.draw(st.dictionaries(st.sampled_from(names), TEXT, max_size=len(names)))
        response = client.post(f"/calculator/{family}", data=form)
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 400), (family, form)
        assert "internal error" not in page, (family, form)
        if response.status_code == 200:
            assert "Worked solution" in page

    check()
