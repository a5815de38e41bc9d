"""The on-disk caches of parsed data (typed MessagePack): a round trip, the key, and what a bad file does."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from rightscli import catalog_cache
from rightscli.catalog import Catalog, load_catalog
from rightscli.letters.data import LetterData, load_letter_data


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RIGHTS_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_the_catalog_and_the_letter_data_come_back_equal(cache: Path) -> None:
    catalog = load_catalog()
    letters = load_letter_data()
    catalog_cache.store("k1", catalog)
    catalog_cache.store("k2", letters, catalog_cache.LETTERS_NAME)
    assert catalog_cache.load("k1", Catalog) == catalog
    assert catalog_cache.load("k2", LetterData, catalog_cache.LETTERS_NAME) == letters
    assert (cache / catalog_cache.CACHE_NAME).stat().st_mode & 0o777 == 0o600


def test_another_key_or_a_damaged_file_is_a_miss(cache: Path) -> None:
    catalog_cache.store("key", Catalog())
    assert catalog_cache.load("other", Catalog) is None
    assert catalog_cache.load("key", LetterData) is None  # a file of another type
    (cache / catalog_cache.CACHE_NAME).write_bytes(b"not msgpack")
    assert catalog_cache.load("key", Catalog) is None


def test_reading_the_cache_leaves_the_collector_as_it_was(cache: Path) -> None:
    catalog_cache.store("key", Catalog())
    assert catalog_cache.load("key", Catalog) == Catalog() and gc.isenabled()
    (cache / catalog_cache.CACHE_NAME).write_bytes(b"not msgpack")
    assert catalog_cache.load("key", Catalog) is None and gc.isenabled()


def test_rights_no_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTS_NO_CACHE", "1")
    catalog_cache.store("key", Catalog())
    assert not cache.exists() and catalog_cache.load("key", Catalog) is None


def test_storing_removes_the_pickles_of_earlier_versions(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    for name in ("catalog.pickle", "catalog-75aa79d6.pickle"):
        (cache / name).write_bytes(b"old")
    catalog_cache.store("key", Catalog())
    assert sorted(p.name for p in cache.iterdir()) == [catalog_cache.CACHE_NAME]
