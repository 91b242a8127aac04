"""Federal rules for controlled-substance prescriptions: refills, partial fills, transfers,
required elements, emergency oral C-II supplies and multiple C-II prescriptions.

    from trainer.rx import controlled
    controlled.check_refills(schedule="CIII", refills=6, written=date(2026, 1, 5), fill_date=date(2026, 3, 1))
    # Check(valid=False, problems=[("refills", "a C-III prescription may carry at most 5 refills… (21 CFR 1306.22(a))")])

These are the federal floor (21 CFR Part 1306). A state may be stricter (shorter
validity, fewer refills, limits on C-V, its own transfer rules); every check that could
differ says so in its notes, and none models any one state.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from trainer.rx.check import Check, Problem, cited, result
from trainer.rx.records import Prescription

SCHEDULES = ("CI", "CII", "CIII", "CIV", "CV")

CFR_1306_05 = "21 CFR 1306.05(a), https://www.ecfr.gov/current/title-21/section-1306.05"
CFR_1306_08 = "21 CFR 1306.08(e), added by 88 FR 48365 (27 July 2023), https://www.ecfr.gov/current/title-21/section-1306.08"
CFR_1306_11 = "21 CFR 1306.11(d), https://www.ecfr.gov/current/title-21/section-1306.11"
CFR_1306_12A = "21 CFR 1306.12(a), https://www.ecfr.gov/current/title-21/section-1306.12"
CFR_1306_12B = "21 CFR 1306.12(b), https://www.ecfr.gov/current/title-21/section-1306.12"
CFR_1306_13 = "21 CFR 1306.13 as amended by 88 FR 46983 (21 July 2023), https://www.ecfr.gov/current/title-21/section-1306.13"
CFR_1306_22 = "21 CFR 1306.22(a), https://www.ecfr.gov/current/title-21/section-1306.22"
CFR_1306_23 = "21 CFR 1306.23, https://www.ecfr.gov/current/title-21/section-1306.23"
CFR_1306_25 = "21 CFR 1306.25(a), https://www.ecfr.gov/current/title-21/section-1306.25"
CSA_SCHEDULE_I = "21 CFR 1308.11; 21 U.S.C. 812(b)(1)"
STATE_NOTE = "This is the federal rule; a state may be stricter, and the stricter rule applies."

MAX_REFILLS_III_IV = 5
C2_SERIES_DAYS = 90
EMERGENCY_FOLLOW_UP_DAYS = 7


def schedule_of(value: object) -> str | None:
    """ "C-II", "CII", "II", "2", "C2" → "CII"; None, "", "Rx", "legend" → None; anything else raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("a schedule is text such as C-II")
    text = str(value).strip().upper().replace("-", "").replace(" ", "").replace("SCHEDULE", "")
    if text in ("", "RX", "LEGEND", "NONE", "OTC"):
        return None
    text = text.removeprefix("C")
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}.get(text, text)
    if roman in ("I", "II", "III", "IV", "V"):
        return "C" + roman
    raise ValueError(f"{str(value)[:20]!r} is not a DEA schedule (C-I to C-V)")


def _pretty(schedule: str) -> str:
    return "C-" + schedule[1:]


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _as_date(value: object, name: str, problems: list[Problem]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    problems.append((name, "must be a date"))
    return None


def _schedule(value: object, problems: list[Problem]) -> tuple[bool, str | None]:
    try:
        return True, schedule_of(value)
    except ValueError as exc:
        problems.append(("schedule", str(exc)))
        return False, None


def _count(value: object, name: str, problems: list[Problem]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 1000:
        problems.append((name, "must be a whole number, zero or more"))
        return None
    return value


def check_refills(
    schedule: object,
    refills: object,
    written: object,
    fill_date: object,
    refill_number: int | None = None,
) -> Check:
    """Whether a prescription may carry `refills` and be filled (or refilled) on `fill_date`.

    `refill_number` (1 for the first refill) also checks that refill is authorised.
    """
    problems: list[Problem] = []
    ok, sched = _schedule(schedule, problems)
    count = _count(refills, "refills", problems)
    issued = _as_date(written, "written", problems)
    filled = _as_date(fill_date, "fill_date", problems)
    if not ok or count is None or issued is None or filled is None:
        return result(problems)
    notes: list[str] = []
    if filled < issued:
        problems.append(
            ("fill_date", "a prescription cannot be filled before the date it was written")
        )
    if refill_number is not None and (
        isinstance(refill_number, bool) or not isinstance(refill_number, int) or refill_number < 0
    ):
        problems.append(("refill_number", "must be a whole number, zero or more"))
        refill_number = None
    if sched == "CI":
        problems.append(
            (
                "schedule",
                cited(
                    "a Schedule I substance has no accepted medical use and cannot be prescribed",
                    CSA_SCHEDULE_I,
                ),
            )
        )
    elif sched == "CII":
        if count > 0:
            problems.append(
                (
                    "refills",
                    cited(
                        f"a C-II prescription may not be refilled; it carries {count} refills",
                        CFR_1306_12A,
                    ),
                )
            )
        if refill_number:
            problems.append(
                (
                    "refill_number",
                    cited(
                        "a C-II prescription is never refilled: a new prescription is needed",
                        CFR_1306_12A,
                    ),
                )
            )
        notes.append(
            "Federal law sets no expiry for a C-II prescription; many states do (some as short as a few days). "
            + STATE_NOTE
        )
    elif sched in ("CIII", "CIV"):
        if count > MAX_REFILLS_III_IV:
            problems.append(
                (
                    "refills",
                    cited(
                        f"a {_pretty(sched)} prescription may carry at most {MAX_REFILLS_III_IV} refills; it carries {count}",
                        CFR_1306_22,
                    ),
                )
            )
        limit = add_months(issued, 6)
        if filled > limit:
            problems.append(
                (
                    "fill_date",
                    cited(
                        f"a {_pretty(sched)} prescription cannot be filled or refilled more than six months after it was written (after {limit.isoformat()})",
                        CFR_1306_22,
                    ),
                )
            )
        if refill_number is not None and refill_number > min(count, MAX_REFILLS_III_IV):
            problems.append(
                (
                    "refill_number",
                    cited(
                        f"refill {refill_number} is not authorised: the prescription allows {min(count, MAX_REFILLS_III_IV)}",
                        CFR_1306_22,
                    ),
                )
            )
        notes.append(STATE_NOTE)
    elif sched == "CV":
        if refill_number is not None and refill_number > count:
            problems.append(
                (
                    "refill_number",
                    f"refill {refill_number} is not authorised: the prescriber allowed {count}",
                )
            )
        notes.append(
            "Federal law sets no refill or time limit for C-V prescriptions beyond what the prescriber "
            "authorises (the five-refills-in-six-months rule of 21 CFR 1306.22 covers only C-III and C-IV). "
            + STATE_NOTE
        )
    else:
        if refill_number is not None and refill_number > count:
            problems.append(
                (
                    "refill_number",
                    f"refill {refill_number} is not authorised: the prescriber allowed {count}",
                )
            )
        notes.append(
            "Federal law sets no refill limit for a non-controlled prescription; states do (often one year from the date written)."
        )
    return result(problems, notes)


def _decimal(value: object, name: str, problems: list[Problem]) -> Decimal | None:
    try:
        number = (
            Decimal(str(value))
            if isinstance(value, (int, float, Decimal, str)) and not isinstance(value, bool)
            else None
        )
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number <= 0 or number > 100_000:
        problems.append((name, "must be a positive amount"))
        return None
    return number


PARTIAL_REASONS = ("patient", "prescriber", "pharmacy_short", "ltcf", "terminal", "emergency_oral")


def check_partial_fills(
    schedule: object,
    prescribed: object,
    fills: list[tuple[date, object]],
    written: object,
    requested_by: str = "patient",
) -> Check:
    """Whether a series of partial fills stays within the quantity and time the rules allow.

    `fills` is (date, quantity) for each dispensing, first one first. `requested_by` is
    "patient" or "prescriber" (the 2023 rule, 30 days from the date written),
    "emergency_oral" (72 hours), "pharmacy_short" (the pharmacy could not supply it all:
    the rest within 72 hours), "ltcf" or "terminal" (60 days).
    """
    problems: list[Problem] = []
    ok, sched = _schedule(schedule, problems)
    total_allowed = _decimal(prescribed, "quantity", problems)
    issued = _as_date(written, "written", problems)
    if requested_by not in PARTIAL_REASONS:
        problems.append(("requested_by", "must be one of " + ", ".join(PARTIAL_REASONS)))
    if not isinstance(fills, (list, tuple)) or not fills or len(fills) > 100:
        problems.append(("fills", "must list each dispensing as (date, quantity)"))
    if problems or not ok or total_allowed is None or issued is None:
        return result(problems)
    dated: list[tuple[date, Decimal]] = []
    for index, item in enumerate(fills):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            problems.append((f"fills[{index}]", "must be (date, quantity)"))
            continue
        day = _as_date(item[0], f"fills[{index}]", problems)
        amount = _decimal(item[1], f"fills[{index}]", problems)
        if day is not None and amount is not None:
            dated.append((day, amount))
    if problems:
        return result(problems)
    notes = [STATE_NOTE]
    total = sum((amount for _, amount in dated), Decimal(0))
    first = dated[0][0]
    if any(day < issued for day, _ in dated):
        problems.append(("fills", "a fill is dated before the prescription was written"))
    if sched == "CII":
        if total > total_allowed:
            problems.append(
                (
                    "quantity",
                    cited(
                        f"the partial fills add up to {total}, more than the {total_allowed} prescribed",
                        CFR_1306_13,
                    ),
                )
            )
        if requested_by in ("patient", "prescriber"):
            deadline, why = issued + timedelta(days=30), "30 days after the date it was written"
        elif requested_by == "emergency_oral":
            deadline, why = (
                issued + timedelta(hours=72),
                "72 hours after an emergency oral prescription was issued",
            )
        elif requested_by == "pharmacy_short":
            deadline, why = (
                first + timedelta(hours=72),
                "72 hours after the first partial fill, when the pharmacy could not supply the full quantity",
            )
            notes.append(
                "If the rest cannot be supplied within 72 hours, the pharmacist notifies the prescriber and no more may be dispensed on this prescription."
            )
        else:
            deadline, why = (
                issued + timedelta(days=60),
                "60 days after the date written, for a patient in a long-term care facility or with a documented terminal illness",
            )
        late = [day for day, _ in dated[1:] if day > deadline]
        if late:
            problems.append(
                (
                    "fills",
                    cited(
                        f"the remaining quantity must be dispensed within {why} (by {deadline.isoformat()}); a fill on {late[0].isoformat()} is too late",
                        CFR_1306_13,
                    ),
                )
            )
    elif sched in ("CIII", "CIV", "CV"):
        if total > total_allowed:
            problems.append(
                (
                    "quantity",
                    cited(
                        f"the partial fills add up to {total}, more than the {total_allowed} prescribed (with refills)",
                        CFR_1306_23,
                    ),
                )
            )
        if sched != "CV":
            limit = add_months(issued, 6)
            late = [day for day, _ in dated if day > limit]
            if late:
                problems.append(
                    (
                        "fills",
                        cited(
                            f"no partial fill may be dispensed more than six months after the date written (after {limit.isoformat()})",
                            CFR_1306_23,
                        ),
                    )
                )
    else:
        if total > total_allowed:
            problems.append(
                (
                    "quantity",
                    f"the fills add up to {total}, more than the {total_allowed} prescribed",
                )
            )
    return result(problems, notes)


def check_transfer(
    schedule: object,
    *,
    electronic: bool,
    filled: bool,
    previous_transfers: int = 0,
    shared_database: bool = False,
    written: object = None,
    transfer_date: object = None,
) -> Check:
    """Whether a prescription may be transferred to another pharmacy.

    An unfilled electronic prescription for C-II to C-V may be transferred once, for its
    initial filling (2023 rule). Refills of C-III to C-V transfer once only, unless the
    pharmacies share a real-time online database.
    """
    problems: list[Problem] = []
    ok, sched = _schedule(schedule, problems)
    count = _count(previous_transfers, "previous_transfers", problems)
    if (
        not isinstance(electronic, bool)
        or not isinstance(filled, bool)
        or not isinstance(shared_database, bool)
    ):
        problems.append(
            ("transfer", "electronic, filled and shared_database must be true or false")
        )
    if problems or not ok or count is None:
        return result(problems)
    notes = [STATE_NOTE]
    if sched is None:
        notes.insert(
            0,
            "Federal law does not limit transfers of non-controlled prescriptions; state rules apply.",
        )
        return result([], notes)
    if sched == "CI":
        return result(
            [("schedule", cited("a Schedule I substance cannot be prescribed", CSA_SCHEDULE_I))]
        )
    if not filled:
        if not electronic:
            problems.append(
                (
                    "transfer",
                    cited(
                        f"only an electronic {_pretty(sched)} prescription may be transferred for its initial filling; a paper, oral or faxed one may not",
                        CFR_1306_08,
                    ),
                )
            )
        elif count > 0:
            problems.append(
                (
                    "transfer",
                    cited(
                        "an unfilled electronic controlled-substance prescription may be transferred for initial filling once only",
                        CFR_1306_08,
                    ),
                )
            )
        else:
            notes.insert(
                0,
                cited(
                    "Allowed once, at the patient's request, pharmacist to pharmacist, and the prescription stays electronic; any refills go with it",
                    CFR_1306_08,
                ),
            )
        return result(problems, notes)
    if sched == "CII":
        problems.append(
            (
                "transfer",
                cited(
                    "a C-II prescription that has been filled has no refills left to transfer",
                    CFR_1306_12A,
                ),
            )
        )
        return result(problems, notes)
    if count >= 1 and not shared_database:
        problems.append(
            (
                "transfer",
                cited(
                    f"refills of a {_pretty(sched)} prescription may be transferred one time only, unless the pharmacies share a real-time online database",
                    CFR_1306_25,
                ),
            )
        )
    if sched in ("CIII", "CIV") and written is not None and transfer_date is not None:
        issued = _as_date(written, "written", problems)
        moved = _as_date(transfer_date, "transfer_date", problems)
        if issued and moved and moved > add_months(issued, 6):
            problems.append(
                (
                    "transfer_date",
                    cited(
                        "the prescription expired six months after it was written; there is nothing left to transfer",
                        CFR_1306_22,
                    ),
                )
            )
    return result(problems, notes)


# The elements 21 CFR 1306.05(a) requires, by the Prescription field that holds each.
REQUIRED_ELEMENTS = (
    ("written", "the date of issue"),
    ("patient.name", "the patient's full name"),
    ("patient.address", "the patient's address"),
    ("drug", "the drug name"),
    ("strength", "the strength"),
    ("dosage_form", "the dosage form"),
    ("quantity", "the quantity prescribed"),
    ("sig", "directions for use"),
    ("prescriber.name", "the practitioner's name"),
    ("prescriber.address", "the practitioner's address"),
    ("prescriber.dea", "the practitioner's DEA registration number"),
    ("signed", "the practitioner's signature"),
)


def check_required_elements(prescription: object) -> Check:
    """Whether a controlled-substance prescription carries every element 21 CFR 1306.05(a) requires."""
    if not isinstance(prescription, Prescription):
        return result([("prescription", "must be a Prescription")])
    rx = prescription
    present = {
        "written": rx.written is not None,
        "patient.name": bool(rx.patient.first_name.strip() and rx.patient.last_name.strip()),
        "patient.address": bool(str(rx.patient.address).strip()),
        "drug": bool(rx.drug.strip()),
        "strength": bool(rx.strength.strip()),
        "dosage_form": bool(rx.dosage_form.strip()),
        "quantity": rx.quantity is not None and rx.quantity > 0,
        "sig": bool(rx.sig.strip()),
        "prescriber.name": rx.prescriber is not None and bool(rx.prescriber.last_name.strip()),
        "prescriber.address": rx.prescriber is not None
        and bool(str(rx.prescriber.address).strip()),
        "prescriber.dea": rx.prescriber is not None and bool((rx.prescriber.dea or "").strip()),
        "signed": rx.signed or rx.origin == "oral",
    }
    try:
        sched = schedule_of(rx.schedule)
    except ValueError:
        return result([("schedule", "is not a DEA schedule")])
    problems: list[Problem] = []
    for name, what in REQUIRED_ELEMENTS:
        if not present[name]:
            citation = CFR_1306_05 if sched else "the state's required prescription elements"
            problems.append((name, cited(f"{what} is missing", citation)))
    notes = []
    if sched is None:
        notes.append(
            "Non-controlled prescriptions follow the state's list of required elements; a DEA number is not required for them."
        )
        problems = [
            p
            for p in problems
            if p[0] not in ("prescriber.dea", "patient.address", "prescriber.address")
        ]
    if sched == "CII" and rx.origin == "oral":
        notes.append(
            cited(
                "An oral C-II prescription is allowed only in an emergency; see the emergency supply rule",
                CFR_1306_11,
            )
        )
    return result(problems, notes)


def check_emergency_c2(
    called_in: object,
    follow_up_received: object = None,
    today: object = None,
    *,
    quantity_for_emergency_only: bool = True,
) -> Check:
    """An emergency oral C-II: quantity for the emergency period, written follow-up within 7 days."""
    problems: list[Problem] = []
    called = _as_date(called_in, "called_in", problems)
    if problems or called is None:
        return result(problems)
    due = called + timedelta(days=EMERGENCY_FOLLOW_UP_DAYS)
    notes = [
        f"The prescriber must deliver the written or electronic prescription by {due.isoformat()}."
    ]
    if not quantity_for_emergency_only:
        problems.append(
            (
                "quantity",
                cited(
                    "an emergency oral C-II is limited to the amount needed to treat the patient during the emergency period",
                    CFR_1306_11,
                ),
            )
        )
    received = None
    if follow_up_received is not None:
        received = _as_date(follow_up_received, "follow_up_received", problems)
    now = _as_date(today, "today", problems) if today is not None else None
    if received is not None and received > due:
        problems.append(
            (
                "follow_up_received",
                cited(
                    f"the follow-up prescription arrived after the 7-day limit ({due.isoformat()}): the pharmacist must notify the DEA",
                    CFR_1306_11,
                ),
            )
        )
    elif received is None and now is not None and now > due:
        problems.append(
            (
                "follow_up_received",
                cited(
                    f"no follow-up prescription by {due.isoformat()}: the pharmacist must notify the nearest DEA Diversion Field Office",
                    CFR_1306_11,
                ),
            )
        )
    return result(problems, notes)


def check_c2_series(prescriptions: list[tuple[date, object, int]], written: object) -> Check:
    """Multiple C-II prescriptions written the same day: at most a 90-day supply, each with its earliest fill date.

    Each item is (earliest fill date or None, quantity, days supply).
    """
    problems: list[Problem] = []
    issued = _as_date(written, "written", problems)
    if not isinstance(prescriptions, (list, tuple)) or not prescriptions or len(prescriptions) > 20:
        problems.append(
            ("prescriptions", "must list (earliest fill date, quantity, days supply) for each")
        )
    if problems or issued is None:
        return result(problems)
    total_days = 0
    for index, item in enumerate(prescriptions):
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            problems.append(
                (f"prescriptions[{index}]", "must be (earliest fill date, quantity, days supply)")
            )
            continue
        earliest, _quantity, days = item
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            problems.append(
                (f"prescriptions[{index}]", "the days supply must be a positive whole number")
            )
            continue
        total_days += days
        if index > 0 and earliest is None:
            problems.append(
                (
                    f"prescriptions[{index}]",
                    cited(
                        "each later prescription of the series must state the earliest date it may be filled",
                        CFR_1306_12B,
                    ),
                )
            )
        elif (
            earliest is not None
            and _as_date(earliest, f"prescriptions[{index}]", problems)
            and earliest < issued
        ):
            problems.append(
                (f"prescriptions[{index}]", "the earliest fill date is before the date written")
            )
    if total_days > C2_SERIES_DAYS:
        problems.append(
            (
                "prescriptions",
                cited(
                    f"the series adds up to {total_days} days; multiple C-II prescriptions may cover at most a {C2_SERIES_DAYS}-day supply",
                    CFR_1306_12B,
                ),
            )
        )
    return result(problems, [STATE_NOTE])
