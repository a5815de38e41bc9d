"""Bugs the hardening work found and that are fixed now: each test states the wanted behaviour (it was a strict xfail
in test_known_bugs.py while the bug was open)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rightscli import vocab
from tests.hardening.support import EXAMPLE, assert_clean, invoke
from tests.hardening.test_known_bugs import FIELD_RE, NUMBERS, RULE, SECRET, small, write_case

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")


def test_a_letter_for_a_problem_kind_beyond_the_pinned_set(tmp_path: Path) -> None:
    """rightscli/letters/context.py build_letter_context reads ``data.problem_kinds[k]`` for every problem kind, and
    templates/letters/recipients.yaml words only the 11 pinned kinds: a valid case with seller_cancelled,
    auto_renewal, price_discrimination, missing_gift, out_of_stock or fake_shipment makes every letter (and each such
    case of a batch) fail with 'internal error: KeyError' (exit 1). Wanted: the letter, with wording for these kinds."""
    for kind in vocab.PROBLEM_KINDS[11:]:
        for recipient in ("merchant", "regulator"):
            case = write_case(tmp_path, small(kind=kind))
            result = invoke(["letter", case, "--to", recipient, "--draft"])
            assert_clean(result, allowed=(0,))


@pytest.mark.parametrize("how", ["included link", "linked folder", "template is a link"])
def test_a_symlink_cannot_lead_a_template_out_of_its_folder(tmp_path: Path, how: str) -> None:
    """rightscli/letters/render.py make_env: Jinja's FileSystemLoader opens symbolic links (followlinks=False only
    affects listing templates), so a --template-dir can reach any readable file: `{% include 'root/etc/passwd' %}`
    with a link root -> /, or a merchant.md.j2 that links to ~/.ssh/id_rsa, copies that file into the letter. A
    template pack unpacked from an archive or cloned with git can carry such links. Wanted: a loader that refuses
    (exit 2) a template whose real path is outside the real path of the folder it was found in."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    if how == "included link":
        (folder / "leak.md.j2").symlink_to(secret)
        (folder / "merchant.md.j2").write_text("# x\n{% include 'leak.md.j2' %}\n", encoding="utf-8")
    elif how == "linked folder":
        (folder / "outside").symlink_to(tmp_path)
        (folder / "merchant.md.j2").write_text("# x\n{% include 'outside/secret.txt' %}\n", encoding="utf-8")
    else:
        (folder / "merchant.md.j2").symlink_to(secret)
    result = invoke(["letter", EXAMPLE, "--to", "merchant", "--template-dir", folder])
    assert SECRET not in result.stdout + result.stderr
    assert_clean(result, allowed=(2,))


def test_a_template_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    """rightscli/letters/render.py render: a template that is not UTF-8 stops with 'error while rendering:
    UnicodeDecodeError …' and no file name (the loader fails before Jinja knows the file, so _where finds no
    frame). Wanted: the file named, as for every other template error."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "merchant.md.j2").write_bytes(b"# caf\xe9 {{ title }}\n")
    result = invoke(["letter", EXAMPLE, "--to", "merchant", "--template-dir", folder])
    assert_clean(result, allowed=(2,))
    assert "merchant.md.j2" in result.stderr


@pytest.mark.parametrize("name", ["case.json", "case.yaml"])
def test_control_characters_in_case_text_do_not_reach_the_terminal(tmp_path: Path, name: str) -> None:
    """rightscli/case.py _Checker._text accepts control characters, so a shared case file can carry terminal escape
    sequences (JSON "\\u001b", YAML "\\e") into `rights assess` / `next` output and into letters: OSC 52 writes the
    clipboard, others change the window title or clear the screen. Wanted: text fields refuse C0/C1 controls other
    than tab and newline (exit 2 naming the field), or the views and letters drop them."""
    osc52 = "\x1b]52;c;ZXZpbA==\x07"
    if name.endswith(".json"):
        data = {
            "platform": "taobao",
            "as_of": "2026-11-20",
            "merchant": {"name": f"店{osc52}\x1b[2J"},
            "order": {"item": f"大衣{osc52}", "price": 1, "paid_on": "2026-11-08", "received_on": "2026-11-12"},
            "problem": {"kinds": ["changed_mind"]},
        }
        text = json.dumps(data)
    else:
        text = small().replace("item: 羊毛大衣", 'item: "大衣\\e]52;c;ZXZpbA==\\a"')
    case = write_case(tmp_path, text, name)
    for args in (["assess", case], ["next", case], ["letter", case, "--to", "merchant"]):
        result = invoke(args)
        assert_clean(result)
        assert "\x1b" not in result.stdout + result.stderr, args
        if result.exit_code == 2:
            assert "field 'order.item'" in result.stderr


def test_a_blank_required_text_is_refused(tmp_path: Path) -> None:
    """rightscli/case.py _Checker.mapping checks `required` only when the raw value is None: order.item: "   " passes
    and becomes None (Order.item is typed str; the letter shows a placeholder). Wanted: 'is required' (exit 2)."""
    case = write_case(tmp_path, small().replace("item: 羊毛大衣", 'item: "   "'))
    result = invoke(["assess", case])
    assert_clean(result, allowed=(2,))
    assert "field 'order.item'" in result.stderr


@pytest.mark.parametrize("command", ["list", "validate", "assess"])
def test_a_policy_folder_with_a_link_to_itself(tmp_path: Path, command: str) -> None:
    """rightscli/catalog.py rule_files follows links to folders (os.scandir entry.is_dir()) and does not remember
    where it has been: a policy folder holding a link to itself makes `policies list`, `policies validate` and
    `assess --policy-dir` fail with 'internal error: OSError: [Errno 40] Too many levels of symbolic links' (exit 1).
    Wanted: the loop is skipped (each real folder read once) or reported (exit 2)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "self").symlink_to(".")
    args = {"list": ["policies", "list", "--policy-dir", folder], "validate": ["policies", "validate", folder]}
    result = invoke(args.get(command, ["assess", EXAMPLE, "--policy-dir", folder]))
    assert_clean(result)


@pytest.mark.parametrize("command", ["list", "assess"])
def test_a_dangling_link_in_a_policy_folder(tmp_path: Path, command: str) -> None:
    """rightscli/catalog_cache.py fingerprint os.stat()s every rule file before reading it: a dangling link named
    *.yaml in a --policy-dir makes `policies list` and `assess --policy-dir` fail with 'internal error:
    FileNotFoundError' (exit 1), while `policies validate` reports it ('file not found', exit 2). Wanted: the same
    message and exit 2 everywhere."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    if command == "list":
        result = invoke(["policies", "list", "--policy-dir", folder])
    else:
        result = invoke(["assess", EXAMPLE, "--policy-dir", folder])
    assert_clean(result, allowed=(2,))
    assert "gone.yaml" in result.stderr


@pytest.mark.parametrize("command", ["assess", "status"])
def test_dates_at_the_end_of_the_calendar(tmp_path: Path, command: str) -> None:
    """rightscli/daycount.py _unmoved_end / add_months: a case dated 9999-12-01…9999-12-31 passes validate_case, then
    every command that assesses it fails with 'internal error: ValueError: year 10002 is out of range' or
    'OverflowError: date value out of range' (exit 1); `rights status` fails for the whole folder. Wanted:
    validate_case refuses implausible years (exit 2 naming the field), or the arithmetic stops at date.max."""
    case = write_case(tmp_path, small(as_of="9999-12-31", paid="9999-12-01", received="9999-12-03"))
    result = invoke([command, tmp_path if command == "status" else case])
    assert_clean(result)
    if result.exit_code == 2 and command != "status":
        assert FIELD_RE.search(result.stderr), result.stderr


def test_thousands_of_problems_give_a_short_message(tmp_path: Path) -> None:
    """rightscli/errors.py ErrorList.of lists every problem: an 80 KB JSON case with 20,000 empty history items gives
    a 5.5 MB message on stderr (a 1 MB file: about 60 MB, and seconds of work). Wanted: the first few dozen
    problems and the count of the rest."""
    data: dict = {"platform": "taobao", "as_of": "2026-11-20", "problem": {"kinds": ["changed_mind"]}}
    data["order"] = {"item": "a", "price": 1, "paid_on": "2026-11-08"}
    data["history"] = [{}] * 20_000
    case = write_case(tmp_path, json.dumps(data), "case.json")
    result = invoke(["assess", case])
    assert_clean(result, allowed=(2,))
    assert len(result.stderr) < 100_000, f"{len(result.stderr)} characters of errors"


@pytest.mark.parametrize("name", list(NUMBERS))
def test_policy_numbers_out_of_range_are_refused(tmp_path: Path, name: str) -> None:
    """rightscli/policy.py Reader.integer / Reader.period and rightscli/amounts.py check accept numbers of any size,
    .inf and .nan: `rights policies validate` says OK, then `rights assess --policy-dir` fails with 'internal error:
    OverflowError / ValueError' (daycount.py _unmoved_end, add_months, _add_working_days; conditions.py within) or
    'decimal.InvalidOperation' (amounts.py _money), exit 1, or prints "amount": NaN, which is not JSON. Wanted:
    validate (and the catalog) refuse non-finite amounts and periods beyond a sane bound (exit 2 naming the key)."""
    extra = NUMBERS[name]
    if extra.startswith("WHEN "):
        text = RULE.replace("when: {fact: platform, eq: douyin}", "when: " + extra.removeprefix("WHEN "))
    else:
        text = RULE + extra + "\n"
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "rule.yaml").write_text(text, encoding="utf-8")
    validated = invoke(["policies", "validate", folder])
    assessed = invoke(["assess", EXAMPLE, "--policy-dir", folder, "--json"])
    assert_clean(assessed)
    assert "NaN" not in assessed.stdout and "Infinity" not in assessed.stdout
    assert validated.exit_code == 2 and assessed.exit_code == 2


def test_log_keeps_cr_line_ends(tmp_path: Path) -> None:
    """rightscli/case_edit.py _append_yaml inserts "\\n" lines into a file whose lines end in a lone CR (old Mac
    editors); the result does not parse, so `rights log` refuses ('is not valid YAML: did not find expected key',
    exit 2) a file that `rights assess` reads. Nothing is damaged. Wanted: keep CR line ends as CRLF ones are kept."""
    case = tmp_path / "case.yaml"
    case.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r"))
    assert_clean(invoke(["assess", case, "--json"]), allowed=(0,))
    result = invoke(["log", case, "complaint_regulator", "--on", "2026-11-20"])
    assert_clean(result, allowed=(0,))


def test_validate_refuses_a_pack_that_policy_dir_refuses(tmp_path: Path) -> None:
    """rightscli/validate.py validate_paths cross-checks the given files only among themselves: a pack whose rule
    reuses a bundled id with overlapping dates passes `rights policies validate DIR` (OK, exit 0), but `rights assess
    --policy-dir DIR` refuses it (exit 2, 'effective dates overlap'). Wanted: validate checks against the bundled
    ids too, so that it predicts what --policy-dir will do."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "rule.yaml").write_text(RULE.replace("taobao.hardening.numbers", "taobao.seven_day_return"), "utf-8")
    assert invoke(["assess", EXAMPLE, "--policy-dir", folder]).exit_code == 2
    result = invoke(["policies", "validate", folder])
    assert_clean(result, allowed=(2,))
    assert "taobao.seven_day_return" in result.stderr


@pytest.mark.parametrize("recipient", ["regulator", "regulator-report"])
def test_a_regulator_letter_for_a_case_before_2020(tmp_path: Path, recipient: str) -> None:
    """Was a strict xfail: a valid case whose as_of is before 2020-01-01 got no regulator or regulator-report letter
    (exit 2 blaming the bundled recipients.yaml, which the user cannot fix). Now the letter cites the earliest rule
    rightscli knows, and a warning says that it came into force after the letter's date."""
    case = write_case(tmp_path, small(as_of="2019-06-20", paid="2019-06-08", received="2019-06-12"))
    result = invoke(["letter", case, "--to", recipient, "--lang", "en"])
    assert_clean(result, allowed=(0,))
    assert "市场监督管理投诉举报处理暂行办法" in result.stdout
    assert "before 2020-01-01" in result.stderr and "check the citation" in result.stderr
