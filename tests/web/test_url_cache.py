"""Addresses are worked out once per worker and remembered: the same address as Flask
would build, for every request, script root and blueprint."""

from __future__ import annotations

from flask import Flask, url_for


def built_by_flask(app, endpoint, **values) -> str:
    return Flask.url_for(app, endpoint, **values)


def test_a_remembered_address_is_the_one_flask_builds(app):
    with app.test_request_context("/courses/"):
        first = url_for("courses.course", slug="sig-codes")
        again = url_for("courses.course", slug="sig-codes")
        other = url_for("courses.course", slug="pharmacy-law")
        assert first == again == built_by_flask(app, "courses.course", slug="sig-codes") == "/courses/sig-codes"
        assert other == "/courses/pharmacy-law"
        assert url_for("courses.module", slug="a", module_slug="b", _anchor="check-1") == "/courses/a/b#check-1"


def test_an_app_mounted_under_a_prefix_links_under_that_prefix(app):
    with app.test_request_context("/courses/"):
        assert url_for("courses.catalog") == "/courses/"
    with app.test_request_context("/courses/", base_url="http://localhost/training"):
        assert url_for("courses.catalog") == built_by_flask(app, "courses.catalog") == "/training/courses/"


def test_a_relative_endpoint_belongs_to_the_current_blueprint(app):
    with app.test_request_context("/courses/"):
        assert url_for(".catalog") == "/courses/"
    with app.test_request_context("/quizzes/"):
        assert url_for(".index") == built_by_flask(app, "quizzes.index")


def test_external_addresses_and_unusual_values_are_built_as_before(app):
    with app.test_request_context("/"):
        assert url_for("courses.catalog", _external=True).startswith("http")
        assert url_for("courses.catalog", page=True) == built_by_flask(app, "courses.catalog", page=True)
    assert all(type(value) in (str, int) for key in app._url_cache for _name, value in key[4:])
