"""What the wheel ships built (rightscli.prebuilt): used on a first run only while the bundled files are the ones it was
built from, with the rules' file names moved to where the package is; otherwise the files are read as always."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest

from rightscli import catalog, prebuild, prebuilt
from rightscli.catalog import Catalog, load_catalog, policies_dir
from rightscli.letters import data as letters_data
from rightscli.letters.data import load_letter_data


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prebuilt")
    names = prebuild.build(out)
    assert sorted(names) == sorted(p.name for p in out.iterdir())
    return out


@pytest.fixture
def first_run(shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder and the prebuilt folder in place (a copy: tests may change it)."""
    folder = tmp_path / "prebuilt"
    shutil.copytree(shipped, folder)
    monkeypatch.setattr(prebuilt, "folder", lambda: folder)
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RIGHTS_NO_CACHE", raising=False)
    load_letter_data.cache_clear()
    return folder


def never(*args: object) -> None:
    raise AssertionError("the files were parsed")


def test_a_first_run_takes_the_catalog_and_letter_data_as_built(
    first_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_catalog, expected_letters = (
        catalog._read_catalog(policies_dir(), []),
        letters_data.read_letter_data(letters_data.data_file()),
    )
    monkeypatch.setattr(catalog, "_read_catalog", never)
    monkeypatch.setattr(letters_data, "read_letter_data", never)
    assert load_catalog() == expected_catalog
    assert load_letter_data() == expected_letters


def test_built_elsewhere_the_rules_name_their_files_here(first_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = first_run / prebuilt.CATALOG
    key, built_in, found = msgspec.msgpack.decode(path.read_bytes(), type=tuple[str, str, Catalog])
    elsewhere = "/build/elsewhere/policies"
    found.policies = [msgspec.structs.replace(p, file=p.file.replace(built_in, elsewhere)) for p in found.policies]
    found.calendars = [msgspec.structs.replace(c, file=c.file.replace(built_in, elsewhere)) for c in found.calendars]
    path.write_bytes(msgspec.msgpack.encode((key, elsewhere, found)))
    monkeypatch.setattr(catalog, "_read_catalog", never)
    loaded = load_catalog()
    here = str(policies_dir().absolute())
    assert loaded.policies and all(p.file.startswith(here + "/") for p in loaded.policies)
    assert all(c.file.startswith(here + "/") for c in loaded.calendars)
    assert elsewhere.encode() not in msgspec.msgpack.encode(loaded)


def test_a_changed_bundled_file_is_read_again(first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(policies_dir(), data / "policies")
    monkeypatch.setattr(catalog, "policies_dir", lambda: data / "policies")
    rule = next((data / "policies" / "cn").glob("*.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    reads: list[object] = []
    real = catalog._read_catalog
    monkeypatch.setattr(catalog, "_read_catalog", lambda *a: reads.append(a) or real(*a))
    load_catalog()
    assert len(reads) == 1  # the prebuilt catalog was not for these files


def test_a_set_with_policy_folders_is_read(first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    reads: list[object] = []
    real = catalog._read_catalog
    monkeypatch.setattr(catalog, "_read_catalog", lambda *a: reads.append(a) or real(*a))
    load_catalog([extra])
    assert len(reads) == 1
