"""Writing a calculated question with a form: variables with ranges or choices, worked-out values,
the answer from a calculation family or a formula, units, rounding, tolerance and the plausible
range, with the YAML view one button away. Both views describe the same template and switch
without loss; every problem is shown beside its input, and nothing typed is lost."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import func, select

from tests.factories.bank import make_question, question_data
from trainer.extensions import db
from trainer.models import Question, QuestionVersion

NEW = "/teach/questions/new/calculated"


class _FormReader(HTMLParser):
    """The values a browser would post from the page's question form, and the ids of error lists."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._error_id: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "question-form":
            self._in_form = True
        if tag == "ul" and "errors" in (attrs.get("class") or "") and attrs.get("id"):
            self._error_id = attrs["id"]
            self.errors[self._error_id] = ""
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit",):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            else:
                self.values[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None
        if tag == "ul":
            self._error_id = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data
        if self._error_id:
            self.errors[self._error_id] += data


def read(html: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(html)
    # a textarea's first newline is not part of its value
    reader.values = {k: v.removeprefix("\r\n").removeprefix("\n") for k, v in reader.values.items()}
    return reader


def open_form(client, url=NEW) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return read(response.get_data(as_text=True)).values


def post(client, url, values: dict, action="save"):
    return client.post(url, data={**values, "action": action})


def filled(values: dict, **changes) -> dict:
    """The new-question form with the common inputs filled in and `changes` applied."""
    data = question_data("calc-form-001", "calculated")
    values = {**values, "id": "calc-form-001", "stem": data["stem"], "explanation": data["explanation"],
              "tags": "dose-volume", "blueprint": "ptce-2020:4.2", "references": "USP <1160>",
              "status": "published"}
    values.update({f"calc-{k}": v for k, v in changes.items()})
    return values


def saved(uid="calc-form-001") -> dict | None:
    db.session.expire_all()
    question = db.session.scalar(select(Question).where(Question.uid == uid))
    return question.data if question else None


# --- the form --------------------------------------------------------------------------


def test_a_new_calculated_question_opens_on_the_form_with_an_example(client, instructor):
    page = client.get(NEW).get_data(as_text=True)
    values = read(page).values
    assert values["spec_view"] == "form"
    assert (values["calc-var-0-name"], values["calc-var-0-min"], values["calc-var-0-max"],
            values["calc-var-0-step"]) == ("dose", "100", "500", "50")
    assert (values["calc-var-1-name"], values["calc-var-1-choices"]) == ("strength", "125, 250, 400")
    assert values["calc-family"] == "dose_volume" and values["calc-method"] == "family"
    assert values["calc-param-0-name"] == "dose" and values["calc-param-0-value"] == "{dose} mg"
    assert values["calc-unit"] == "mL" and values["calc-tolerance"] == "0.05"
    assert (values["calc-sanity_min"], values["calc-sanity_max"]) == ("0.5", "60")
    assert "spec" not in values  # no YAML box in the form view
    assert "Edit as YAML" in page and '<option value="dose_volume" selected>Dose volume</option>' in page


def test_a_question_written_in_the_form_is_saved_as_the_same_template(client, instructor):
    response = post(client, NEW, filled(open_form(client)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    data = saved()
    assert data["variables"] == {"dose": {"min": 100, "max": 500, "step": 50},
                                 "strength": {"choices": [125, 250, 400]}}
    assert data["answer"] == {"family": "dose_volume", "round_to": "0.1",
                              "params": {"dose": "{dose} mg", "concentration": "{strength} mg/5 mL"}}
    assert (data["unit"], data["tolerance"], data["sanity"]) == ("mL", 0.05, {"min": 0.5, "max": 60})


def test_a_formula_answer_with_a_worked_out_value_and_learner_rounding(client, instructor):
    values = filled(open_form(client), **{
        "method": "formula", "formula": "dose_ml * 2", "family": "", "param-0-name": "", "param-0-value": "",
        "param-1-name": "", "param-1-value": "", "der-0-name": "dose_ml", "der-0-value": "dose / strength * 5",
        "round_to": "0.1", "tolerance": "", "tolerance_percent": "1", "sanity_max": "200"})
    values["stem"] = "Give {dose} mg twice from {strength} mg/5 mL. How many mL in all?"
    response = post(client, NEW, values)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    data = saved()
    assert data["derived"] == {"dose_ml": "dose / strength * 5"}
    assert data["answer"] == {"formula": "dose_ml * 2", "round_to": "0.1"}
    assert data["round_to"] == "0.1" and data["tolerance_percent"] == 1 and "tolerance" not in data


def test_editing_a_saved_question_in_the_form_and_saving_unchanged_changes_nothing(client, instructor):
    make_question("calc-round-trip", "calculated", safety={"naked_decimal": "penalise"}, actor=instructor)
    url = "/teach/questions/calc-round-trip/edit"
    values = open_form(client, url)
    assert values["spec_view"] == "form" and "naked_decimal: penalise" in values["calc-more"]
    response = post(client, url, values)
    assert response.status_code == 302
    assert "Nothing changed" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1


# --- problems beside their inputs, nothing lost -------------------------------------------


def test_a_bad_step_is_shown_beside_its_variable_and_every_input_keeps_what_was_typed(client, instructor):
    values = filled(open_form(client), **{"var-0-step": "0", "var-2-name": "weight", "var-2-min": "2",
                                          "var-2-max": "40"})
    response = post(client, NEW, values)
    assert response.status_code == 422
    page = read(response.get_data(as_text=True))
    assert "step: must be more than zero" in page.errors["calcq-var-0-error"]
    assert page.values["calc-var-0-step"] == "0"
    assert (page.values["calc-var-2-name"], page.values["calc-var-2-max"]) == ("weight", "40")
    assert page.values["stem"].startswith("The order is amoxicillin")
    assert 'Please correct the calculation' in response.get_data(as_text=True)
    assert '<a href="#calcq-var-0-name">Variable 1</a>' in response.get_data(as_text=True)
    assert saved() is None


def test_an_unknown_family_is_shown_beside_the_family(client, instructor):
    response = post(client, NEW, filled(open_form(client), family="dose_volumes"))
    assert response.status_code == 422
    page = read(response.get_data(as_text=True))
    assert "unknown calculation family" in page.errors["calcq-family-error"]
    assert page.values["calc-family"] == "dose_volumes"


def test_a_value_the_family_does_not_take_is_shown_beside_its_row(client, instructor):
    response = post(client, NEW, filled(open_form(client), **{"param-1-name": "strength"}))
    page = read(response.get_data(as_text=True))
    assert "dose_volume has no parameter 'strength'" in page.errors["calcq-param-1-error"]


def test_a_draw_outside_the_plausible_range_is_shown_beside_the_range(client, instructor):
    response = post(client, NEW, filled(open_form(client), sanity_max="5"))
    assert response.status_code == 422
    errors = read(response.get_data(as_text=True)).errors["calcq-sanity-error"]
    assert "is outside 0.5–5" in errors and "dose=" in errors


def test_a_bad_tolerance_and_unit_are_shown_beside_them(client, instructor):
    response = post(client, NEW, filled(open_form(client), tolerance="a bit", unit="m L !"))
    page = read(response.get_data(as_text=True))
    assert "must be a number zero or more" in page.errors["calcq-tolerance-error"]
    assert "must be a unit" in page.errors["calcq-unit-error"]
    assert page.values["calc-tolerance"] == "a bit"


def test_a_variable_named_twice_is_refused_by_its_row_before_anything_else(client, instructor):
    response = post(client, NEW, filled(open_form(client), **{"var-1-name": "dose"}))
    assert response.status_code == 422
    page = read(response.get_data(as_text=True))
    assert "dose is already a variable above" in page.errors["calcq-var-1-error"]
    assert page.values["calc-var-1-choices"] == "125, 250, 400"


def test_more_settings_that_are_not_yaml_are_kept_as_typed_with_the_error(client, instructor):
    response = post(client, NEW, filled(open_form(client), more="safety: {naked_decimal: [penalise"))
    assert response.status_code == 422
    page = read(response.get_data(as_text=True))
    assert page.values["calc-more"] == "safety: {naked_decimal: [penalise"
    assert page.errors["calcq-more-error"]


# --- switching between the form and YAML -----------------------------------------------------


def test_switching_to_yaml_shows_the_same_template_and_back_again_loses_nothing(client, instructor):
    values = filled(open_form(client), **{"var-2-name": "weight", "var-2-min": "2", "var-2-max": "40",
                                          "var-2-step": "0.5"})
    as_yaml = read(post(client, NEW, values, action="view-yaml").get_data(as_text=True)).values
    assert as_yaml["spec_view"] == "yaml"
    assert "weight: {min: 2, max: 40, step: 0.5}" in as_yaml["spec"]
    assert "family: dose_volume" in as_yaml["spec"]
    assert as_yaml["stem"] == values["stem"]  # the rest of the editor comes along
    back = read(post(client, NEW, as_yaml, action="view-form").get_data(as_text=True)).values
    for name in ("calc-var-0-name", "calc-var-1-choices", "calc-var-2-name", "calc-var-2-step", "calc-family",
                 "calc-param-1-value", "calc-unit", "calc-tolerance", "calc-sanity_max"):
        assert back[name] == values[name], name


def test_a_change_made_in_yaml_appears_in_the_form(client, instructor):
    as_yaml = read(post(client, NEW, filled(open_form(client)), action="view-yaml").get_data(as_text=True)).values
    as_yaml["spec"] = as_yaml["spec"].replace("tolerance: 0.05", "tolerance: 0.1")
    back = read(post(client, NEW, as_yaml, action="view-form").get_data(as_text=True)).values
    assert back["calc-tolerance"] == "0.1"


def test_saving_from_the_yaml_view_works_as_before(client, instructor):
    as_yaml = read(post(client, NEW, filled(open_form(client)), action="view-yaml").get_data(as_text=True)).values
    assert post(client, NEW, as_yaml).status_code == 302
    assert saved()["answer"]["family"] == "dose_volume"


def test_yaml_that_does_not_parse_stays_in_the_yaml_view_with_the_error_beside_it(client, instructor):
    as_yaml = read(post(client, NEW, filled(open_form(client)), action="view-yaml").get_data(as_text=True)).values
    as_yaml["spec"] = "variables: {dose: [1, 2"
    page = read(post(client, NEW, as_yaml, action="view-form").get_data(as_text=True))
    assert page.values["spec_view"] == "yaml" and page.values["spec"] == "variables: {dose: [1, 2"
    assert "The form cannot show this" in page.errors["spec-error"]


def test_a_template_the_form_cannot_show_exactly_opens_in_yaml_with_the_reason(client, instructor):
    make_question("calc-text-choice", "calculated", stem="Give {dose} mg of {drug}.",
                  variables={"dose": {"min": 100, "max": 500, "step": 50}, "strength": {"choices": [125, 250]},
                             "drug": {"choices": ["amoxicillin, oral", "cefalexin"]}}, actor=instructor)
    page = client.get("/teach/questions/calc-text-choice/edit").get_data(as_text=True)
    values = read(page).values
    assert values["spec_view"] == "yaml" and "amoxicillin, oral" in values["spec"]
    assert "the form cannot show it without changing it" in page and "holds a comma" in page


# --- the preview ------------------------------------------------------------------------------


def test_the_live_preview_draws_what_the_form_says(client, instructor):
    values = filled(open_form(client), **{"var-0-min": "200", "var-0-max": "200"})
    values["type"] = "calculated"
    page = client.post("/teach/questions/preview", data=values).get_data(as_text=True)
    assert "As a learner sees it" in page and "amoxicillin 200 mg" in page


def test_the_preview_reports_the_forms_own_problems(client, instructor):
    values = filled(open_form(client), **{"var-1-name": "dose"})
    values["type"] = "calculated"
    page = client.post("/teach/questions/preview", data=values).get_data(as_text=True)
    assert "dose is already a variable above" in page
