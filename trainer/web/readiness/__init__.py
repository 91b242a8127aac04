"""Exam readiness for learners: the readiness page, mock exams, adaptive practice."""
