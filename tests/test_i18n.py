"""The interface catalogues (rightscli/i18n/zh.json, en.json) and the rule that every user-facing string goes through
them: the same keys and placeholders in both languages, every key the code names exists, no error message, warning
or help text written as a bare English literal, errors and help in Chinese by default and in English with --lang en.

A helper who adds ``raise UserError(f"cannot …")`` fails :func:`test_no_english_literal_reaches_the_user`; the fix
is a key in both catalogues and ``raise UserError(tr("section.key", …))`` (docs/i18n.md).
"""

from __future__ import annotations

import ast
import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightscli import i18n, vocab
from rightscli.case import known_paths
from rightscli.cli import app
from rightscli.i18n import default_lang, lang_from_argv, tr
from rightscli.i18n.wrap import NO_END, NO_START, cell_width, wrap

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rightscli"
ZH = json.loads((PACKAGE / "i18n" / "zh.json").read_text(encoding="utf-8"))
EN = json.loads((PACKAGE / "i18n" / "en.json").read_text(encoding="utf-8"))
FORMATTER = string.Formatter()


def _fields(value: str | dict[str, str]) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for _, name, _, _ in FORMATTER.parse(text) if name}


def test_both_catalogues_hold_the_same_keys_and_placeholders() -> None:
    assert sorted(set(ZH) - set(EN)) == [], "keys only in zh.json"
    assert sorted(set(EN) - set(ZH)) == [], "keys only in en.json"
    for key in ZH:
        assert _fields(ZH[key]) == _fields(EN[key]), key
        for value in (ZH[key], EN[key]):
            assert value or key.endswith("_sep"), f"{key} is empty"
            if isinstance(value, dict):
                assert set(value) <= {"one", "other"} and "other" in value, key


def test_chinese_texts_are_chinese() -> None:
    """A Chinese entry left in English (a translation forgotten) is caught here: commands, options, placeholders and
    ids may stay Latin, sentences may not."""
    code = re.compile(r"rights [^\n，。；）]*|--?[a-z][a-z-]*|\{[^}]*\}|[a-z_]+\.[a-z_.]+|[A-Za-z]+_[a-z_]+")
    for key, value in ZH.items():
        for text in value.values() if isinstance(value, dict) else [value]:
            assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", code.sub("", text)), f"{key}: {text!r}"


# -- the code and the catalogue ---------------------------------------------------------------------------------------
def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


def _calls_to_tr() -> list[tuple[Path, int, ast.expr]]:
    out = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ("tr", "t") and node.args:
                out.append((path, node.lineno, node.args[0]))
    return out


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    """tr("…") and the help keys given to Typer (help="help.assess"), which click puts in words when it shows them."""
    missing = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg in _USER_KEYWORDS and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and value.startswith("help.") and value not in ZH:
                    missing.append(f"{path.relative_to(ROOT)}:{node.value.lineno}: {value}")
    for path, line, arg in _calls_to_tr():
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            if arg.value not in ZH:
                missing.append(f"{where}: {arg.value}")
        elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
            prefix = str(arg.values[0].value)
            if not any(k.startswith(prefix) for k in ZH):
                missing.append(f"{where}: {prefix}…")
        elif isinstance(arg, ast.IfExp):
            for branch in (arg.body, arg.orelse):
                if isinstance(branch, ast.Constant) and branch.value not in ZH:
                    missing.append(f"{where}: {branch.value}")
    assert missing == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("platform.", vocab.PLATFORMS),
        ("event.", vocab.EVENTS),
        ("wizard.recipient_", vocab.RECIPIENTS),
        ("field.", tuple(p for p in known_paths())),
        ("label.", ("applies", "expired", "excluded", "may_apply")),
        ("label.", vocab.STEP_TARGETS[:5]),
    ],
)
def test_every_value_of_a_vocabulary_has_a_label(prefix: str, values: tuple[str, ...]) -> None:
    """New case fields, events or platforms (other helpers add them) need their words in both catalogues."""
    assert [v for v in values if f"{prefix}{v}" not in ZH] == []


# Calls whose text reaches the user: errors, warnings, prompts, printed lines, help texts.
_USER_CALLS = re.compile(
    r"^(?!(Value|Type|Key|Index|Attribute|Assertion|Runtime|NotImplemented|Lookup|OS)Error$).*Error$"
)
_USER_FUNCS = {"fail", "bad", "warn", "say", "print", "echo", "Exit"}
_USER_KEYWORDS = {"help", "short_help", "epilog", "message"}
_NOT_PROSE = {"Times New Roman"}  # names, not sentences
_PROSE = re.compile(r"[A-Za-z]{2,}[\s,;:'’()-]+[A-Za-z]{2,}[\s,;:'’()-]+[A-Za-z]{2,}")


def _texts(node: ast.expr) -> list[str]:
    """The literal text a value holds: a string, the constant parts of an f-string, both sides of + or of a
    conditional; nothing for a call (tr(...) is the point) or a name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["{}".join(str(v.value) if isinstance(v, ast.Constant) else "" for v in node.values)]
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return []


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_no_english_literal_reaches_the_user() -> None:
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # a message kept in a module constant (MESSAGE = "cannot …")
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {t[:70]!r}"
                    for t in _texts(node.value)
                    if _PROSE.search(t) and t not in _NOT_PROSE
                ]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name == "Field":  # the case model's developer notes (and the JSON Schema); users read field.* keys
                continue
            values = []
            if _USER_CALLS.match(name) or name in _USER_FUNCS:
                values += node.args
            values += [k.value for k in node.keywords if k.arg in _USER_KEYWORDS]
            for value in values:
                for text in _texts(value):
                    if _PROSE.search(text):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:70]!r}")
    assert found == [], "English text reaches the user without the catalogue (see docs/i18n.md):\n" + "\n".join(found)


def test_every_command_has_its_help_in_the_catalogue() -> None:
    """A command's docstring is English for developers; what `--help` shows is help= from the catalogue."""
    bare = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and _name(d.func) in ("command", "callback"):
                    keys = {k.arg for k in d.keywords}
                    if "help" not in keys or (_name(d.func) == "command" and "short_help" not in keys):
                        bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert bare == []


def test_the_scan_is_not_vacuous() -> None:
    tree = ast.parse('raise UserError(f"cannot read the file: {x}")\nself.fail(p, "expected a list of steps")')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert all(_PROSE.search(_texts(c.args[-1])[0]) for c in calls)


# -- lookups and the language of a run -------------------------------------------------------------------------------
def test_lookup_fills_placeholders_and_plurals() -> None:
    assert tr("err.problems", "zh", count=3) == "共 3 处问题："
    assert tr("err.problems", "en", count=1) == "1 problem:"
    assert tr("err.problems", "en", count=2) == "2 problems:"
    assert tr("no.such.key", "zh") == "no.such.key"


def test_language_from_option_environment_and_locale() -> None:
    assert default_lang({"RIGHTS_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({"RIGHTS_LANG": "xx", "LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({"LANG": "C.UTF-8"}) == "zh"
    assert default_lang({}) == "zh"
    assert lang_from_argv(["assess", "x.yaml", "--lang", "en"]) == "en"
    assert lang_from_argv(["assess", "--lang=en"]) == "en"
    assert lang_from_argv(["assess", "--", "--lang", "en"]) is None


# -- what a user sees -------------------------------------------------------------------------------------------------
BAD_CASE = """platform: jdd
order:
  item: 外套
  price: -3
  paid_on: 2026-11-08
problem:
  kinds: [changed_mind]
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RIGHTS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


def _rights(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rightscli", *args], capture_output=True, text=True, env=env or _env(), cwd=ROOT
    )


def test_errors_are_chinese_by_default_and_english_with_lang_en(tmp_path: Path) -> None:
    case = tmp_path / "bad.yaml"
    case.write_text(BAD_CASE, encoding="utf-8")
    runner = CliRunner()
    zh = runner.invoke(app, ["assess", str(case)], env=_env())
    assert zh.exit_code == 2
    assert "rights：错误：共 2 处问题" in zh.stderr
    assert f"{case} 第 1 行，字段 platform：不认识的值“jdd”（您是不是想写“jd”？）" in zh.stderr
    assert "字段 order.price：-3 是负数" in zh.stderr
    en = runner.invoke(app, ["assess", str(case), "--lang", "en"], env=_env())
    assert en.exit_code == 2
    assert "rights: error: 2 problems:" in en.stderr
    assert f"{case}:1, field 'platform': unknown value 'jdd' (did you mean 'jd'?)" in en.stderr
    by_env = runner.invoke(app, ["assess", str(case)], env=_env(RIGHTS_LANG="en"))
    assert "2 problems" in by_env.stderr


def test_a_date_error_names_both_dates_and_how_to_fix_the_other(tmp_path: Path) -> None:
    case = tmp_path / "dates.yaml"
    case.write_text(
        BAD_CASE.replace("jdd", "jd").replace("-3", "30").replace("  paid_on", "  received_on: 2026-11-05\n  paid_on")
    )
    zh = CliRunner().invoke(app, ["assess", str(case)], env=_env())
    assert zh.exit_code == 2
    assert "字段 order.received_on：签收日期（2026-11-05）早于付款日期（order.paid_on，2026-11-08）" in zh.stderr
    assert "如果付款日期写错了，请修改 order.paid_on" in zh.stderr


def test_usage_errors_and_help_follow_the_language() -> None:
    zh_help = _rights("assess", "--help")
    assert zh_help.returncode == 0
    assert zh_help.stdout.startswith("用法：rights assess")
    assert "选项：" in zh_help.stdout and "显示本帮助并退出。" in zh_help.stdout
    assert "Show this message" not in zh_help.stdout and "Usage:" not in zh_help.stdout
    en_help = _rights("assess", "--help", "--lang", "en")
    assert en_help.stdout.startswith("Usage: rights assess") and "Show this message and exit." in en_help.stdout
    assert "Usage: rights" in _rights("--help", env=_env(RIGHTS_LANG="en")).stdout
    top = _rights("--help")
    assert "评估案件" in top.stdout and "命令：" in top.stdout and "Install completion" not in top.stdout
    missing = _rights("assess")
    assert (
        missing.returncode == 2
        and "缺少参数 'CASE'" in missing.stderr
        and "运行 rights assess -h 查看帮助" in missing.stderr
    )
    typo = _rights("asess")
    assert typo.returncode == 2 and "没有这个命令" in typo.stderr and "'assess'" in typo.stderr
    option = _rights("assess", "x.yaml", "--jsn", "--lang", "en")
    assert option.returncode == 2 and "No such option: --jsn" in option.stderr


def test_a_command_line_parsed_without_help_reads_no_catalogue() -> None:
    """The help texts, click's own --help too, are keys until shown: parsing a command line reads no catalogue."""
    code = (
        "import sys; from rightscli import i18n; from rightscli.cli import app; import typer.main;"
        "cmd = typer.main.get_command(app);"
        "ctx = cmd.make_context('rights', ['assess', 'x.yaml', '--json']);"
        "sub = cmd.get_command(ctx, 'assess'); sub.make_context('assess', ['x.yaml', '--json'], parent=ctx);"
        "print(sorted(i18n._tables), 'json' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=ROOT)
    assert out.stdout.split() == ["[]", "False"], out.stderr


def test_help_fits_a_narrow_terminal_and_never_starts_a_line_with_punctuation() -> None:
    out = _rights("assess", "--help", env=_env(COLUMNS="60")).stdout
    for line in out.splitlines():
        assert cell_width(line) <= 60, line
        assert not line.strip() or line.strip()[0] not in NO_START, line


# -- line breaking ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", [12, 20, 33, 60])
def test_wrapping_keeps_punctuation_and_words_in_place(width: int) -> None:
    text = (
        "在京东订单页申请京东介入，写明订单号、诉求（退货退款、换货）和依据《网络购买商品七日无理由退货暂行办法》"
        "第十条；Deadline 2026-11-25 (5 days left), ¥1,197.00 total."
    )
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_width(line) <= width and line == line.rstrip()
        assert line[0] not in NO_START and line[-1] not in NO_END
    words = " ".join(lines).split()
    for word in ("2026-11-25", "¥1,197.00"):
        assert any(word in w for w in words)
    if width >= 12:  # a number and its unit, an article of a law, stay on one line
        assert any("第十条" in line for line in lines)


@pytest.mark.parametrize("width", [12, 13, 15, 17, 21])
def test_an_article_of_a_law_is_never_split(width: int) -> None:
    text = "依据：《电子商务法》第六十一条、第六十二条、第三十一条，自11月18日起3 天内"
    lines = wrap(text, width)
    for ordinal in ("第六十一条", "第六十二条", "第三十一条", "11月18日", "3 天"):
        assert any(ordinal in line for line in lines), (ordinal, lines)


def test_interface_language_does_not_leak_between_tests() -> None:
    assert i18n._current is None


def test_every_help_names_its_values_not_their_python_types() -> None:
    """An option or argument without a metavar shows click's type name (``--note <str>``, ``--jobs <int range>``) or
    the parameter's lowercase Python name (``[folder]``): words from the code, in a Chinese help. Every command and
    group, in Chinese: each value is named the way the others are (CASE, DIR, TEXT, N, YYYY-MM-DD, zh|en)."""
    import typer.main

    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from walk(sub, [*path, name])

    python_names = re.compile(r"<[a-z][a-z ]*>|\{[a-z_]+\}|\[[a-z_]+\]")
    found = []
    for path in walk(typer.main.get_command(app), []):
        result = CliRunner().invoke(app, [*path, "--help"], env={"RIGHTS_LANG": "zh", "COLUMNS": "200"})
        assert result.exit_code == 0, path
        found += [
            f"{' '.join(path)}: {line.strip()}" for line in result.stdout.splitlines() if python_names.search(line)
        ]
    assert not found, "\n".join(found)
