"""The regular expressions compiled at import, kept from one run to the next (rightscli.regex_cache): the same pattern
objects as ``re`` builds, only import-time patterns, no warning lost, and an untrusted or damaged file ignored."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "changed-mind-in-time.yaml"

# A module that compiles at import what the libraries do: str and bytes, flags, named groups, a big Unicode class.
MODULE = r'''
import re
PATTERNS = [
    re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P<day>\d\d))?"),
    re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.M),
    re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"),
    re.compile(r"""(?x) [a-z]+  # a comment
                    \s* = \s* (?P<value>.*) """, re.I),
    re.compile(r"\bfoo\b|bar(?=baz)|(?<!x)y", re.A | re.S),
]
# As the PDF library does: a pattern built at import from a set, whose order changes from run to run.
import os
CHANGING = re.compile("changing-" + os.urandom(8).hex())
'''

PROBE = r"""
import json, re, sys, warnings
sys.path.insert(0, sys.argv[1])
from rightscli import regex_cache
installed = regex_cache.install()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import probe_patterns
    nested = re.compile("[[a]")  # FutureWarning: possible nested set (compiled at run time too)
    import probe_warns
late = re.compile(r"late-(\d+)")  # at run time, not while importing: never kept
table = dict(regex_cache._state.get("table", {}))
regex_cache.save()
regex_cache.uninstall()
re.purge()
fresh = [re.compile(p.pattern, p.flags) for p in probe_patterns.PATTERNS]
print(json.dumps({
    "installed": installed,
    "hits": sum(any(k[0] == p.pattern for k in table) for p in probe_patterns.PATTERNS),
    "same": [a == b and a.groupindex == b.groupindex and a.groups == b.groups
             for a, b in zip(probe_patterns.PATTERNS, fresh)],
    "kept": sorted(repr(k[0]) for k in table),
    "warnings": [str(w.message) for w in caught],
}))
"""


def probe(tmp_path: Path, cache: Path) -> dict[str, object]:
    modules = tmp_path / "modules"
    modules.mkdir(exist_ok=True)
    (modules / "probe_patterns.py").write_text(MODULE, encoding="utf-8")
    (modules / "probe_warns.py").write_text('import re\nWARNS = re.compile("[[b]")\n', encoding="utf-8")
    env = {**os.environ, "RIGHTS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("RIGHTS_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(modules)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cache_file(cache: Path) -> Path:
    (path,) = cache.glob("regex-*.marshal")
    return path


def test_patterns_come_back_the_same_and_only_import_time_ones_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = probe(tmp_path, cache)
    assert first["installed"] and first["hits"] == 0 and all(first["same"])
    path = cache_file(cache)
    assert path.stat().st_mode & 0o777 == 0o600
    second = probe(tmp_path, cache)  # each pattern compiled a second time: kept now, not before
    assert second["hits"] == 0 and all(second["same"])
    third = probe(tmp_path, cache)
    assert third["hits"] == 5, third["kept"]  # every pattern of the module came from the cache
    assert all(third["same"]), "a pattern from the cache differs from the one re builds"
    assert not any("late-" in k for k in third["kept"])  # compiled at run time: not kept
    assert not any("[[" in k for k in third["kept"])  # its parsing warns: not kept
    assert not any("changing-" in k for k in third["kept"])  # never compiled twice: never kept
    for run in (first, second, third):  # the warnings are given on every run, as without the cache
        assert sum("nested set" in w for w in run["warnings"]) == 2, run["warnings"]  # type: ignore[union-attr]


def bad_code(path: Path) -> None:
    """Entries of the right shape whose code _sre refuses: each pattern is compiled by re instead (and dropped)."""
    header, table, once = marshal.loads(path.read_bytes())
    entries = {k: marshal.loads(v) for k, v in table.items()}  # each entry is kept packed: its own marshal bytes
    spoilt = {k: marshal.dumps((v[0], [999999] * len(v[1]), *v[2:])) for k, v in entries.items()}
    path.write_bytes(marshal.dumps((header, spoilt, once)))


def bad_shape(path: Path) -> None:
    """Packed entries that unpack to something else than an entry: each pattern is compiled by re instead."""
    header, table, once = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((header, {k: marshal.dumps(("not", "an", "entry")) for k in table}, once)))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.chmod(0o666),
        lambda path: path.parent.chmod(0o777),
        lambda path: path.write_bytes(b"not marshal"),
        lambda path: path.write_bytes(marshal.dumps(("another header", {}))),
        lambda path: bad_code(path),
        lambda path: bad_shape(path),
    ],
    ids=[
        "file writable by others",
        "folder writable by others",
        "damaged",
        "another Python",
        "code _sre refuses",
        "an entry of another shape",
    ],
)
def test_an_untrusted_or_foreign_file_is_not_read(tmp_path: Path, spoil: object) -> None:
    cache = tmp_path / "cache"
    probe(tmp_path, cache)
    assert probe(tmp_path, cache)["hits"] == 0  # kept at the end of the second run
    spoil(cache_file(cache))  # type: ignore[operator]
    again = probe(tmp_path, cache)
    assert again["hits"] == 0 and all(again["same"])


def test_rights_no_cache(tmp_path: Path) -> None:
    env = {**os.environ, "RIGHTS_CACHE_DIR": str(tmp_path / "cache"), "RIGHTS_NO_CACHE": "1"}
    code = "from rightscli import regex_cache; print(regex_cache.install())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False" and not (tmp_path / "cache").exists()


def test_the_console_script_keeps_them_and_they_hold_no_personal_data(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "RIGHTS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("RIGHTS_NO_CACHE", None)
    case = tmp_path / "case.yaml"
    case.write_text(EXAMPLE.read_text(encoding="utf-8").replace("李娜", "欧阳娜娜"), encoding="utf-8")
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "rightscli", "letter", str(case), "--to", "merchant"],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    raw = cache_file(cache).read_bytes()
    for personal in ("欧阳娜娜", "13800138000", "天河路385号"):
        assert personal.encode() not in raw


def test_a_pattern_that_changes_every_run_leaves_only_a_digest(tmp_path: Path) -> None:
    """The file stays the size of what comes back: a pattern seen once costs 4 bytes, and only the newest
    MAX_SEEN_ONCE such digests are kept."""
    from rightscli import regex_cache

    cache = tmp_path / "cache"
    sizes = []
    for _ in range(4):
        probe(tmp_path, cache)
        _header, table, once = marshal.loads(cache_file(cache).read_bytes())
        sizes.append((len(table), len(once) // 4))
    assert [kept for kept, _ in sizes] == [0, 5, 5, 5]
    # the first run notes seven patterns (the five, the changing one, the one whose parsing warns); the second keeps
    # the five, and each run adds the changing pattern's new digest
    assert [digests for _, digests in sizes] == [7, 3, 4, 5]
    assert regex_cache.MAX_SEEN_ONCE * 4 < 20_000


def test_digests_are_stable_and_a_python_without_zlib_keeps_patterns_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from rightscli import regex_cache

    assert regex_cache._digest("a+", 0) == regex_cache._digest("a+", 0) != regex_cache._digest(b"a+", 0)
    assert regex_cache._digest("a+", 0) != regex_cache._digest("a+", 2)
    monkeypatch.setitem(sys.modules, "zlib", None)  # import zlib then fails
    assert regex_cache._digest("a+", 0) is None
