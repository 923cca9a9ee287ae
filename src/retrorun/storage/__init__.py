"""The SQLAlchemy adapter: tables, row <-> record mapping, the unit of work, migrations.

Only this package imports SQLAlchemy. Rows never leave it: repositories return the
records of `retrorun.services.records`.
"""

from __future__ import annotations

from retrorun.storage.database import Database
from retrorun.storage.migrate import current_revision, downgrade, upgrade

__all__ = ["Database", "current_revision", "downgrade", "upgrade"]
