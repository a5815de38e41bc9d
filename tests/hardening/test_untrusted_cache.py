"""The on-disk caches change what `rights` says (the catalog cache holds every rule) or run code when loaded (the
template cache holds compiled templates), so they are used only when nobody but their owner can write them. The
catalog cache is typed MessagePack, never a pickle: even a planted file in the user's own cache cannot run code.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from rightscli import catalog_cache
from rightscli.catalog import policies_dir
from rightscli.letters import render
from tests.hardening.support import EXAMPLE, assert_clean, invoke

OTHER_UID = 65534  # nobody
TITLE = "七日无理由退货"  # a finding of EXAMPLE
FORGED = "伪造的规则标题"  # as many UTF-8 bytes as TITLE, so the forged MessagePack stays valid


def titles(result: object) -> list[str]:
    return [finding["title"] for finding in json.loads(result.stdout)["findings"]]  # type: ignore[attr-defined]


def forged_cache(tmp_path: Path) -> Path:
    """A private cache folder whose catalog, under the right key, renames a rule: what a planted cache would do."""
    folder = tmp_path / "cache"
    assert_clean(invoke(["assess", str(EXAMPLE), "--json"], env={"RIGHTS_CACHE_DIR": str(folder)}), allowed=(0,))
    path = catalog_file(folder)
    raw = path.read_bytes()
    assert TITLE.encode() in raw and len(FORGED.encode()) == len(TITLE.encode())
    path.write_bytes(raw.replace(TITLE.encode(), FORGED.encode()))
    folder.chmod(0o700)
    path.chmod(0o600)
    return folder


def catalog_file(folder: Path) -> Path:
    """The cached catalog of the bundled rules (the one set of policy folders used here)."""
    (path,) = folder.glob(catalog_cache.CATALOG_PATTERN)
    return path


def as_other_user(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    os.chown(path, OTHER_UID, OTHER_UID)


UNTRUSTED = {
    "file writable by others": lambda folder, file: file.chmod(0o666),
    "file writable by the group": lambda folder, file: file.chmod(0o620),
    "folder writable by others": lambda folder, file: folder.chmod(0o777),
    "folder writable by the group": lambda folder, file: folder.chmod(0o770),
    "file of another user": lambda folder, file: as_other_user(file),
    "folder of another user": lambda folder, file: as_other_user(folder),
}


@pytest.mark.parametrize("how", list(UNTRUSTED))
def test_a_cache_that_others_could_write_is_never_loaded(tmp_path: Path, how: str) -> None:
    folder = forged_cache(tmp_path)
    UNTRUSTED[how](folder, catalog_file(folder))
    result = invoke(["assess", str(EXAMPLE), "--json"], env={"RIGHTS_CACHE_DIR": str(folder)})
    assert_clean(result, allowed=(0,))
    assert TITLE in titles(result) and FORGED not in titles(result), "the untrusted cache was loaded"


def test_a_link_to_a_file_that_others_could_write_is_never_loaded(tmp_path: Path) -> None:
    folder = forged_cache(tmp_path)
    elsewhere = tmp_path / "planted.msgpack"
    entry = catalog_file(folder)
    entry.rename(elsewhere)
    elsewhere.chmod(0o666)
    entry.symlink_to(elsewhere)
    result = invoke(["assess", str(EXAMPLE), "--json"], env={"RIGHTS_CACHE_DIR": str(folder)})
    assert_clean(result, allowed=(0,))
    assert FORGED not in titles(result)


def test_the_users_own_private_cache_is_loaded(tmp_path: Path) -> None:
    """The control for the tests above: the same forged cache, private to its owner, is loaded. A user's own cache is
    trusted like the user's own files."""
    folder = forged_cache(tmp_path)
    result = invoke(["assess", str(EXAMPLE), "--json"], env={"RIGHTS_CACHE_DIR": str(folder)})
    assert_clean(result, allowed=(0,))
    assert FORGED in titles(result)


class Poison:
    """Unpickling this creates the marker file: what an attacker's pickle would do, harmlessly."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("name", [catalog_cache.catalog_name([policies_dir()]), "catalog.msgpack", "catalog.pickle"])
def test_a_planted_pickle_never_runs_even_in_the_users_own_cache(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    marker = tmp_path / "PICKLE-RAN"
    (folder / name).write_bytes(pickle.dumps(Poison(marker)))
    (folder / name).chmod(0o600)
    result = invoke(["assess", str(EXAMPLE), "--json"], env={"RIGHTS_CACHE_DIR": str(folder)})
    assert_clean(result, allowed=(0,))
    assert TITLE in titles(result)
    assert not marker.exists(), "a pickle was loaded"


def test_rights_no_cache_writes_and_reads_no_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    env = {"RIGHTS_CACHE_DIR": str(folder), "RIGHTS_NO_CACHE": "1"}
    assert_clean(invoke(["letter", EXAMPLE, "--to", "merchant"], env=env), allowed=(0,))
    assert not folder.exists()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o757])
def test_compiled_templates_are_not_cached_in_a_folder_others_could_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RIGHTS_NO_CACHE", raising=False)
    assert render._bytecode_cache() is not None  # private: used
    (tmp_path / "cache" / "templates").chmod(mode)
    assert render._bytecode_cache() is None
    (tmp_path / "cache" / "templates").chmod(0o700)
    (tmp_path / "cache").chmod(mode)
    assert render._bytecode_cache() is None


def test_the_caches_hold_no_personal_data(tmp_path: Path) -> None:
    """The catalog and template caches are the same for every case: nothing of a case reaches them."""
    folder = tmp_path / "cache"
    env = {"RIGHTS_CACHE_DIR": str(folder)}
    for args in (["assess", EXAMPLE], ["letter", EXAMPLE, "--to", "merchant"], ["checklist", EXAMPLE, "-f", "md"]):
        assert_clean(invoke(args, env=env), allowed=(0,))
    blobs = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert blobs, "the caches were written"
    for personal in ("郑雪", "17712345678", "高新南七道", "6938402715590368421"):
        assert personal.encode() not in blobs
