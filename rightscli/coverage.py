"""Which rules can concern which (problem kind, platform) pair.

A rule covers a cell when its subject condition is not false for a case that knows only the platform and the
problem kind (every other fact unknown): the three-valued evaluation does the analysis, with no second reading
of the condition language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rightscli import conditions, vocab
from rightscli.catalog import Catalog


@dataclass(frozen=True)
class _Probe:
    platform: str
    kind: str

    def get(self, path: str) -> Any:
        if path == "platform":
            return self.platform
        if path == "problem.kinds":
            return (self.kind,)
        return None

    def has_event(self, event: str) -> bool:
        return False


@dataclass
class Coverage:
    platforms: tuple[str, ...]
    kinds: tuple[str, ...]
    cells: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def empty(self) -> list[tuple[str, str]]:
        return [(k, p) for k in self.kinds for p in self.platforms if not self.cells.get((k, p))]

    def to_json(self) -> dict[str, Any]:
        return {
            "platforms": list(self.platforms),
            "kinds": list(self.kinds),
            "cells": {k: {p: self.cells.get((k, p), []) for p in self.platforms} for k in self.kinds},
            "empty": [{"kind": k, "platform": p} for k, p in self.empty()],
        }


def coverage(catalog: Catalog, *, pinned_only: bool = False) -> Coverage:
    platforms = tuple(p for p in vocab.PLATFORMS if p != "other")
    kinds = (
        vocab.PROBLEM_KINDS[: vocab.PROBLEM_KINDS.index("refused_invoice") + 1] if pinned_only else vocab.PROBLEM_KINDS
    )
    result = Coverage(platforms=platforms, kinds=kinds)
    for kind in kinds:
        for platform in platforms:
            probe = _Probe(platform, kind)
            ids = {p.id for p in catalog.policies if conditions.evaluate(p.when, probe)[0] is not False}
            result.cells[(kind, platform)] = sorted(ids)
    return result
