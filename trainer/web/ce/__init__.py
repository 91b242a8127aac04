"""Continuing education pages: credentials, progress, the CE record, certificates,
transcripts, the deadlines calendar, and the compliance report."""
