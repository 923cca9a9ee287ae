"""Errors the use cases raise; the web and CLI shells map them at one boundary.

    ServiceError
    ├── NotFound            no such thing *for this user* (also used for other users' data)
    ├── PermissionDenied    the user may see it but not do this (a coach editing a log)
    ├── Conflict            the change clashes with what is stored (email taken, logged twice)
    ├── InvalidInput        a field is wrong: `.field` names it, `.message` says what is allowed
    │   └── InvalidFields   several fields are wrong at once: `.errors`, each an InvalidInput
    ├── InvalidCredentials  sign-in or password confirmation failed (no hint which part)
    ├── Unconfirmed         the right password, but the address is not confirmed yet
    └── RateLimited         too many failed sign-ins: `.retry_after_seconds`
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a use case raises; the message is meant for the user."""


class NotFound(ServiceError):
    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what} not found")


class PermissionDenied(ServiceError):
    pass


class Conflict(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidInput(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidFields(InvalidInput):
    """Every wrong field of one input, reported together so the user fixes them in one go.

    It is an InvalidInput whose `.field` and `.message` are the first error's, so a handler
    that knows only InvalidInput still names a field; `str()` names them all.
    """

    errors: tuple[InvalidInput, ...]

    def __init__(self, errors: tuple[InvalidInput, ...]) -> None:
        if not errors:
            raise ValueError("InvalidFields needs at least one error")
        flat = tuple(one for error in errors
                     for one in (error.errors if isinstance(error, InvalidFields) else (error,)))
        super().__init__(flat[0].field, flat[0].message)
        self.errors = flat
        self.args = ("; ".join(f"{e.field}: {e.message}" for e in flat),)


class InvalidCredentials(ServiceError):
    def __init__(self, message: str = "email or password is wrong") -> None:
        super().__init__(message)


class Unconfirmed(ServiceError):
    """The password was right but the email address is not confirmed: no sign-in until the
    mailed link is followed (issue 11: an unconfirmed account proves nothing)."""

    def __init__(self, user_id: str, email: str) -> None:
        self.user_id = user_id
        self.email = email
        super().__init__("confirm your email address first: follow the link we mailed you")


class RateLimited(ServiceError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            f"too many failed sign-ins; try again in {retry_after_seconds} seconds"
        )
