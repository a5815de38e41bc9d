"""Hostile case, answers, profile and policy files through every route that reads one.

YAML bombs, deep nesting, huge files and strings, NUL bytes, invalid UTF-8, duplicate keys, Python-object tags, several
documents: each is refused with exit 2 and a message that says what is wrong, by `assess` (file and standard input),
`log` (which then leaves the file alone), `wizard --answers`, `batch`, `status`, `profile show` and
`policies validate`; a tag that would run code runs nothing. A BOM, CRLF or CR line ends are accepted.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.support import EXAMPLE, assert_clean, invoke

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

KIB = 1024
MIB = 1024 * KIB


def case_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def laughs() -> bytes:
    """The billion laughs: each line nine times the one before (9**9 values if aliases were expanded)."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def code_tags(marker: Path) -> dict[str, bytes]:
    """YAML that PyYAML's unsafe loaders would turn into a call creating ``marker``."""
    touch = f"touch {marker}"
    return {
        "python/object/apply": f"platform: !!python/object/apply:os.system ['{touch}']\n".encode(),
        "python/object/apply (mapping)": f"--- !!python/object/apply:os.system\nargs: ['{touch}']\n".encode(),
        "python/object/new": f"!!python/object/new:os.system ['{touch}']\n".encode(),
        "verbatim tag": f"platform: !<tag:yaml.org,2002:python/object/apply:os.system> ['{touch}']\n".encode(),
        "python/object/apply open": f"x: !!python/object/apply:builtins.open ['{marker}', 'w']\n".encode(),
        "python/name": b"x: !!python/name:os.system\n",
        "python/module": b"x: !!python/module:os\n",
        "python/object": b"x: !!python/object:subprocess.Popen {args: [true]}\n",
        "local tag": b"x: !custom 1\n",
        "binary": b"x: !!binary aGVsbG8=\n",
        "set": b"x: !!set {a, b}\n",
        "omap": b"x: !!omap [a: 1]\n",
    }


# name → (the file's bytes, its extension, a piece of the expected message)
def file_payloads(marker: Path) -> dict[str, tuple[bytes, str, str]]:
    out: dict[str, tuple[bytes, str, str]] = {
        "billion laughs": (laughs(), "yaml", "alias"),
        "self-referencing alias": (b"a: &a [1, *a]\n", "yaml", "alias"),
        "merge key": (b"platform: taobao\norder:\n  <<: {item: a}\n", "yaml", "not allowed"),
        "deep YAML block": (
            ("x:\n" + "".join("  " * i + "a:\n" for i in range(1, 200)) + "  " * 200 + "1\n").encode(),
            "yaml",
            "nested too deeply",
        ),
        "deep YAML block list": (("x:\n" + "".join("  " * i + "-\n" for i in range(1, 200))).encode(), "yaml", "deep"),
        "deep YAML flow list": (b"x: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "yaml", "nested too deeply"),
        "deep YAML flow map": (b"x: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n", "yaml", "nested too deeply"),
        "deep JSON list": (b"[" * 200_000 + b"]" * 200_000, "json", "nested too deeply"),
        "deep JSON object": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "json", "nested too deeply"),
        "too many YAML values": (b"x: [" + b"0," * 250_000 + b"0]\n", "yaml", "more than"),
        "5 MiB string": (b"platform: '" + b"x" * (5 * MIB) + b"'\n", "yaml", "larger than"),
        "5 MiB of newlines": (b"\n" * (5 * MIB) + b"platform: tmall\n", "yaml", "larger than"),
        "NUL byte": (case_text().encode() + b"\x00\n", "yaml", "NUL byte"),
        "NUL byte in JSON": (b'{"platform": "tmall\x00"}', "json", "NUL byte"),
        "UTF-16": (case_text().encode("utf-16"), "yaml", "NUL byte"),
        "Latin-1": ("platform: taobao\norder: {item: café}\n".encode("latin-1"), "yaml", "not valid UTF-8"),
        "truncated UTF-8": (case_text().encode()[:-1] + "说".encode()[:2], "yaml", "not valid UTF-8"),
        "overlong UTF-8": (b"platform: \xc0\xaf\n", "yaml", "not valid UTF-8"),
        "encoded surrogate": (b"platform: \xed\xa0\x80\n", "yaml", "not valid UTF-8"),
        "duplicate key": (b"platform: taobao\nplatform: jd\n", "yaml", "duplicate key 'platform'"),
        "duplicate key quoted": (b'platform: taobao\n"platform": jd\n', "yaml", "duplicate key 'platform'"),
        "duplicate nested key": (b"order:\n  price: 1\n  price: 2\n", "yaml", "duplicate key 'price'"),
        "duplicate JSON key": (b'{"platform": "tmall", "platform": "jd"}', "json", "duplicate key 'platform'"),
        "complex key": (b"? [a, b]\n: 1\n", "yaml", "key must be a plain value"),
        "two documents": (b"platform: taobao\n---\nplatform: jd\n", "yaml", "more than one YAML document"),
        "empty": (b"", "yaml", "is empty"),
        "only a BOM": (b"\xef\xbb\xbf\r\n", "yaml", "is empty"),
        "JSON NaN": (b'{"order": {"price": NaN}}', "json", "not valid JSON"),
        "JSON Infinity": (b'{"order": {"price": -Infinity}}', "json", "not valid JSON"),
        "JSON huge integer": (b'{"case_version": ' + b"9" * 5000 + b"}", "json", "too many digits"),
        "JSON lone surrogate": (b'{"platform": "\\ud800"}', "json", "surrogate"),
        "JSON lone surrogate key": (b'{"\\udfff": 1}', "json", "surrogate"),
        "YAML lone surrogate": (b'platform: "\\ud800"\n', "yaml", "not valid YAML"),
        "not YAML": (b"platform: [taobao\n", "yaml", "not valid YAML"),
        "tab indentation": (b"order:\n\tprice: 1\n", "yaml", "not valid YAML"),
    }
    for name, raw in code_tags(marker).items():
        out[f"tag {name}"] = (raw, "yaml", "is not allowed")
    return out


MARKER_NAME = "CODE-RAN"
PAYLOADS = list(file_payloads(Path(MARKER_NAME)))
# One of each kind, sent through every route (all of them go through `assess FILE`).
CORE_PAYLOADS = [
    "billion laughs",
    "deep JSON list",
    "5 MiB string",
    "NUL byte",
    "duplicate nested key",
    "JSON lone surrogate",
    "tag python/object/apply",
    "tag python/object/apply (mapping)",
]


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / MARKER_NAME


# Each route: (folder, file) → (args, stdin); the message is read from stderr unless the route says otherwise.
Route = Callable[[Path, Path], tuple[list[object], bytes | None]]
ROUTES: dict[str, Route] = {
    "assess FILE": lambda d, f: (["assess", f], None),
    "assess -": lambda d, f: (["assess", "-", "--json"], f.read_bytes()),
    "letter FILE": lambda d, f: (["letter", f, "--to", "merchant", "-o", d / "out.md"], None),
    "log FILE": lambda d, f: (["log", f, "contacted_merchant", "--on", "2026-11-10"], None),
    "wizard --answers": lambda d, f: (["wizard", "--answers", f, "--no-input", "--save", d / "saved.yaml"], None),
    "batch FOLDER": lambda d, f: (["batch", f.parent, "--to", "merchant", "--out-dir", d / "out", "-j", "1"], None),
    "status FOLDER": lambda d, f: (["status", f.parent, "--json"], None),
    "policies validate": lambda d, f: (["policies", "validate", f], None),
}


@pytest.mark.parametrize(
    ("payload", "route"),
    [(p, "assess FILE") for p in PAYLOADS] + [(p, r) for p in CORE_PAYLOADS for r in ROUTES if r != "assess FILE"],
)
def test_hostile_files_are_refused_by_every_route(tmp_path: Path, marker: Path, payload: str, route: str) -> None:
    raw, ext, expected = file_payloads(marker)[payload]
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / f"case.{ext}"
    path.write_bytes(raw)
    args, stdin = ROUTES[route](tmp_path, path)
    result = invoke(args, stdin=stdin, env={"RIGHTS_CONFIG_DIR": str(tmp_path / "config")})
    assert_clean(result, allowed=(2,))
    message = json.loads(result.stdout)["invalid"][0]["error"] if route == "status FOLDER" else result.stderr
    assert expected in message, message[:2000]
    assert len(result.stderr) < 20_000, "the message is a paragraph, not a dump of the input"
    assert not marker.exists(), "a YAML tag ran code"
    assert path.read_bytes() == raw, "the file was changed"
    left = {p.name for p in tmp_path.rglob("*")} - {"in", path.name}
    assert left <= {"out"}, f"written after a refusal: {left}"


@pytest.mark.parametrize("payload", CORE_PAYLOADS)
def test_a_hostile_profile_is_refused(tmp_path: Path, marker: Path, payload: str) -> None:
    raw, _, expected = file_payloads(marker)[payload]
    (tmp_path / "profile.yaml").write_bytes(raw)
    result = invoke(["profile", "show"], env={"RIGHTS_CONFIG_DIR": str(tmp_path)})
    if expected == "is empty" and result.exit_code == 0:
        return  # an empty profile is no profile
    assert_clean(result, allowed=(2,))
    assert expected in result.stderr, result.stderr[:2000]
    assert not marker.exists()


def test_a_huge_text_value_is_refused_by_its_field(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    text = case_text().replace("  item: 主动降噪真无线蓝牙耳机", "  item: " + "长" * 300_000)
    path.write_text(text, encoding="utf-8")
    result = invoke(["assess", path])
    assert_clean(result, allowed=(2,))
    assert "field 'order.item'" in result.stderr and "at most 5000" in result.stderr
    assert len(result.stderr) < 2000, "the message does not quote the whole value"


def test_an_endless_input_is_cut_at_the_size_limit(tmp_path: Path) -> None:
    link = tmp_path / "case.yaml"
    link.symlink_to("/dev/zero")
    result = invoke(["assess", link])
    assert_clean(result, allowed=(2,))
    assert "larger than" in result.stderr


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "BOM": lambda t: b"\xef\xbb\xbf" + t.encode(),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "BOM and CRLF": lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
    "CR": lambda t: t.replace("\n", "\r").encode(),
    "no final newline": lambda t: t.rstrip("\n").encode(),
}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("name", list(ENCODINGS))
def test_bom_and_line_ends_are_accepted_and_kept_by_log(tmp_path: Path, fmt: str, name: str) -> None:
    text = case_text() if fmt == "yaml" else json.dumps(as_json(), ensure_ascii=False, indent=2) + "\n"
    path = tmp_path / f"case.{fmt}"
    path.write_bytes(ENCODINGS[name](text))
    assessed = invoke(["assess", path, "--json"])
    assert_clean(assessed, allowed=(0,))
    if name == "CR":  # `log` refuses these (and leaves them alone): test_known_bugs.py::test_log_keeps_cr_line_ends
        return
    logged = invoke(["log", path, "complaint_regulator", "--on", "2026-11-20"])
    assert_clean(logged, allowed=(0,))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == name.startswith("BOM")
    if "CRLF" in name:
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF kept on every line"
    assert_clean(invoke(["assess", path, "--json"]), allowed=(0,))


def as_json() -> dict:
    from rightscli import datafile

    return datafile.load(str(EXAMPLE)).data


def test_a_case_file_that_is_a_folder_or_missing(tmp_path: Path) -> None:
    for args, expected in [
        (["assess", tmp_path], "is a folder"),
        (["assess", tmp_path / "missing.yaml"], "file not found"),
        (["log", tmp_path / "missing.yaml", "contacted_merchant"], "file not found"),
    ]:
        result = invoke(args)
        assert_clean(result, allowed=(2,))
        assert expected in result.stderr


def test_batch_with_a_symlinked_case_folder_loop_ends(tmp_path: Path) -> None:
    """A folder of cases holding a link to itself: batch reads the folder's own files, once."""
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLE, cases / "a.yaml")
    (cases / "loop").symlink_to(cases)
    result = invoke(["batch", cases, "--to", "merchant", "--out-dir", tmp_path / "out", "-j", "1"])
    assert_clean(result, allowed=(0,))
    assert len(list((tmp_path / "out").iterdir())) == 1


ESCAPE = "\x1b]0;PWNED\x07\x1b[2J\u202e"


def test_escape_sequences_in_keys_and_names_never_reach_the_terminal(tmp_path: Path) -> None:
    """A message quotes what it finds in the input (an unknown key, a file or column name): control and invisible
    characters in it are written as escapes (\\x1b, \\u202e), so they cannot act on the terminal that shows it."""
    quoted = '"\\e]0;PWNED\\a\\e[2J\\u202e"'
    case = tmp_path / "case.yaml"
    case.write_text(f"platform: taobao\n{quoted}: 1\norder: {{item: x, price: 1, paid_on: 2026-11-01}}\n", "utf-8")
    named = tmp_path / f"{ESCAPE}.yaml"
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text(f"platform,{ESCAPE}\njd,x\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(f"id: taobao.x\n{quoted}: 1\n", encoding="utf-8")
    for args in (
        ["assess", case],
        ["assess", case, "--json"],
        ["assess", named],
        ["batch", csv_file, "--to", "merchant", "--out-dir", tmp_path / "out"],
        ["policies", "validate", rules],
        ["policies", "validate", rules, "--json"],
    ):
        result = invoke(args)
        assert_clean(result, allowed=(2,))
        output = result.stdout + result.stderr
        assert not any(ch in output for ch in "\x1b\x07\u202e"), (args, output)
        assert "\\x1b" in output or "\\u001b" in output, (args, output)
