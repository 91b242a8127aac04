"""The operations on stored data, one module per subject.

They load and save models and call the pure packages; they know nothing of requests,
forms or templates, and leave the commit to their caller (a view or a CLI command), so
one request is one transaction. docs/architecture.md describes the floors.
"""
