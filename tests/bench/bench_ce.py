"""Benchmark for trainer.ce: one technician's CE counted against every shipped rule set.

    .venv/bin/python tests/bench/bench_ce.py [--rounds N]

The CE dashboard and the compliance report call the engine once per credential. The
target: a heavy record (300 activities over two cycles, some capped, some duplicated,
some outside the cycle) counted against all three rule sets takes at most 15 ms, so a
compliance report over 100 such learners stays under about 1.5 s of engine time. The
script prints the median of N rounds and exits 1 when it misses the target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from trainer.ce import Activity, load_rules, progress  # noqa: E402

BUDGET_MS = 15.0
CYCLE_START, CYCLE_END, TODAY = date(2025, 1, 1), date(2026, 12, 31), date(2026, 6, 1)


def record(rng: random.Random, size: int) -> list[Activity]:
    activities = []
    for n in range(size):
        day = CYCLE_START + timedelta(days=rng.randint(-400, 760))
        hours = Decimal(rng.randint(1, 12)) / 4
        kind = rng.choices(["acpe", "college", "in_service", "other"], weights=[8, 1, 1, 2])[0]
        if kind == "acpe":
            topic = rng.choice(["01", "03", "04", "05", "08"])
            uan = f"0669-0000-25-{rng.randint(1, 250):03d}-H{topic}-{rng.choice('PTT')}"
            activities.append(Activity(title=f"ACPE {n}", hours=hours, completed=day, kind="acpe", uan=uan))
        else:
            activities.append(Activity(title=f"{kind} {n}", hours=hours, completed=day, kind=kind, topic="04"))
    return activities


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    rules = [load_rules(key) for key in ("ptcb-cpht", "nha-cpht", "tx-technician")]
    activities = record(random.Random(11), 300)
    timings = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for rule_set in rules:
            progress(rule_set, CYCLE_START, CYCLE_END, activities, TODAY)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    verdict = "met" if median <= BUDGET_MS else "MISSED"
    print(f"300 activities x 3 rule sets: median {median:.2f} ms (target {BUDGET_MS} ms) {verdict}")
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
