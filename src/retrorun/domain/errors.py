"""Errors the domain raises.

    DomainError
    ├── InvalidProfile      a profile field is missing, unknown or out of range
    ├── ProgramError        a program definition file is wrong (a bug in the package)
    ├── UnknownProgram      the profile forces a program id we do not have
    ├── UnsafeSurface       the program needs a surface the athlete does not have
    └── InvariantViolated   generation produced a plan that breaks a DESIGN §3 rule
"""

from __future__ import annotations


class DomainError(ValueError):
    """Base of every error the domain raises; the message is meant for the user."""


class InvalidProfile(DomainError):
    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ProgramError(DomainError):
    pass


class UnknownProgram(DomainError):
    pass


class UnsafeSurface(DomainError):
    pass


class InvariantViolated(DomainError):
    pass
