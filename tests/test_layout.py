"""The project's shape: pure packages stay pure, and the entry points exist."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_PACKAGES = ["calc", "rx", "questions", "ce", "content", "readiness"]
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "trainer.models", "werkzeug", "alembic")


def test_importing_the_pure_packages_does_not_import_flask():
    code = (
        "import sys\n"
        + "".join(f"import trainer.{name}\n" for name in PURE_PACKAGES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug', 'flask_sqlalchemy', 'flask_login') or m.startswith('trainer.models'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_package_source_never_imports_the_web_stack(package):
    offenders = []
    for path in (ROOT / "trainer" / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_app_module_exposes_a_flask_app(tmp_path):
    code = "import app; print(type(app.app).__name__)"
    env = {**os.environ, "TRAINER_INSTANCE_PATH": str(tmp_path), "TRAINER_ENV": "development"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.stdout.strip() == "Flask", result.stderr
