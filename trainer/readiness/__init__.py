"""Exam readiness: mastery estimates, blueprint-weighted exam forms, the missed-question
queue, study plans and flashcard decks.

A pure package: plain data in, plain data out; no Flask, no database. The services in
trainer.services (mastery, mock_exams, practice, flashcards) load and save the data and
call these functions.
"""
