"""`rights letter` through the real CLI: stdout, stderr and exit codes apart; files, --force, 0600, -o -."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli.cli import app

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "laptop-defect.yaml"
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_letter_prints_markdown_on_stdout_and_warnings_on_stderr(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", "regulator")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 投诉书\n")
    assert "rights: warning:" not in result.stdout
    assert "【待补充：被投诉人地址】" in result.stdout
    assert "【待补充：被投诉人地址】" in result.stderr and "merchant.address" in result.stderr
    assert "受理投诉的市场监督管理局" in result.stderr


@pytest.mark.parametrize(
    "recipient", ["merchant", "platform", "association", "regulator", "regulator-report", "court", "public"]
)
def test_every_recipient_from_the_cli(runner: CliRunner, recipient: str) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", recipient, "--format", "txt")
    assert result.exit_code == 0, result.stderr
    assert "#" not in result.stdout.splitlines()[0]


def test_case_from_stdin(runner: CliRunner) -> None:
    result = run(runner, "letter", "-", "--to", "merchant", "--as-of", "2026-11-15", stdin=BASE.read_text("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert "# 催告函" in result.stdout and "2026年11月15日" in result.stdout


def test_english_interface_keeps_the_letter_chinese(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "--lang", "en")
    assert result.exit_code == 0
    assert "# 催告函" in result.stdout
    assert "set merchant.address" not in result.stderr  # the merchant letter needs no address
    assert "evidence item(s) still to collect" in result.stderr


def test_output_file_is_0600_and_not_overwritten_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    first = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "-o", str(target))
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert target.read_text("utf-8").startswith("# 催告函")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert str(target) in first.stderr
    target.write_text("mine", encoding="utf-8")
    second = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "-o", str(target))
    assert second.exit_code == 2
    assert "--force" in second.stderr and str(target) in second.stderr
    assert "Traceback" not in second.stderr
    assert target.read_text("utf-8") == "mine"
    target.chmod(0o644)
    third = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "-o", str(target), "--force")
    assert third.exit_code == 0
    assert target.read_text("utf-8").startswith("# 催告函")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md"]


def test_dash_writes_to_stdout(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", "platform", "--format", "html", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_docx_needs_a_file(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "--format", "docx")
    assert result.exit_code == 2
    assert "-o" in result.stderr
    assert result.stdout == ""


def test_docx_to_a_file_and_format_from_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "投诉书.docx"
    result = run(runner, "letter", str(EXAMPLE), "--to", "regulator", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert Document(str(target)).paragraphs[0].text == "投诉书"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_docx_to_a_pipe() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rightscli", "letter", str(EXAMPLE), "--to", "merchant", "-f", "docx", "-o", "-"],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    from docx import Document

    assert Document(io.BytesIO(proc.stdout)).paragraphs[0].text == "催告函"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--to", "judge"], "--to 'judge'"),
        (["--to", "merchant", "--format", "rtf"], "--format 'rtf'"),
        (["--to", "merchant", "--lang", "fr"], "--lang"),
        (["--to", "merchant", "-o", "/no/such/folder/x.md"], "does not exist"),
        (["--to", "merchant", "--template-dir", "/no/such/templates"], "/no/such/templates"),
        (["--to", "merchant", "--as-of", "2026-13-01"], "--as-of"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_usage_is_exit_2_with_a_message(runner: CliRunner, args: list[str], needle: str) -> None:
    result = run(runner, "letter", str(EXAMPLE), *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_missing_to_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE))
    assert result.exit_code == 2
    assert "--to" in result.stderr


def test_bad_case_file_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("platform: amazon\n", encoding="utf-8")
    result = run(runner, "letter", str(bad), "--to", "merchant")
    assert result.exit_code == 2
    assert "platform" in result.stderr


def test_user_template_from_the_cli(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "merchant.md.j2").write_text("# 我的催告函\n\n{{ buyer.name }}：{{ order.price_both }}\n", "utf-8")
    result = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "--template-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "# 我的催告函\n\n刘洋：6,999.00元（大写：人民币陆仟玖佰玖拾玖元整）\n"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("# x\n{{ ''.__class__.__mro__ }}\n", "sandbox"),
        ("# x\n\n{{ no_such_variable }}\n", "no_such_variable"),
        ("# x\n{% for %}\n", "syntax"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_user_template_is_exit_2_with_file_and_line(
    runner: CliRunner, tmp_path: Path, text: str, needle: str
) -> None:
    (tmp_path / "merchant.md.j2").write_text(text, encoding="utf-8")
    result = run(runner, "letter", str(EXAMPLE), "--to", "merchant", "--template-dir", str(tmp_path))
    assert result.exit_code == 2
    assert needle in result.stderr
    line = text.count("\n", 0, text.index("{")) + 1
    assert f"{tmp_path / 'merchant.md.j2'}:{line}" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_nothing_is_written_when_rendering_fails(runner: CliRunner, tmp_path: Path) -> None:
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "merchant.md.j2").write_text("{{ nope }}", encoding="utf-8")
    target = tmp_path / "out.md"
    result = run(
        runner, "letter", str(EXAMPLE), "--to", "merchant", "--template-dir", str(templates), "-o", str(target)
    )
    assert result.exit_code == 2
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]


def test_start_up_does_not_import_the_renderers() -> None:
    code = (
        "import sys, rightscli.cli\n"
        "heavy = [m for m in ('jinja2', 'markdown_it', 'docx', 'reportlab') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == ""


def test_letter_md_imports_no_renderer_once_its_templates_are_compiled(tmp_path: Path) -> None:
    """The bundled templates are compiled ahead (the wheel ships them; a source checkout compiles them on its first
    letter, importing Jinja that once): a Markdown letter then needs neither Jinja nor markdown-it nor docx."""
    code = (
        "import sys\n"
        "from rightscli.cli import main\n"
        f"sys.argv = ['rights', 'letter', {str(EXAMPLE)!r}, '--to', 'merchant', '-o', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('jinja2', 'markdown_it', 'docx', 'reportlab')\n"
        "print(','.join(m for m in heavy if m in sys.modules) or '-', file=sys.stderr)\n"
    )
    assert twice(code, tmp_path) == ["jinja2", "-"]


def twice(code: str, tmp_path: Path) -> list[str]:
    """Run ``code`` (a letter written to ``sys.argv[1]``) twice with one new cache folder: the last line each printed
    on stderr. The two letters must be the same."""
    env = {**os.environ, "RIGHTS_CACHE_DIR": str(tmp_path / "cache")}
    seen = []
    for name in ("first.md", "second.md"):
        proc = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / name)], capture_output=True, text=True, cwd=ROOT, env=env
        )
        seen.append(proc.stderr.strip().splitlines()[-1])
        assert (tmp_path / name).exists(), proc.stderr
    assert (tmp_path / "first.md").read_bytes() == (tmp_path / "second.md").read_bytes()
    return seen


def test_a_letter_from_a_json_case_reads_no_yaml_once_the_cache_is_warm(tmp_path: Path) -> None:
    """The letter data (recipients.yaml, good-faith.yaml) comes parsed from the cache (or the wheel): a JSON case, or
    a batch worker, does not import the YAML parser (~15 ms) just to read one statement."""
    import json

    from rightscli import datafile

    case = tmp_path / "case.json"
    case.write_text(json.dumps(datafile.load(str(EXAMPLE)).data, ensure_ascii=False, default=str), encoding="utf-8")
    code = (
        "import sys\n"
        "from rightscli.cli import main\n"
        f"sys.argv = ['rights', 'letter', {str(case)!r}, '--to', 'merchant', '-o', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('yaml' in sys.modules, file=sys.stderr)\n"
    )
    assert twice(code, tmp_path)[1] == "False"


def test_umask_does_not_widen_the_mode(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rightscli", "letter", str(EXAMPLE), "--to", "merchant", "-o", str(tmp_path / "a.md")],
        capture_output=True,
        cwd=ROOT,
        check=False,
        preexec_fn=lambda: os.umask(0),
    )
    assert proc.returncode == 0
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o600


@pytest.mark.parametrize(("recipient", "title"), [("court", "民事起诉状"), ("public", "公开投诉")])
@pytest.mark.parametrize("fmt", ["md", "txt", "html", "docx"])
def test_court_and_public_in_every_format(
    runner: CliRunner, tmp_path: Path, recipient: str, title: str, fmt: str
) -> None:
    target = tmp_path / f"letter.{fmt}"
    result = run(runner, "letter", str(EXAMPLE), "--to", recipient, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if fmt == "docx":
        from docx import Document

        assert Document(str(target)).paragraphs[0].text.startswith(title)
    else:
        assert title in target.read_text("utf-8")


def test_court_warns_about_the_small_claims_limit_and_the_gaps(runner: CliRunner) -> None:
    result = run(runner, "letter", str(EXAMPLE), "--to", "court")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 民事起诉状（买卖合同纠纷）\n")
    assert "起诉前须知" in result.stderr and "小额诉讼" in result.stderr and "起诉前须知" not in result.stdout
    assert "【待补充：原告公民身份号码】" in result.stderr
    english = run(runner, "letter", str(EXAMPLE), "--to", "court", "--lang", "en")
    assert "before filing" in english.stderr and "小额诉讼" in english.stderr


@pytest.mark.parametrize("recipient", ["court", "public"])
def test_filing_notes_go_to_stderr_or_their_own_file_never_into_the_document(
    runner: CliRunner, tmp_path: Path, recipient: str
) -> None:
    target, notes = tmp_path / "letter.md", tmp_path / "notes.txt"
    result = run(runner, "letter", str(EXAMPLE), "--to", recipient, "-o", str(target), "--notes", str(notes))
    assert result.exit_code == 0, result.stderr
    written = notes.read_text("utf-8")
    assert "须知" in written and "须知" not in target.read_text("utf-8") and "须知" not in result.stderr
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600


def test_help_names_the_new_recipients_and_the_court_checklist(runner: CliRunner) -> None:
    letter_help = run(runner, "letter", "--help").stdout
    assert "court" in letter_help and "public" in letter_help
    checklist_help = run(runner, "checklist", "--help").stdout
    assert "--for" in checklist_help and "court" in checklist_help


def test_checklist_for_court(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "checklist", str(EXAMPLE), "--for", "court", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 证据和起诉材料清单\n")
    assert "原告身份证复印件" in result.stdout and "国家企业信用信息公示系统" in result.stdout
    terminal = run(runner, "checklist", str(EXAMPLE), "--for", "court", "--lang", "en")
    assert terminal.exit_code == 0, terminal.stderr
    assert "copy of your ID card" in terminal.stdout
    bad = run(runner, "checklist", str(EXAMPLE), "--for", "merchant")
    assert bad.exit_code == 2
    assert "--for 不支持“merchant”" in bad.stderr and "court" in bad.stderr
    assert bad.stdout == ""
