"""Entry point for `flask run` and `gunicorn app:app`."""

from trainer import create_app

app = create_app()
