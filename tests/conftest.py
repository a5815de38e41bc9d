from __future__ import annotations

import pytest

from rightscli.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real cache folder."""
    import os

    os.environ["RIGHTS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
