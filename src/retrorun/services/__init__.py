"""Use cases: plain functions over small ports (see `ports.py`).

Conventions (aesthetics §5 rule 10):

- one module per aggregate: `accounts`, `plans`, `logs`, `coaching`;
- keyword-only arguments, the unit of work first, then the acting user's id;
- each use case is one transaction: it enters the unit of work it is given and commits
  only when everything succeeded, so an error leaves nothing half-written;
- authorization lives here: another user's data is reported as `NotFound`, so ids leak
  nothing;
- shells get view dataclasses from `views.py`, never storage rows.
"""
