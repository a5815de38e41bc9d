"""Hostile templates through the CLI (`letter`, `checklist`, `batch` with --template-dir): reaching for Python
internals, including or importing files outside the template folders, cycles, and bad files stop with exit 2 and a
message; nothing is written and nothing from outside the sandbox reaches the output.

Symbolic links that led out of the template folder were a known bug, now tested in test_fixed_bugs.py; the resource
limits (rightscli/letters/limits.py) are tested here.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from rightscli.catalog import templates_dir
from rightscli.errors import TemplateError
from rightscli.letters.render import render
from tests.hardening.support import EXAMPLE, assert_clean, invoke, run_rights

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

SECRET = "SECRET-7f3a9c"  # in a file next to the template folder: must never reach a letter

ESCAPES = {
    "mro subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__ }}",
    "joiner globals os": "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'] }}",
    "namespace globals": "{% set ns = namespace() %}{{ ns.__class__.__init__.__globals__ }}",
    "attr filter": "{{ ''|attr('__class__') }}",
    "attr filter escaped": "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "item lookup": "{{ buyer['__class__'] }}",
    "format field": "{{ '{0.__class__.__mro__}'.format('') }}",
    "format_map field": "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "template reference": "{{ self._TemplateReference__context }}",
    "self dict": "{{ self.__dict__ }}",
    "function module": "{{ lipsum.__module__ }}",
    "list base": "{{ [].__class__.__base__.__subclasses__() }}",
    "set statement": "{% set c = ''.__class__ %}{{ c }}",
    "huge repeat": "{{ 'a' * 100000000 }}",
    "huge repeat list": "{{ [0] * 100000000 }}",
    "huge power": "{{ 10 ** 100000 }}",
    "huge range": "{{ range(10 ** 9) | list | length }}",
    "undefined config": "{{ config }}",
    "undefined request": "{{ request.application }}",
    "extension do": "{% do requests.append(1) %}",
}
OUTSIDE = {
    "include parent": "{% include '../secret.md.j2' %}",
    "include absolute": "{% include '/etc/passwd' %}",
    "include deep parent": "{% include '../../../../../../etc/passwd' %}",
    "include through bundled": "{% include 'letters/../../secret.md.j2' %}",
    "include list": "{% include ['../secret.md.j2', '/etc/hostname'] %}",
    "include from a value": "{% include buyer.address %}",
    "import parent": "{% import '../secret.md.j2' as s %}{{ s }}",
    "import absolute": "{% import '/etc/passwd' as p %}{{ p }}",
    "from import": "{% from '../secret.md.j2' import x %}{{ x }}",
    "extends parent": "{% extends '../secret.md.j2' %}",
    "include dot dot slash": "{% include './../secret.md.j2' %}",
    "include backslash": "{% include '..\\\\secret.md.j2' %}",
}
CYCLES = {
    "includes itself": {"merchant.md.j2": "# x\n{% include 'merchant.md.j2' %}\n"},
    "two include each other": {
        "merchant.md.j2": "{% include 'a.md.j2' %}",
        "a.md.j2": "{% include 'merchant.md.j2' %}",
    },
    "extends itself": {"merchant.md.j2": "{% extends 'merchant.md.j2' %}"},
    "macro calls itself": {"merchant.md.j2": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"},
}


# Templates that would build huge values, loop for hours or nest beyond the parser: each ends fast, with exit 2
# naming the template file and line (rightscli/letters/limits.py).
RESOURCES = {
    "join of a repeated list": "{{ (['x' * 100000] * 100000) | join }}",
    "join method": "{{ ''.join(['x' * 100000] * 100000) }}",
    "concat doubling": "{% set a = 'x' * 100000 %}" + "{% set a = a ~ a %}" * 30 + "{{ a | length }}",
    "plus doubling": "{% set a = 'x' * 100000 %}" + "{% set a = a + a %}" * 30 + "{{ a | length }}",
    "list plus doubling": "{% set a = ['x'] * 100000 %}" + "{% set a = a + a %}" * 30 + "{{ a | length }}",
    "chained power": "{{ ((10 ** 100) ** 100) ** 100 }}",
    "big integer squaring": "{% set a = 9 ** 100 %}" + "{% set a = a * a %}" * 30 + "{{ a }}",
    "slice": "{{ [1] | slice(100000000) | list | length }}",
    "batch": "{{ [1] | batch(100000000, 0) | list | length }}",
    "percent width": "{{ '%01000000000d' % 1 }}",
    "percent star": "{{ '%*d' % (1000000000, 1) }}",
    "format width": "{{ '{:>1000000000}'.format(1) }}",
    "format nested width": "{{ '{:{}}'.format(1, 1000000000) }}",
    "format_map width": "{{ '{x:>1000000000}'.format_map({'x': 1}) }}",
    "format filter": "{{ '%01000000000d' | format(1) }}",
    "center filter": "{{ 'a' | center(1000000000) }}",
    "indent filter": "{{ ('a\n' * 50000) | indent(100000) }}",
    "wordwrap filter": "{{ ('x ' * 50000) | wordwrap(1, wrapstring='y' * 100000) }}",
    "replace filter": "{{ ('x' * 100000) | replace('', 'y' * 100000) }}",
    "replace method": "{{ ('x' * 100000).replace('x', 'y' * 100000) }}",
    "ljust method": "{{ 'a'.ljust(1000000000) }}",
    "zfill method": "{{ '1'.zfill(1000000000) }}",
    "expandtabs method": "{{ ('\t' * 100000).expandtabs(100000) }}",
    "translate method": "{{ ('x' * 100000).translate({120: 'y' * 100000}) }}",
    "lipsum": "{{ lipsum(1000000) }}",
    "map center": "{{ range(100000) | map('center', 100000) | join }}",
    "sum of lists": "{{ ([[1]] * 100000) | sum(start=[]) | length }}",
    "loop writing a big value": "{% set s = 'x' * 100000 %}{% for i in range(100000) %}{{ s }}{% endfor %}",
    "loop building values": "{% for i in range(100000) %}{% set s = 'x' * 100000 %}{% endfor %}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "a list written out": "{% set s = 'x' * 100000 %}{{ [s, s, s, s, s, s, s, s, s, s] }}",
    "deep brackets": "{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}",
    "brackets 40 deep": "{{ " + "(" * 40 + "1" + ")" * 40 + " }}",
    "lists 40 deep": "{{ " + "[" * 40 + "]" * 40 + " }}",
    "deep lists": "{{ " + "[" * 10000 + "]" * 10000 + " }}",
    "long not chain": "{{ " + "not " * 10000 + "1 }}",
    "long plus chain": "{{ " + "1 + " * 10000 + "1 }}",
    "long filter chain": "{{ 1" + " | abs" * 10000 + " }}",
    "long attribute chain": "{{ buyer" + ".name" * 10000 + " }}",
    "deep blocks": "{% if 1 %}" * 500 + "x" + "{% endif %}" * 500,
}


def template_dir(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    (tmp_path / "secret.md.j2").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def routes(folder: Path, out: Path) -> list[list[object]]:
    """The commands that render the merchant letter (or the checklist) from the folder, writing to ``out``."""
    cases = out.parent / "cases"
    cases.mkdir(exist_ok=True)
    (cases / "case.yaml").write_bytes(EXAMPLE.read_bytes())
    return [
        ["letter", EXAMPLE, "--to", "merchant", "--template-dir", folder, "--format", "html", "-o", out],
        ["batch", cases, "--to", "merchant", "--out-dir", out.parent / "batch", "-j", "1", "--template-dir", folder],
    ]


def check_stopped(tmp_path: Path, files: dict[str, str | bytes], expected: tuple[str, ...]) -> None:
    folder = template_dir(tmp_path, files)
    out = tmp_path / "letter.html"
    for args in routes(folder, out):
        result = invoke(args)
        assert_clean(result, allowed=(2,))
        output = result.stdout + result.stderr
        assert any(e in result.stderr for e in expected), result.stderr
        for leak in (SECRET, "root:x:0", "<class", "<module", "__builtins__", "<function"):
            assert leak not in output, f"{leak!r} leaked: {output[:500]}"
        if args[0] == "letter":
            assert result.stdout == ""
    assert not out.exists()
    assert not list((tmp_path / "batch").glob("*")) if (tmp_path / "batch").exists() else True
    assert not (tmp_path / "MARKER").exists() and not Path("MARKER").exists()


@pytest.mark.parametrize("name", list(ESCAPES))
def test_templates_cannot_reach_python_internals(tmp_path: Path, name: str) -> None:
    check_stopped(
        tmp_path,
        {"merchant.md.j2": "# x\n" + ESCAPES[name] + "\n"},
        ("sandbox forbids", "undefined", "error while rendering", "syntax error", "has no attribute"),
    )


@pytest.mark.parametrize("name", list(OUTSIDE))
def test_templates_cannot_read_files_outside_the_template_folders(tmp_path: Path, name: str) -> None:
    check_stopped(tmp_path, {"merchant.md.j2": "# x\n" + OUTSIDE[name] + "\n"}, ("not found",))


@pytest.mark.parametrize("name", list(CYCLES))
def test_template_cycles_end_with_an_error(tmp_path: Path, name: str) -> None:
    check_stopped(tmp_path, CYCLES[name], ("RecursionError", "recursion"))


def test_the_checklist_template_is_sandboxed_too(tmp_path: Path) -> None:
    folder = template_dir(
        tmp_path, {"checklist.md.j2": "{{ cycler.__init__.__globals__ }}{% include '../secret.md.j2' %}"}
    )
    result = invoke(["checklist", EXAMPLE, "--template-dir", folder, "--format", "md"])
    assert_clean(result, allowed=(2,))
    assert "sandbox forbids" in result.stderr and "checklist.md.j2" in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_a_template_dir_that_is_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "merchant.md.j2"
    file.write_text("# x\n", encoding="utf-8")
    for folder in (file, tmp_path / "missing"):
        result = invoke(["letter", EXAMPLE, "--to", "merchant", "--template-dir", folder])
        assert_clean(result, allowed=(2,))
        assert "not a folder" in result.stderr and str(folder) in result.stderr


MUTATE = """\
{% for c in fixed_citations %}[{{ c.ref }}]{% endfor %}|{% for f in findings %}[{{ f.title }}]{% endfor %}|\
{{ platform.name }}
{% for c in fixed_citations %}{{ c.update({'ref': 'INJECTED'}) }}{% endfor %}
{% for f in findings %}{{ f.update({'title': 'INJECTED'}) if f is mapping else '' }}{% endfor %}
{{ platform.update({'name': 'INJECTED'}) if platform is mapping else '' }}
{{ findings.clear() if findings is sequence and findings is not string else '' }}
"""


def test_a_template_cannot_change_what_the_next_letter_of_a_batch_sees(tmp_path: Path) -> None:
    """The sandbox lets a template call methods of its values; each letter gets values of its own all the same."""
    folder = template_dir(tmp_path, {"merchant.md.j2": MUTATE})
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("a", "b", "c"):
        (cases / f"{name}.yaml").write_bytes(EXAMPLE.read_bytes())
    args = ["batch", cases, "--to", "merchant", "--out-dir", tmp_path / "out", "-j", "1", "--template-dir", folder]
    assert_clean(invoke(args), allowed=(0,))
    letters = sorted((tmp_path / "out").iterdir())
    assert len(letters) == 3
    first = letters[0].read_text(encoding="utf-8").splitlines()[0]
    assert "七日无理由退货" in first
    for letter in letters:
        assert letter.read_text(encoding="utf-8").splitlines()[0] == first


@pytest.mark.parametrize("name", list(RESOURCES))
def test_templates_cannot_exhaust_memory_or_time(tmp_path: Path, name: str) -> None:
    """Each ends within seconds (not minutes, not an exhausted machine) with exit 2 naming the file and the line."""
    started = time.monotonic()
    check_stopped(tmp_path, {"merchant.md.j2": "# x\n" + RESOURCES[name] + "\n"}, ("merchant.md.j2:",))
    assert time.monotonic() - started < 20
    result = invoke(["letter", EXAMPLE, "--to", "merchant", "--template-dir", tmp_path / "templates"])
    assert re.search(r"merchant\.md\.j2:\d+", result.stderr), result.stderr


def test_a_template_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    check_stopped(tmp_path, {"merchant.md.j2": "# x\n" + "写" * 100_000}, ("larger than",))


@pytest.mark.parametrize(
    "text", ["{{ '%01000000d' % 1 }}", "{{ '{:>1000000}'.format(1) }}", "{{ 'a' | center(1000000) }}"]
)
def test_string_formatting_cannot_build_a_huge_string(tmp_path: Path, text: str) -> None:
    """Was a strict xfail in test_known_bugs.py: '%01000000d' % 1, '{:>1000000}'.format(1), center() and indent() built
    strings of any size (a width of 10^9 took seconds and a gigabyte)."""
    (tmp_path / "merchant.md.j2").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(["merchant.md.j2"], {}, tmp_path, templates_dir())
    assert caught.value.file and caught.value.file.endswith("merchant.md.j2") and caught.value.line == 1


def test_a_template_within_the_limits_still_renders(tmp_path: Path) -> None:
    """The limits are far above what a letter needs: loops, formatting, joins and macros of ordinary size work."""
    text = (
        "{% macro row(n) %}{{ '%03d' % n }}；{{ '{:>5}'.format(n) | length }}；{{ 'ab' | center(6) | length }}"
        "{% endmacro %}{% for i in range(200) %}{{ row(i) }}。{% endfor %}"
        "{{ (['x' * 100] * 100) | join(',') | length }} {{ 2 ** 64 }} {{ (('y' * 1000) ~ 'z') | length }}"
    )
    text += "{% set a = 1 %}" * 500 + "{% if 1 %}" * 20 + "{{ " + "(" * 30 + "a" + ")" * 30 + " }}" + "{% endif %}" * 20
    (tmp_path / "merchant.md.j2").write_text(text, encoding="utf-8")
    out = render(["merchant.md.j2"], {}, tmp_path, templates_dir())
    assert "。199；5；6。10099 18446744073709551616 1001" in out


@pytest.mark.parametrize("text", ["# x\n\x1b]0;owned\x07\n", "# x\n{{ '\x1b[2J' }}\n", "# x\n退款\u202e元001\n"])
def test_control_and_invisible_characters_in_a_template_are_refused(tmp_path: Path, text: str) -> None:
    """A downloaded template that would write terminal escape sequences (to a letter printed on stdout) or a
    right-to-left override: refused with file and line, as in case files and policy packs."""
    check_stopped(tmp_path, {"merchant.md.j2": text}, ("merchant.md.j2:2",))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_template_that_is_a_named_pipe_is_never_read(tmp_path: Path) -> None:
    folder = template_dir(tmp_path, {})
    os.mkfifo(folder / "merchant.md.j2")
    result = run_rights("letter", EXAMPLE, "--to", "merchant", "--template-dir", folder, timeout=30)
    assert result.returncode == 0 and "催告函" in result.stdout  # the pipe is not a template: the bundled one is used
