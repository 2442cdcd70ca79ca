"""One small error hierarchy. Every error says what failed and whether retrying can help."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error this package raises on purpose."""

    retryable: bool = False


class InputError(KGError):
    """A document could not be read or holds no article text.

    ``source`` names the file (and line, for JSON Lines); ``reason`` says what is wrong.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):
        # Pickled from worker processes (kg build --workers, --dask) with both arguments, not the message.
        return (type(self), (self.source, self.reason))


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded or lacks a component we need."""


class GraphFormatError(KGError):
    """A ``graph.json`` or gold file does not have the expected form."""


class StoreError(KGError):
    """A store rejected a write or a query. ``retryable`` says whether trying again can help."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
