"""Generate and grade a 90-question attempt with 30 calculated items from the shipped bank.

Pure and in-process (trainer.questions only, no database): what starting and submitting
a mock exam costs in question code. Target: under 50 ms. The bank is loaded once,
outside the timing; the time reported is the best of several runs, each with new seeds.
Exit status 1 if the target is missed.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from trainer.questions import generate_question, grade_response, public_question_view  # noqa: E402
from trainer.questions.bank import load_bank_dir  # noqa: E402

TARGET_MS = 50.0
QUESTIONS = 90
CALCULATED = 30
RUNS = 7


def key_response(instance: dict):
    """The answer a learner who knows it would give, in the shape the web layer stores."""
    qtype = instance["type"]
    if qtype in ("numeric", "calculated"):
        return instance["answer_text"]
    if qtype == "short_answer":
        return instance["answers"][0]
    return instance["key"]


def pick(bank, rng: random.Random) -> list[dict]:
    """30 calculated templates and 60 other questions, in a shuffled order, as a mock exam draws them."""
    published = [q for q in bank.questions.values() if q.get("status", "published") == "published"]
    calculated = sorted((q for q in published if q["type"] == "calculated"), key=lambda q: q["id"])
    others = sorted((q for q in published if q["type"] != "calculated"), key=lambda q: q["id"])
    chosen = rng.sample(calculated, CALCULATED) + rng.sample(others, QUESTIONS - CALCULATED)
    rng.shuffle(chosen)
    return chosen


def attempt(questions: list[dict], seed: int) -> float:
    """Generate, show and grade every question; the score out of 90."""
    total = 0.0
    for position, question in enumerate(questions):
        instance = generate_question(question, seed * 1_000_003 + position * 7919, shuffle_choices=True)
        public_question_view(instance)
        total += grade_response(instance, key_response(instance)).score
    return total


def main() -> int:
    bank = load_bank_dir(ROOT / "question_bank")
    rng = random.Random(2026)
    questions = pick(bank, rng)
    attempt(questions, 1)  # warm caches (unit registry, compiled formulas)
    timings = []
    for run in range(RUNS):
        started = time.perf_counter()
        score = attempt(questions, 1000 + run)
        timings.append((time.perf_counter() - started) * 1000)
        if score != QUESTIONS:
            print(f"graded {score:g}/{QUESTIONS} with every key: a key did not grade as correct")
            return 1
    best = min(timings)
    median = sorted(timings)[len(timings) // 2]
    ok = best < TARGET_MS
    print(f"90-question attempt ({CALCULATED} calculated) generated and graded: "
          f"best {best:.1f} ms, median {median:.1f} ms (target < {TARGET_MS:g} ms) {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
