"""Run every benchmark in this folder (bench_*.py) and report; exit non-zero if a target is missed.

Benchmarks measure speed and memory against targets. They are kept out of the test
suite on purpose: timings depend on the machine and must never make `make test` flaky.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent.parent)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print("targets missed: " + ", ".join(failed))
        return 1
    print("all benchmark targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
