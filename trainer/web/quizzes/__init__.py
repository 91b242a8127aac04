"""Quizzes for learners: taking attempts, results and review."""
