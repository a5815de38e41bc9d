"""The template sandbox: user templates override bundled ones; internals, missing variables, syntax errors and
escapes from the template folders are clear errors (exit 2) naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightscli.catalog import templates_dir
from rightscli.errors import TemplateError
from rightscli.letters.mdtext import MdSafe
from rightscli.letters.render import render

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

VALUES = {"buyer": {"name": "张三"}, "items": [1, 2], "title": "催告函"}


def user_template(tmp_path: Path, text: str, name: str = "merchant.md.j2") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path


def run(tmp_path: Path, text: str) -> str:
    folder = user_template(tmp_path, text)
    return render(["merchant.md.j2", "letters/merchant.md.j2"], VALUES, folder, templates_dir())


def test_a_user_template_overrides_the_bundled_one(tmp_path: Path) -> None:
    assert run(tmp_path, "# 我的{{ title }}\n{{ buyer.name }}\n") == "# 我的催告函\n张三\n"


def test_a_user_template_in_the_bundled_layout_overrides_too(tmp_path: Path) -> None:
    folder = user_template(tmp_path, "mine {{ buyer.name }}", "letters/merchant.md.j2")
    assert render(["letters/merchant.md.j2"], VALUES, folder, templates_dir()) == "mine 张三"


def test_a_user_template_may_include_bundled_parts(tmp_path: Path) -> None:
    folder = user_template(tmp_path, '{% include "letters/_closing.md.j2" %}')
    values = {"addressee": "某店", "buyer_role": "发函人", "buyer": {"name": "张三"}, "date": "2026年11月20日"}
    out = render(["merchant.md.j2"], values, folder, templates_dir())
    assert out == "此致\n某店\n\n> 发函人（签名）：张三\n> 2026年11月20日\n"


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ buyer.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ 'a' * 10000000 }}",
        "{{ 10 ** 100000 }}",
        "{% for i in range(10**9) %}{% endfor %}",
    ],
)
def test_sandbox_escapes_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(TemplateError) as err:
        run(tmp_path, "第一行\n" + text + "\n")
    message = str(err.value)
    assert "merchant.md.j2:2" in message
    assert err.value.exit_code == 2


def test_a_missing_variable_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as err:
        run(tmp_path, "# {{ title }}\n\n{{ buyer.nme }}\n")
    message = str(err.value)
    assert "merchant.md.j2:3" in message
    assert "nme" in message and "buyer" in message


def test_a_syntax_error_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as err:
        run(tmp_path, "ok\n{% if %}\n")
    assert "merchant.md.j2:2" in str(err.value)
    assert "syntax" in str(err.value)


@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd", "../outside.md.j2"])
def test_the_loader_does_not_leave_its_folders(tmp_path: Path, target: str) -> None:
    (tmp_path / "outside.md.j2").write_text("secret", encoding="utf-8")
    folder = tmp_path / "mine"
    user_template(folder, f'{{% include "{target}" %}}')
    with pytest.raises(TemplateError) as err:
        render(["merchant.md.j2"], VALUES, folder, templates_dir())
    assert "not found" in str(err.value)


def test_no_extensions_are_loaded(tmp_path: Path) -> None:
    with pytest.raises(TemplateError):
        run(tmp_path, "{% do items.append(3) %}")


def test_values_are_escaped_for_markdown_but_md_safe_text_is_not(tmp_path: Path) -> None:
    values = {"a": "**x** # y", "b": MdSafe("**x**"), "n": None, "k": 3}
    folder = user_template(tmp_path, "{{ a }}|{{ b }}|{{ n }}|{{ k }}")
    assert render(["merchant.md.j2"], values, folder, templates_dir()) == r"\*\*x\*\* \# y|**x**|【待补充】|3"


def test_a_missing_template_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as err:
        render(["merchant.md.j2"], VALUES, tmp_path / "nope", templates_dir())
    assert "nope" in str(err.value)


def test_bundled_templates_never_end_a_text_line_with_a_block_tag() -> None:
    """trim_blocks eats the newline after a block tag: text before a trailing {% … %} would join the next line."""
    for path in templates_dir().rglob("*.j2"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.endswith("%}") and not stripped.startswith("{%"):
                pytest.fail(f"{path}:{number}: text followed by a block tag at the end of the line")
