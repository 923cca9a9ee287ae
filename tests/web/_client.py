"""Starlette's TestClient, imported once with its httpx deprecation warning silenced.

Starlette 1.10 warns when its test client runs on `httpx` rather than `httpx2`; the
project pins httpx (pytest turns warnings into errors), so the warning is silenced here,
at the one import.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
