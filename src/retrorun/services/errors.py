"""Errors the use cases raise; the web and CLI shells map them at one boundary.

    ServiceError
    ├── NotFound            no such thing *for this user* (also used for other users' data)
    ├── PermissionDenied    the user may see it but not do this (a coach editing a log)
    ├── Conflict            the change clashes with what is stored (email taken, logged twice)
    ├── InvalidInput        a field is wrong: `.field` names it, `.message` says what is allowed
    ├── InvalidCredentials  sign-in or password confirmation failed (no hint which part)
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


class InvalidCredentials(ServiceError):
    def __init__(self, message: str = "email or password is wrong") -> None:
        super().__init__(message)


class RateLimited(ServiceError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            f"too many failed sign-ins; try again in {retry_after_seconds} seconds"
        )
