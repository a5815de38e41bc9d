"""Runs every scenario file under tests/scenarios/ against the bundled catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightscli.catalog import Catalog, load_catalog
from tests.scenario_runner import SCENARIOS, load_scenario, run_scenario, scenario_files


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_scenario(path: Path, catalog: Catalog) -> None:
    scenario = load_scenario(path)
    if scenario.policy_dirs:  # the bundled catalog plus the user's folders, as --policy-dir gives them
        catalog = load_catalog(scenario.policy_dirs)
    problems = run_scenario(scenario, catalog)
    assert not problems, f"{scenario.description}\n" + "\n".join(problems)
