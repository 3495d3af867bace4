"""The one exception readers raise; ``read_inputs`` turns it into a ``ItemFailure`` and goes on."""

from __future__ import annotations

from unspin.errors import UnspinError


class ReadFailure(UnspinError):
    """An input that cannot be read, with a reason a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
