"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on both databases.

    SQLite has no time zones: `DateTime(timezone=True)` hands back naive values there
    (libraries.md, Database). We store UTC and re-attach UTC on the way out, and refuse
    naive datetimes on the way in, so a local time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: Any, dialect: Dialect  # noqa: ARG002  (the signature is fixed)
    ) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)  # noqa: S101  (the column type guarantees it)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# Plain JSON on both databases, not JSONB: JSONB reorders object keys, and the plan
# document promises a fixed key order (the API twin prints what the CLI prints). Nothing
# queries inside these documents, so JSONB's indexes would buy nothing.
JSONDocument = JSON()
