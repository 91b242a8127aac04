"""The project's shape: imports run down the floors (web and CLI, services, models and pure
packages), pure packages stay pure, and the entry points exist."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_PACKAGES = ["calc", "rx", "questions", "ce", "content", "teaching", "readiness"]


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


# ---- the direction of imports ----------------------------------------------------------------
#
# Three floors, imports run downwards only: web/ and cli.py call services/; services use
# models/ and the pure packages; the pure packages use nothing of ours but each other
# (docs/architecture.md). Every module under trainer/ is read, so a new one is covered
# the day it is added.

REQUEST_NAMES = {
    "request", "session", "g", "render_template", "render_template_string", "flash", "url_for",
    "redirect", "abort", "jsonify", "make_response",
}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _pure_rule(name: str) -> str | None:
    top = name.split(".")[0]
    if top in ("flask", "sqlalchemy", "werkzeug", "alembic") or top.startswith("flask_"):
        return "a pure package imports no web or database library"
    if _within(name, "trainer") and name != "trainer" and name.split(".")[1] not in PURE_PACKAGES:
        return "a pure package imports nothing of ours but the other pure packages"
    return None


def _services_rule(name: str) -> str | None:
    if _within(name, "trainer.web") or _within(name, "trainer.cli"):
        return "a service is called by the web and the CLI, never the other way round"
    top = name.split(".")[0]
    if top in ("flask_login", "flask_wtf", "wtforms") or (
        name.startswith("flask.") and name.split(".", 1)[1] in REQUEST_NAMES
    ):
        return "a service knows nothing of requests, forms or templates (the view passes what it needs)"
    return None


def _models_rule(name: str) -> str | None:
    for upper in ("trainer.services", "trainer.web", "trainer.cli"):
        if _within(name, upper):
            return "models are below the services, the web and the CLI"
    return None


FLOORS = [(f"trainer.{name}", _pure_rule) for name in PURE_PACKAGES] + [
    ("trainer.services", _services_rule),
    ("trainer.models", _models_rule),
]


def module_name(path: Path, root: Path) -> str:
    """trainer/services/quizzes.py -> trainer.services.quizzes (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, *, is_package: bool, filename: str = "<source>"):
    """(line, dotted name) for every import in `source`, relative ones made absolute.

    `from a import b` yields a.b, so `from trainer import services` is seen as importing
    trainer.services and `from flask import request` as flask.request.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield node.lineno, base if alias.name == "*" else f"{base}.{alias.name}"


def import_offences(root: Path) -> list[str]:
    """Every import under root/trainer that goes against the direction of the floors, as
    "path:line imports name (why)"."""
    offences = []
    for path in sorted((root / "trainer").rglob("*.py")):
        module = module_name(path, root)
        rules = [rule for floor, rule in FLOORS if _within(module, floor)]
        if not rules:
            continue
        where = path.relative_to(root)
        for line, name in imported_names(path.read_text(encoding="utf-8"), module,
                                         is_package=path.name == "__init__.py", filename=str(where)):
            for rule in rules:
                why = rule(name)
                if why:
                    offences.append(f"{where}:{line} imports {name} ({why})")
    return list(dict.fromkeys(offences))


def test_every_module_imports_only_downwards():
    offences = import_offences(ROOT)
    assert not offences, "imports against the floors:\n" + "\n".join(offences)


def test_the_floors_cover_every_trainer_package():
    # A new top-level package must be placed on a floor here (or be plumbing/web on purpose).
    known = set(PURE_PACKAGES) | {"services", "models", "web", "templates", "migrations"}
    packages = {p.name for p in (ROOT / "trainer").iterdir() if (p / "__init__.py").exists()}
    assert packages <= known, f"place these packages on a floor in tests/test_layout.py: {packages - known}"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, source in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("relative", "source", "named"), [
    ("trainer/rx/new_module.py", "import sqlalchemy\n", "sqlalchemy"),
    ("trainer/calc/new_module.py", "from flask import current_app\n", "flask.current_app"),
    ("trainer/ce/new_module.py", "import flask_login\n", "flask_login"),
    ("trainer/content/new_module.py", "from trainer.models import User\n", "trainer.models.User"),
    ("trainer/questions/new_module.py", "from trainer import services\n", "trainer.services"),
    ("trainer/questions/deep/new_module.py", "from ...services.quizzes import when\n", "trainer.services.quizzes.when"),
    ("trainer/content/new_module.py", "from trainer.web.forms import ActionForm\n", "trainer.web.forms.ActionForm"),
    ("trainer/content/new_module.py", "from trainer.extensions import db\n", "trainer.extensions.db"),
    ("trainer/services/new_area.py", "from trainer.web.forms import ActionForm\n", "trainer.web.forms.ActionForm"),
    ("trainer/services/new_area.py", "from trainer.cli import trainer_cli\n", "trainer.cli.trainer_cli"),
    ("trainer/services/new_area.py", "from ..web import access\n", "trainer.web.access"),
    ("trainer/services/new_area.py", "from flask import request\n", "flask.request"),
    ("trainer/services/new_area.py", "def f():\n    from flask import render_template\n", "flask.render_template"),
    ("trainer/models/new_area.py", "from trainer.services.accounts import lock_learner\n",
     "trainer.services.accounts.lock_learner"),
    ("trainer/models/__init__.py", "from ..web import errors\n", "trainer.web.errors"),
])
def test_the_checker_names_the_file_and_the_import_that_goes_upwards(tmp_path, relative, source, named):
    offences = import_offences(_tree(tmp_path, {relative: source}))
    assert len(offences) == 1
    assert offences[0].startswith(f"{relative}:") and f" imports {named} (" in offences[0]


@pytest.mark.parametrize(("relative", "source"), [
    ("trainer/content/new_module.py", "from trainer.questions import generate_question\n"),
    ("trainer/content/new_module.py", "from .render import render_module\nimport yaml\n"),
    ("trainer/services/new_area.py", "from flask import current_app\nfrom sqlalchemy import select\n"),
    ("trainer/services/new_area.py", "from trainer.models import User\nfrom trainer.services import attempts\n"),
    ("trainer/models/new_area.py", "from flask_login import UserMixin\nfrom trainer.extensions import db\n"),
    ("trainer/web/new_area/routes.py", "from flask import request\nfrom trainer.services import quizzes\n"),
    ("trainer/cli.py", "from trainer.services import regrades\n"),
])
def test_the_checker_lets_imports_run_downwards(tmp_path, relative, source):
    assert import_offences(_tree(tmp_path, {relative: source})) == []


def test_app_module_exposes_a_flask_app(tmp_path):
    code = "import app, flask; print(isinstance(app.app, flask.Flask))"
    env = {**os.environ, "TRAINER_INSTANCE_PATH": str(tmp_path), "TRAINER_ENV": "development"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.stdout.strip() == "True", result.stderr
