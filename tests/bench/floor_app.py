"""The site as the load bench serves it (gunicorn floor_app:app): the real app plus the
two reference pages of floor_pages.py, which the shipped app (`app.py`) does not have."""

from floor_pages import add_floor_pages

from trainer import create_app

app = add_floor_pages(create_app())
