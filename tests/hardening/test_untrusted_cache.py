"""The on-disk caches run code when loaded (the catalog cache is a pickle, the template cache holds compiled code), so
they are used only when nobody but their owner can write them. A poisoned cache that another user could have written
is never loaded: the marker its pickle would create never appears, and the command works as without a cache.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from rightscli import catalog_cache
from rightscli.letters import render
from tests.hardening.support import EXAMPLE, assert_clean, invoke

OTHER_UID = 65534  # nobody


class Poison:
    """Unpickling this creates the marker file: what an attacker's cache would do, harmlessly."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def poisoned_cache(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    marker = tmp_path / "PICKLE-RAN"
    path = folder / catalog_cache.CACHE_NAME
    path.write_bytes(pickle.dumps(Poison(marker)))
    path.chmod(0o600)
    return folder, marker


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
def test_a_cache_that_others_could_write_is_never_unpickled(tmp_path: Path, how: str) -> None:
    folder, marker = poisoned_cache(tmp_path)
    UNTRUSTED[how](folder, folder / catalog_cache.CACHE_NAME)
    result = invoke(["assess", EXAMPLE, "--json"], env={"RIGHTS_CACHE_DIR": str(folder)})
    assert_clean(result, allowed=(0,))
    assert not marker.exists(), "the untrusted pickle was loaded"


def test_a_link_to_a_file_that_others_could_write_is_never_unpickled(tmp_path: Path) -> None:
    folder, marker = poisoned_cache(tmp_path)
    elsewhere = tmp_path / "planted.pickle"
    (folder / catalog_cache.CACHE_NAME).rename(elsewhere)
    elsewhere.chmod(0o666)
    (folder / catalog_cache.CACHE_NAME).symlink_to(elsewhere)
    assert_clean(invoke(["assess", EXAMPLE, "--json"], env={"RIGHTS_CACHE_DIR": str(folder)}), allowed=(0,))
    assert not marker.exists()


def test_the_users_own_private_cache_is_loaded(tmp_path: Path) -> None:
    """The control for the tests above: the same pickle, private to its owner, is loaded (and then replaced by a good
    cache, since it holds no catalog). A user's own cache is trusted like the user's own files."""
    folder, marker = poisoned_cache(tmp_path)
    assert_clean(invoke(["assess", EXAMPLE, "--json"], env={"RIGHTS_CACHE_DIR": str(folder)}), allowed=(0,))
    assert marker.exists()


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
