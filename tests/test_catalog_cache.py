"""The on-disk caches of parsed data (typed MessagePack): a round trip, the key, and what a bad file does."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from rightscli import catalog_cache
from rightscli.catalog import Catalog, load_catalog, policies_dir
from rightscli.letters.data import LetterData, load_letter_data

NAME = catalog_cache.catalog_name([policies_dir()])  # the bundled rules alone


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RIGHTS_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_the_catalog_and_the_letter_data_come_back_equal(cache: Path) -> None:
    catalog = load_catalog()
    letters = load_letter_data()
    catalog_cache.store("k1", catalog, NAME)
    catalog_cache.store("k2", letters, catalog_cache.LETTERS_NAME)
    assert catalog_cache.load("k1", Catalog, NAME) == catalog
    assert catalog_cache.load("k2", LetterData, catalog_cache.LETTERS_NAME) == letters
    assert (cache / NAME).stat().st_mode & 0o777 == 0o600


def test_another_key_or_a_damaged_file_is_a_miss(cache: Path) -> None:
    catalog_cache.store("key", Catalog(), NAME)
    assert catalog_cache.load("other", Catalog, NAME) is None
    assert catalog_cache.load("key", LetterData, NAME) is None  # a file of another type
    (cache / NAME).write_bytes(b"not msgpack")
    assert catalog_cache.load("key", Catalog, NAME) is None


def test_reading_the_cache_leaves_the_collector_as_it_was(cache: Path) -> None:
    catalog_cache.store("key", Catalog(), NAME)
    assert catalog_cache.load("key", Catalog, NAME) == Catalog() and gc.isenabled()
    (cache / NAME).write_bytes(b"not msgpack")
    assert catalog_cache.load("key", Catalog, NAME) is None and gc.isenabled()


def test_rights_no_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTS_NO_CACHE", "1")
    catalog_cache.store("key", Catalog(), NAME)
    assert not cache.exists() and catalog_cache.load("key", Catalog, NAME) is None


def test_storing_removes_what_earlier_versions_cached(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    for name in ("catalog.pickle", "catalog-75aa79d6.pickle", "catalog.msgpack"):
        (cache / name).write_bytes(b"old")
    catalog_cache.store("key", Catalog(), NAME)
    assert sorted(p.name for p in cache.iterdir()) == [NAME]


def rule_folder(path: Path, rule_id: str) -> Path:
    path.mkdir()
    (path / f"{rule_id}.yaml").write_text(
        f"id: {rule_id}\ntitle: {{zh: 额外规则, en: extra rule}}\njurisdiction: taobao\nsummary: {{zh: x, en: x}}\n"
        "sources: [{document: d, article: a}]\nlast_reviewed: 2026-11-01\nconfidence: verified\n"
        "when: {fact: platform, eq: taobao}\nexplanation: {zh: 说明, en: text}\n",
        encoding="utf-8",
    )
    return path


def test_each_set_of_folders_has_an_entry_and_alternating_never_rebuilds(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = rule_folder(tmp_path / "a", "taobao.extra_a"), rule_folder(tmp_path / "b", "taobao.extra_b")
    sets: list[list[Path]] = [[], [a], [b], [a, b], [b, a]]
    for dirs in sets:
        load_catalog(dirs)
    assert len(list(cache.glob(catalog_cache.CATALOG_PATTERN))) == len(sets)
    from rightscli import catalog

    def rebuilt(*args: object) -> Catalog:
        raise AssertionError("the catalog was read again")

    monkeypatch.setattr(catalog, "_read_catalog", rebuilt)
    for dirs in sets * 2:  # every set, alternately: each from its own entry
        ids = load_catalog(dirs).ids()
        assert ("taobao.extra_a" in ids, "taobao.extra_b" in ids) == (a in dirs, b in dirs)


def test_the_least_recently_used_sets_are_evicted(cache: Path, tmp_path: Path) -> None:
    folders = [rule_folder(tmp_path / f"f{n}", f"taobao.extra_{n}") for n in range(catalog_cache.MAX_CATALOGS + 2)]

    def entry(n: int) -> str:
        return catalog_cache.catalog_name([policies_dir(), folders[n]])

    def names() -> set[str]:
        return {p.name for p in cache.glob(catalog_cache.CATALOG_PATTERN)}

    for n in range(catalog_cache.MAX_CATALOGS):
        load_catalog([folders[n]])
        os.utime(cache / entry(n), (1000 + n, 1000 + n))  # written in this order, long ago
    assert names() == {entry(n) for n in range(catalog_cache.MAX_CATALOGS)}
    load_catalog([folders[0]])  # read long after it was written: marked as used, now the most recent
    assert (cache / entry(0)).stat().st_mtime > 2000
    load_catalog([folders[-2]])
    load_catalog([folders[-1]])  # two more sets: the two least recently used go (1 and 2, not 0)
    assert names() == {entry(n) for n in (0, *range(3, catalog_cache.MAX_CATALOGS), -2, -1)}


def test_the_calendar_packages_years_are_kept_and_follow_its_data_file(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose dates all lie in the holiday schedules, or beyond the package's years, need not import
    chinesecalendar: its years are kept in the cache folder, under its data file's path, size and time."""
    from rightscli import daycount

    first = catalog_cache.calendar_years()
    assert first == daycount._package_years()
    monkeypatch.setattr(daycount, "_package_years", lambda: (1999, 2099))  # the package, as another version would say
    assert catalog_cache.calendar_years() == first  # kept: not asked again
    data = tmp_path / "site" / "chinese_calendar" / "constants.py"
    data.parent.mkdir(parents=True)
    (data.parent / "__init__.py").write_text("", encoding="utf-8")
    data.write_text("# another version\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert catalog_cache.calendar_years() == (1999, 2099)  # another data file: asked again
    load_catalog()
    assert daycount.calendar_years() == (1999, 2099)  # handed over when a catalog is loaded
    daycount.use_calendar_years(first)


def test_a_cached_catalog_is_used_without_the_policy_file_reader(tmp_path: Path) -> None:
    """The reader of policy files (the schema's validation) is imported only when files are read: a run that finds
    the catalog cached goes without it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rightscli.catalog import load_catalog\n"
        "load_catalog()\n"
        "print(','.join(m for m in ('rightscli.policy_reader', 'rightscli.strict') if m in sys.modules) or '-')\n"
    )
    env = {**os.environ, "RIGHTS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("RIGHTS_NO_CACHE", None)
    seen = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.strip()
        for _ in range(2)
    ]
    assert seen == ["rightscli.policy_reader,rightscli.strict", "-"]
