"""The structure docs/architecture.md describes, checked: the import-linter contracts of pyproject.toml (layers, no
cycles, a core that neither prints nor renders)."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)  # the contracts are read from pyproject.toml
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = lint_imports(no_cache=True, no_logo=True)
    report = out.getvalue()
    assert code == 0, report
    assert report.count(" KEPT") == 3, report  # every contract ran


def test_nothing_below_the_command_line_imports_it() -> None:
    """Also a layer of the contract; said here in words, with the modules that may (the console script, the build)."""
    import grimp

    graph = grimp.build_graph("rightscli", cache_dir=None)
    importers = {
        m for m in graph.find_modules_that_directly_import("rightscli.cli", as_package=True) if m.split(".")[1] != "cli"
    }
    assert importers == {"rightscli.entry", "rightscli.prebuild"}, sorted(importers)


def test_the_ci_script_runs_the_contracts() -> None:
    assert "lint-imports" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert os.access(ROOT / ".ci" / "run", os.R_OK)


def placed_in_layers() -> list[str]:
    """The top-level modules and packages the layers contract of pyproject.toml names, top to bottom."""
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [name for layer in layers for name in re.findall(r"rightscli\.(\w+)", layer)]


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package is placed in the layers (pyproject.toml) when it is added."""
    placed = set(placed_in_layers())
    here = {p.stem for p in (ROOT / "rightscli").glob("*.py") if p.stem != "__init__"}
    here |= {p.parent.name for p in (ROOT / "rightscli").glob("*/__init__.py")}
    assert here - placed == set()


MAX_MODULE_LINES = 450


def test_no_module_is_over_450_lines() -> None:
    """Small modules with one job each: a module that grows past this is split by concern."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "rightscli").rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_architecture_page_names_every_layer() -> None:
    """docs/architecture.md lists the layers of the contract: a module placed in pyproject.toml is named there too."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [name for name in placed_in_layers() if f"`{name}`" not in page and f"`{name}/`" not in page] == []
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")
