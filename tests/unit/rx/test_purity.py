"""trainer.rx is pure: importing any of its modules loads no Flask and no SQLAlchemy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import trainer.rx

ROOT = Path(__file__).resolve().parents[3]


def test_no_rx_module_imports_the_web_stack():
    modules = [f"trainer.rx.{m.name}" for m in pkgutil.iter_modules(trainer.rx.__path__)]
    assert len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug', 'flask_sqlalchemy') or m.startswith(('trainer.models', 'trainer.services', 'trainer.web')))))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert found.stdout.strip() == ""
