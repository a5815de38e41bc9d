"""Where the bundled data is: the folder that holds ``policies/`` and ``templates/`` (inside the wheel, ``_data``;
in a checkout, the project folder). Low in the layers, so that any module that reads a bundled data file finds it."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def data_root() -> Path:
    """The folder that holds ``policies/`` and ``templates/`` (looked up once: every letter of a batch asks)."""
    package = Path(__file__).resolve().parent
    bundled = package / "_data"
    if (bundled / "policies").is_dir():
        return bundled
    return package.parent


@functools.cache
def policies_dir() -> Path:
    return data_root() / "policies"


@functools.cache
def templates_dir() -> Path:
    return data_root() / "templates"
