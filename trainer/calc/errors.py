"""The one exception trainer.calc raises."""

from __future__ import annotations


class CalcError(ValueError):
    """A calculation that cannot be done, with a message a learner can act on."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_pair(self) -> tuple[str | None, str]:
        """The problem as a (field, message) pair, the way the rest of the core reports problems."""
        return self.field, self.message

    def __repr__(self) -> str:
        return f"CalcError({self.message!r}, field={self.field!r})"
