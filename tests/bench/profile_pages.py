"""Where the time goes, in-process: queries and CPU milliseconds per page of the load bench.

    .venv/bin/python tests/bench/profile_pages.py                 # the table
    .venv/bin/python tests/bench/profile_pages.py --profile "module page"   # and a pyinstrument profile

Uses the same pages and set-up as the load bench (pages.py), on a fresh SQLite database
(or TEST_DATABASE_URL's server), through the Flask test client: no server, no network,
so what is left is the app's own work. Time is CPU time of this process, so other work
on the machine hardly changes it; the "hello/page" column compares it with a bare Flask
hello app through the same test client, a rough preview of the load bench's ratios.
"Python calls" counts the function calls one request makes (cProfile): unlike time it is
the same on a busy machine and a quiet one, so a change's effect shows even when the
milliseconds are noise. A tool for finding slow code, not a benchmark with targets (that
is bench_load.py).

    .venv/bin/python tests/bench/profile_pages.py --cprofile catalog   # cProfile, sorted by own time
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchdata import fresh_database_url, make_app, prepare_database, settle_database  # noqa: E402
from browser import FlaskBrowser  # noqa: E402
from floor_pages import add_floor_pages  # noqa: E402
from pages import PAGES, prepare, request_for  # noqa: E402
from sqlalchemy import event  # noqa: E402


def cpu_ms(request, repeat: int, batches: int = 5) -> float:
    """CPU milliseconds per call: the best of a few batches, as other work on the machine only adds."""
    best = float("inf")
    for _ in range(batches):
        started = time.process_time()
        for _ in range(max(1, repeat // batches)):
            request()
        best = min(best, (time.process_time() - started) / max(1, repeat // batches))
    return best * 1000


def python_calls(request, repeat: int = 20) -> int:
    """Python function calls per request (the same on a busy machine as on a quiet one)."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        request()
    profile.disable()
    return round(pstats.Stats(profile).total_calls / repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per page for the mean")
    parser.add_argument("--profile", action="append", default=[], help="page name to profile (repeatable)")
    parser.add_argument("--cprofile", action="append", default=[],
                        help="page name to profile with cProfile, by own time (repeatable)")
    parser.add_argument("--sql", action="store_true", help="print each page's statements")
    args = parser.parse_args()

    url = fresh_database_url("profile")
    prepare_database(url)
    settle_database(url)
    app = add_floor_pages(make_app(url))  # the load bench serves the same two reference pages
    with app.app_context():
        from trainer.extensions import db

        engine = db.engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    learner = FlaskBrowser(app.test_client())
    anonymous = FlaskBrowser(app.test_client())
    values = prepare(learner)
    from hello_app import app as hello_app

    hello = FlaskBrowser(hello_app.test_client())
    hello.get("/")
    hello_ms = cpu_ms(lambda: hello.get("/"), args.repeat)
    hello_calls = python_calls(lambda: hello.get("/"))
    print(f"{'page':<22} {'status':>6} {'queries':>7} {'CPU ms':>7} {'hello/page':>10} {'Python calls':>12}")
    print(f"{'bare hello':<22} {200:>6} {0:>7} {hello_ms:>7.2f} {1:>10.2f} {hello_calls:>12}")
    for page in PAGES:
        browser = anonymous if page.as_role == "anonymous" else learner
        path, body, headers = request_for(page, values)

        def once(browser=browser, page=page, path=path, body=body, headers=headers):
            return browser.request(page.method, path, json_body=body, headers=headers)

        once()  # warm: templates compiled, caches filled
        statements.clear()
        answer = once()
        counted = list(statements)
        ms = cpu_ms(once, args.repeat)
        calls = python_calls(once)
        print(f"{page.name:<22} {answer.status:>6} {len(counted):>7} {ms:>7.2f} {hello_ms / ms:>10.2f}"
              f" {calls:>12}")
        if args.sql:
            for statement in counted:
                print("    " + " ".join(statement.split())[:160])
        if page.name in args.profile:
            try:
                from pyinstrument import Profiler
            except ImportError:
                sys.exit("--profile needs pyinstrument (.venv/bin/pip install pyinstrument); or use --cprofile")

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.repeat):
                once()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if page.name in args.cprofile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                once()
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
