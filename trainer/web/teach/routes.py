"""The instructor's area: the landing page. Questions, quizzes and courses add their own routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Course, Question, Quiz
from trainer.web.access import instructor_required

bp = Blueprint("teach", __name__, url_prefix="/teach", template_folder="templates")


@bp.get("/")
@instructor_required
def index():
    def count(model):
        return select(func.count()).select_from(model).scalar_subquery()

    # One query for the three counts: the home's statements are counted in a test.
    row = db.session.execute(select(count(Question), count(Quiz), count(Course))).one()
    counts = dict(zip(("questions", "quizzes", "courses"), row, strict=True))
    from trainer.web.teach.home import workbench

    bench = workbench(current_user)
    return render_template("teach/index.html", counts=counts, sections=TEACH_SECTIONS, home=bench.home,
                           bench=bench)


# (endpoint, title, description): each instructor area registers its entry page here.
TEACH_SECTIONS: list[tuple[str, str, str]] = []


def teach_section(endpoint: str, title: str, description: str) -> None:
    """Add a link to the instructor landing page."""
    TEACH_SECTIONS.append((endpoint, title, description))


# Importing each area's module registers its routes.
from trainer.web.teach import (  # noqa: E402,F401
    analysis,
    assignments,
    authors,
    cohorts,
    courses,
    gradebook,
    grading,
    home,
    interchange,
    questions,
    quizzes,
)
