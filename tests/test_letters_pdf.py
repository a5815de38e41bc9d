"""PDF output: a real A4 PDF whose Chinese text is embedded, renders and extracts (read with PDFium and pypdf,
tests/pdf_tools.py); -o picks the format from the extension and refuses an unknown one."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rightscli.cli import app
from tests.pdf_tools import dark_share, fonts, page_size, pdf_text, title

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
CLOSING_PUNCT = "，。；：、！？）》”’"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def court_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "起诉状.pdf"
    code, err = write(CliRunner(), "letter", str(LAPTOP), "--to", "court", "-o", str(target))
    assert code == 0, err
    return target


def test_o_pdf_writes_a_real_a4_pdf_with_mode_0600(court_pdf: Path) -> None:
    data = court_pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert stat.S_IMODE(court_pdf.stat().st_mode) == 0o600
    width, height = page_size(court_pdf)
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)  # A4 in points
    assert title(court_pdf) == "民事起诉状"


def test_every_font_is_embedded_so_chinese_renders_without_system_fonts(court_pdf: Path) -> None:
    used = fonts(court_pdf)
    assert used
    for font in used:
        assert font["embedded"] and font["unicode"], font  # embedded, with a ToUnicode map (the text extracts)


def test_chinese_text_extracts(court_pdf: Path) -> None:
    text = pdf_text(court_pdf)
    case = yaml.safe_load(LAPTOP.read_text(encoding="utf-8"))
    assert "民事起诉状" in text
    assert case["buyer"]["name"] in text
    assert str(case["order"]["id"]) in text
    assert "此致" in text
    assert "第1页共" in text.replace(" ", "")


def test_pages_render(court_pdf: Path) -> None:
    share = dark_share(court_pdf)
    assert 0.01 < share < 0.3, share  # text on a white page: neither blank nor black


def test_no_line_starts_with_closing_punctuation(court_pdf: Path) -> None:
    lines = [line.strip() for line in pdf_text(court_pdf).splitlines()]
    bad = [line for line in lines if line and line[0] in CLOSING_PUNCT]
    assert not bad, bad


def test_checklist_pdf(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "证据清单.pdf"
    code, err = write(runner, "checklist", str(LAPTOP), "-o", str(target))
    assert code == 0, err
    assert "证据清单" in pdf_text(target)
    assert dark_share(target) > 0.01


def test_format_pdf_to_a_pipe_and_to_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["letter", str(LAPTOP), "--to", "merchant", "--format", "pdf"])
    assert result.exit_code == 2 and "-o" in result.stderr  # binary: not written to a terminal without -o
    proc = subprocess.run(
        [sys.executable, "-m", "rightscli", "letter", str(LAPTOP), "--to", "merchant", "--format", "pdf", "-o", "-"],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.startswith(b"%PDF-")


def test_a_character_the_bundled_font_lacks_is_named(runner: CliRunner, tmp_path: Path) -> None:
    text = LAPTOP.read_text(encoding="utf-8")
    name = yaml.safe_load(text)["buyer"]["name"]
    source = tmp_path / "case.yaml"
    source.write_text(text.replace(name, "吉𠮷"), encoding="utf-8")  # U+20BB7: not in GB 2312 nor 通用规范汉字表
    target = tmp_path / "x.pdf"
    code, err = write(runner, "letter", str(source), "--to", "merchant", "-o", str(target))
    assert code == 0, err
    assert "𠮷" in err and "PDF" in err
    assert "吉" in pdf_text(target)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-o", "letter.xyz"], "'.xyz'"),
        (["--format", "md", "-o", "letter.pdf"], "--format is md"),
    ],
)
def test_unknown_or_contradicting_extension_is_refused(
    runner: CliRunner, tmp_path: Path, args: list[str], needle: str
) -> None:
    args = [a if not a.startswith("letter") else str(tmp_path / a) for a in args]
    result = runner.invoke(app, ["letter", str(LAPTOP), "--to", "merchant", *args])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_format_may_name_any_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "letter.out"
    code, err = write(runner, "letter", str(LAPTOP), "--to", "merchant", "--format", "txt", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").lstrip().startswith("催告函")
