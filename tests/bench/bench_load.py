"""The load bench: the site's pages under gunicorn, as ratios to a bare Flask hello app
served the same way in the same run.

    .venv/bin/python tests/bench/bench_load.py             # SQLite (PostgreSQL with TEST_DATABASE_URL)
    .venv/bin/python tests/bench/bench_load.py --seeded    # also on a database filled by seed-load

Starts gunicorn with the worker count the README recommends for the app and for
hello_app.py, logs in as a learner, starts a quiz attempt, then loads each page of
pages.PAGES (one line a page) with wrk, or a Python generator if wrk is missing. Reports
requests per second, p50/p95/p99 and the ratio to hello; writes the table to
docs/benchmarks.md; exits non-zero when a target is missed: a ratio under the page's
target, a p95 over the budget, any error answer, or (with --seeded) a learner page whose
p95 on the seeded database is more than twice its p95 on the empty one.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import loadgen  # noqa: E402
import pages  # noqa: E402
from benchdata import ROOT, app_environment, fresh_database_url, prepare_database, settle_database  # noqa: E402
from browser import HttpBrowser  # noqa: E402
from servers import HOST, gunicorn, recommended_workers  # noqa: E402

RESULTS = ROOT / "docs" / "benchmarks.md"
SEEDED_LEARNER = "load-000001@example.org"  # trainer.services.seed_load.EMAIL, n=1
SEEDED_SLOWDOWN = 2.0  # a learner page's p95 on the seeded database, at most this times the empty one's


@dataclass
class Row:
    name: str
    result: loadgen.Result
    ratio: float | None = None
    target: float | None = None
    problems: tuple[str, ...] = ()
    reference: bool = False
    logged_in: bool = False
    of_floor: float | None = None  # the ratio as a share of the layout floor's (logged-in pages)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def settle(port: int) -> None:
    """Wait until the server has worked off the previous page's queue (sync workers still
    answer requests that wrk gave up on), so it does not count against the next page."""
    import http.client
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", "/static/css/site.css")
            conn.getresponse().read()
            conn.close()
        except OSError:
            pass
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def measure_site(url: str, workers: int, args, log: Path, pages_wanted) -> list[tuple[pages.Page, loadgen.Result, loadgen.Result]]:
    """Each page, right after the bare hello app for as long: (page, its result, hello's).

    Hello is measured next to every page, not once, so load from elsewhere on a shared
    machine that comes and goes during the run weighs on both sides of each ratio alike.
    """
    instance = tempfile.mkdtemp(prefix="rxtrainer-bench-instance-")
    env = app_environment(url, instance)
    measured = []
    with gunicorn("hello_app:app", workers=workers, chdir=HERE) as hello_port, \
            gunicorn("floor_app:app", workers=workers, env={**env, "PYTHONPATH": str(HERE)}, probe="/login",
                     log=log) as port:
        learner = HttpBrowser(HOST, port)
        values = pages.prepare(learner)
        loadgen.measure(HOST, hello_port, "GET", "/", None, {}, args.connections, 1)  # warm up
        for page in pages_wanted:
            path, body, headers = pages.request_for(page, values)
            if page.as_role != "anonymous":
                headers["Cookie"] = learner.cookie_header()
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            settle(port)
            loadgen.measure(HOST, port, page.method, path, data, headers, args.connections, 1)  # warm up
            settle(port)
            hello = loadgen.measure(HOST, hello_port, "GET", "/", None, {}, args.connections, args.seconds)
            result = loadgen.measure(HOST, port, page.method, path, data, headers, args.connections, args.seconds)
            print(f"  {page.name:<22} {result.rps:8.0f} req/s  p95 {result.p95_ms:6.1f} ms"
                  f"   (hello {hello.rps:6.0f} req/s: ratio {result.rps / hello.rps:.2f})"
                  + (f"  {result.errors} errors" if result.errors else ""), flush=True)
            measured.append((page, result, hello))
    return measured


def judge(measured) -> list[Row]:
    hellos = [hello for _, _, hello in measured]
    mean_hello = loadgen.Result(
        sum(h.requests for h in hellos), sum(h.seconds for h in hellos), sum(h.errors for h in hellos),
        sum(h.p50_ms for h in hellos) / len(hellos), sum(h.p95_ms for h in hellos) / len(hellos),
        sum(h.p99_ms for h in hellos) / len(hellos),
    )
    rows = [Row("bare hello (mean of its runs)", mean_hello)]
    for page, result, hello in measured:
        ratio = result.rps / hello.rps if hello.rps else 0.0
        problems = []
        if page.reference:
            rows.append(Row(page.name, result, ratio, None, (), reference=True))
            continue
        if ratio < page.ratio:
            shown = f"{ratio:.2f}"
            if float(shown) >= page.ratio:  # 0.297 would show as 0.30 against a target of 0.3
                shown = f"{ratio:.3f}"
            problems.append(f"ratio {shown} < {page.ratio}")
        if result.p95_ms >= pages.P95_BUDGET_MS:
            problems.append(f"p95 {result.p95_ms:.0f} ms ≥ {pages.P95_BUDGET_MS:.0f} ms")
        if result.errors:
            problems.append(f"{result.errors} error answers")
        rows.append(Row(page.name, result, ratio, page.ratio, tuple(problems),
                        logged_in=page.as_role != "anonymous"))
    floor = next((row for row in rows if row.name == pages.LAYOUT_FLOOR), None)
    if floor is not None and floor.ratio:
        for row in rows:
            if row.logged_in:
                row.of_floor = row.ratio / floor.ratio
    return rows


def table(rows: list[Row]) -> list[str]:
    lines = ["| page | req/s | ratio to hello (target) | of the layout floor | p50 | p95 | p99 | verdict |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        r = row.result
        if row.reference:
            ratio, verdict = f"{row.ratio:.2f} (reference)", "no target: the floor under the pages"
        else:
            ratio = "1" if row.target is None else f"{row.ratio:.2f} (≥ {row.target})"
            verdict = "; ".join(row.problems) if row.problems else "ok"
        of_floor = "–" if row.of_floor is None else f"{row.of_floor:.2f}"
        lines.append(f"| {row.name} | {r.rps:,.0f} | {ratio} | {of_floor} | {r.p50_ms:.1f} ms | {r.p95_ms:.1f} ms "
                     f"| {r.p99_ms:.1f} ms | {verdict} |")
    return lines


def write_section(key: str, lines: list[str]) -> None:
    """Replace this run's section of docs/benchmarks.md (SQLite, PostgreSQL, seeded…), keeping the others."""
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    block = "\n".join([start, *lines, end])
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def run_once(label: str, url: str, workers: int, args, log: Path, pages_wanted) -> tuple[list[Row], str]:
    print(f"== {label}: gunicorn, {workers} sync workers, {args.connections} connections, "
          f"{args.seconds} s a page, load generator {loadgen.generator_name()}", flush=True)
    before = load_average()
    rows = judge(measure_site(url, workers, args, log, pages_wanted))
    header = (f"{label}, {datetime.date.today().isoformat()}: gunicorn with {workers} sync workers, "
              f"{args.connections} concurrent connections, {args.seconds} s a page (hello "
              f"measured before each page), {loadgen.generator_name()}; load average {before} before, "
              f"{load_average()} after.")
    return rows, header


def seed(url: str, args) -> None:
    env = {**os.environ, **app_environment(url, tempfile.mkdtemp(prefix="rxtrainer-seed-"), workers=1)}
    env["TRAINER_ENV"] = "development"  # seed-load refuses production settings
    command = [str(Path(sys.executable).with_name("flask")), "--app", "app", "trainer", "seed-load",
               "--password", pages.PASSWORD]
    if args.seed_scale != 1.0:
        command += ["--scale", str(args.seed_scale)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6, help="seconds of load per page (default 6)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=recommended_workers(),
                        help="gunicorn sync workers (default: the README's two per core)")
    parser.add_argument("--page", action="append", help="measure only this page (repeatable)")
    parser.add_argument("--seeded", action="store_true",
                        help="also run on a database filled by `flask trainer seed-load`")
    parser.add_argument("--seeded-database", help="reuse this already seeded database URL")
    parser.add_argument("--seed-scale", type=float, default=1.0, help="seed-load --scale (default 1)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    log = Path(tempfile.mkdtemp(prefix="rxtrainer-bench-log-")) / "gunicorn.log"
    url = fresh_database_url()
    label = database_label(url)
    prepare_database(url)
    settle_database(url)
    chosen = [p for p in pages.PAGES if not args.page or p.name in args.page]
    rows, header = run_once(f"{label}, empty database", url, args.workers, args, log, chosen)
    failed = any(row.problems for row in rows)
    if not args.no_write:
        write_section(label.lower(), [f"**{header}**", "", *table(rows)])
    print("\n".join(table(rows)))

    if args.seeded:
        seeded_url = args.seeded_database
        if not seeded_url:
            seeded_url = fresh_database_url("seeded")
            prepare_database(seeded_url)
            seed(seeded_url, args)
        settle_database(seeded_url)
        seeded_pages = [p for p in chosen if p.learner_page]
        # A learner from the seeded crowd, with attempts and progress of their own.
        pages.LEARNER_EMAIL = SEEDED_LEARNER
        seeded_rows, seeded_header = run_once(f"{label}, seeded database", seeded_url, args.workers, args,
                                              log, seeded_pages)
        empty = {row.name: row for row in rows}
        lines = ["| page | p95 empty | p95 seeded | × | verdict |", "| --- | ---: | ---: | ---: | --- |"]
        for row in seeded_rows[1:]:
            base = empty[row.name].result.p95_ms
            factor = row.result.p95_ms / base if base else 0.0
            problems = list(row.problems)
            if factor > SEEDED_SLOWDOWN:
                problems.append(f"p95 {factor:.1f}× the empty database's")
            row.problems = tuple(problems)
            lines.append(f"| {row.name} | {base:.1f} ms | {row.result.p95_ms:.1f} ms | {factor:.2f} "
                         f"| {'; '.join(problems) or 'ok'} |")
        failed = failed or any(row.problems for row in seeded_rows)
        if not args.no_write:
            write_section(f"{label.lower()}-seeded", [f"**{seeded_header}**", "", *table(seeded_rows), "",
                                                      *lines])
        print("\n".join(table(seeded_rows)))
        print("\n".join(lines))

    if failed:
        print("load bench: targets missed (see the verdict column)")
        return 1
    print("load bench: every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
