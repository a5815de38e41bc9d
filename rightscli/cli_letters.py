"""`rights letter` and `rights checklist` (registered on the main app)."""

from __future__ import annotations
