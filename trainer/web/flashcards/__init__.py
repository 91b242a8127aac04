"""Flashcards: decks, spaced-repetition review, and instructors' decks."""
