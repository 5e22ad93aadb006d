"""Domain errors. Each names what is at fault; the API turns them into 4xx responses."""

from __future__ import annotations


class ArgmapError(Exception):
    """Base of every error a user's input can cause."""

    def __init__(self, message: str, *, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc

    def __str__(self) -> str:
        if self.loc:
            return f"{'.'.join(str(p) for p in self.loc)}: {self.message}"
        return self.message


class NotFoundError(ArgmapError):
    """A map, claim, relation or revision that does not exist (HTTP 404)."""


class InvalidInputError(ArgmapError):
    """Input that is well-formed but breaks a rule of the domain (HTTP 422)."""


class ConflictError(ArgmapError):
    """The change clashes with the map's current state (HTTP 409)."""


class LimitExceededError(ArgmapError):
    """A configured limit was crossed (HTTP 413)."""


class NotSignedInError(ArgmapError):
    """The operation needs a signed-in person, and the caller is none (HTTP 401)."""


class ForbiddenError(ArgmapError):
    """The caller is known but their role does not allow the operation (HTTP 403)."""


class RetryLaterError(ArgmapError):
    """An error that passes; `retry_after` says in how many whole seconds to try again."""

    def __init__(self, message: str, *, retry_after: int, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message, loc=loc)
        self.retry_after = retry_after


class TooManyRequestsError(RetryLaterError):
    """A rate limit was reached (HTTP 429)."""


class BusyError(RetryLaterError):
    """The server holds as much of some work as it may (HTTP 503)."""
