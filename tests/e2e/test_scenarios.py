"""In a real browser, keyboard only: a learner plays a shipped prescription scenario from the
list to the debrief, moving with Tab, choosing with the arrow keys and Space, typing, and
sending each form with Enter. No mouse click and no script is used to fill a field."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e

SCENARIO = "oxycodone-written-clean"  # a written C-II, a wrong-strength bottle beside the right one
MAX_TABS = 200


def key_of(slug: str):
    """The scenario's key as the rules core computes it (the shipped file, the shipped drug data)."""
    from trainer.rx.scenarios import entry_key, load_dir
    from trainer.rx.scenarios.loader import default_drugs

    scenario = next(s for s in load_dir("question_bank/scenarios", default_drugs()) if s.id == slug)
    return scenario, entry_key(scenario)


def focused(page, selector: str) -> bool:
    """Whether the focus is on an element `selector` (a Playwright selector) finds."""
    return page.locator(selector).evaluate_all("(els) => els.includes(document.activeElement)")


def tab_to(page, selector: str) -> None:
    """Press Tab until an element matching `selector` has the focus (it must be reachable)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys to the wanted option."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    page.keyboard.press("Space")
    target = f'input[type=radio][name="{name}"][value="{value}"]'
    for _ in range(30):
        if page.locator(target).is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"arrow keys never reached {value!r} in {name}")


def choose_option(page, selector: str, value: str) -> None:
    """Tab to a select and move through its options with the arrow keys."""
    tab_to(page, selector)
    for _ in range(300):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"arrow keys never reached {value!r} in {selector}")


def submit_with_enter(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")


def test_a_learner_plays_a_scenario_end_to_end_with_the_keyboard(page, server):
    scenario, key = key_of(SCENARIO)
    log_in(page, server.learner)
    page.goto(f"/scenarios/{SCENARIO}")
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.title)
    choose_radio(page, "mode", "assessed")
    submit_with_enter(page, "form button[type=submit]:has-text('Start')")
    page.wait_for_url("**/runs/*/review")

    # 1 review: the written pad with a handwritten sig; fill it
    expect(page.locator(".rx-pad")).to_be_visible()
    expect(page.locator(".rx-pad .hand").first).to_be_visible()
    choose_radio(page, "action", "fill")
    submit_with_enter(page, "button:has-text('Save and continue')")
    page.wait_for_url("**/entry")

    # 2 entry
    choose_radio(page, "patient", key.patient_id)
    choose_radio(page, "prescriber", key.prescriber_id)
    choose_option(page, "#drug", key.drug)
    type_into(page, "#directions", key.directions)
    type_into(page, "#quantity", "thirty")  # bad input first: refused beside the field, the rest kept
    type_into(page, "#days_supply", str(key.days_supply))
    type_into(page, "#refills", str(key.refills))
    choose_option(page, "#daw", str(key.daw))
    submit_with_enter(page, "button:has-text('Save and continue')")
    expect(page.locator("#quantity-error")).to_contain_text("Give the quantity as a number")
    expect(page.locator("#directions")).to_have_value(key.directions)
    type_into(page, "#quantity", f"{key.quantity.normalize():f}")
    submit_with_enter(page, "button:has-text('Save and continue')")
    page.wait_for_url("**/product")

    # 3 product: the right bottle, its NDC typed as printed
    page.reload()  # a reload in the middle of the run keeps it where it was
    expect(page.get_by_role("heading", level=2)).to_contain_text("Select the product")
    ndc = scenario.expected.ndc
    choose_radio(page, "shelf", ndc)
    type_into(page, "#ndc", ndc)
    submit_with_enter(page, "button:has-text('Save and continue')")
    page.wait_for_url("**/claim")

    # 4 claim: send it as the entry filled it, then finish the step
    expect(page.locator("#quantity")).to_have_value(f"{key.quantity.normalize():f}")
    submit_with_enter(page, "button[value=send]")
    expect(page.locator(".payer-response.is-latest")).to_contain_text("PAID")
    submit_with_enter(page, "button[value=finish]")
    page.wait_for_url("**/label")

    # 5 label: correct as printed
    expect(page.locator(".rx-label")).to_contain_text(key.directions)
    submit_with_enter(page, "button:has-text('Save and continue')")
    page.wait_for_url("**/finish")
    submit_with_enter(page, "button:has-text('Finish and see the debrief')")
    page.wait_for_url("**/debrief")
    expect(page.locator(".lead")).to_contain_text(re.compile(r"Score 100%"))
    expect(page.locator("table.step-scores")).to_contain_text("Check the label")
