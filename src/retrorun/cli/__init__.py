"""The `retrorun` command: a thin shell over the domain and the services.

Each noun lives in its own module and registers its commands on `app`. Heavy imports
(web framework, database, PDF) happen inside the commands that need them, so
`retrorun plan` starts fast.
"""

from __future__ import annotations

from retrorun.cli import db as _db  # noqa: F401
from retrorun.cli import doses as _doses  # noqa: F401
from retrorun.cli import export as _export  # noqa: F401
from retrorun.cli import imports as _imports  # noqa: F401
from retrorun.cli import log as _log  # noqa: F401
from retrorun.cli import plan as _plan  # noqa: F401  (registers commands)
from retrorun.cli import progress as _progress  # noqa: F401
from retrorun.cli import serve as _serve  # noqa: F401
from retrorun.cli import users as _users  # noqa: F401
from retrorun.cli import worker as _worker  # noqa: F401
from retrorun.cli._app import app, main

__all__ = ["app", "main"]
