"""The bundled templates compiled ahead (rightscli.letters.compiled, template_ir): the same text as Jinja renders, for
every template and many cases; whatever the program does not do as Jinja does goes to Jinja, so errors are Jinja's."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, load_catalog, templates_dir
from rightscli.engine import assess
from rightscli.errors import TemplateError
from rightscli.letters import compiled, render, template_ir
from rightscli.letters.checklist import build_checklist_context
from rightscli.letters.context import build_letter_context
from rightscli.letters.data import recipient_ids
from rightscli.letters.render import render as jinja_render
from tests.strategies import valid_cases

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def renders(case: Any, catalog: Catalog) -> list[tuple[str, dict[str, Any]]]:
    """(template, values) of every letter, note and checklist of ``case``."""
    result = assess(case, catalog, case.as_of, "zh")
    out = []
    for recipient in recipient_ids():
        values = build_letter_context(result, recipient).values
        for name in (f"letters/{recipient}.md.j2", f"letters/{recipient}.notes.md.j2"):
            if (templates_dir() / name).is_file():
                out.append((name, values))
    for lang in ("zh", "en"):
        out.append(("checklist.md.j2", build_checklist_context(assess(case, catalog, case.as_of, lang), catalog, lang)))
    return out


def same(name: str, values: dict[str, Any], bundled: Path | None = None) -> str:
    bundled = bundled or templates_dir()
    fast = compiled._compiled(name, values, bundled)
    assert fast is not None, f"{name}: not rendered from the compiled program"
    assert fast == jinja_render([name], values, None, bundled)
    return fast


def test_every_bundled_template_is_compiled() -> None:
    program = template_ir.build(templates_dir())
    assert sorted(program) == sorted(p.relative_to(templates_dir()).as_posix() for p in templates_dir().rglob("*.j2"))
    assert [name for name, entry in program.items() if entry[1] is None] == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_render_as_jinja_renders_them(example: Path, catalog: Catalog) -> None:
    case = validate_case(datafile.load(str(example)))
    for name, values in renders(case, catalog):
        same(name, values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=valid_cases(), pick=st.integers(min_value=0, max_value=1000))
def test_any_case_renders_as_jinja_renders_it(data: dict[str, Any], pick: int, catalog: Catalog) -> None:
    case = validate_case(datafile.Document(data, "case.yaml"))
    todo = renders(case, catalog)
    name, values = todo[pick % len(todo)]
    same(name, values)


def test_what_the_program_does_not_do_goes_to_jinja_and_its_errors_are_jinjas(catalog: Catalog) -> None:
    case = validate_case(datafile.load(str(EXAMPLES[0])))
    values = build_letter_context(assess(case, catalog, case.as_of, "zh"), "merchant").values
    name = "letters/merchant.md.j2"
    missing = {k: v for k, v in values.items() if k != "facts"}
    huge = {**values, "title": "长" * 200_000}  # above the limit of one value
    for broken in (missing, huge):
        assert compiled._compiled(name, broken, templates_dir()) is None
        with pytest.raises(TemplateError) as fast:
            compiled.render([name], broken, None, templates_dir())
        with pytest.raises(TemplateError) as slow:
            jinja_render([name], broken, None, templates_dir())
        assert str(fast.value) == str(slow.value)


def test_a_changed_or_unusual_template_is_rendered_by_jinja(tmp_path: Path, catalog: Catalog) -> None:
    bundled = tmp_path / "templates"
    shutil.copytree(templates_dir(), bundled)
    case = validate_case(datafile.load(str(EXAMPLES[0])))
    values = build_letter_context(assess(case, catalog, case.as_of, "zh"), "merchant").values
    before = same("letters/merchant.md.j2", values, bundled)
    closing = bundled / "letters" / "_closing.md.j2"
    closing.write_text(closing.read_text(encoding="utf-8") + "（完）\n", encoding="utf-8")
    compiled._FILES.clear()  # both read their templates once a process
    render._ENVS.clear()
    after = same("letters/merchant.md.j2", values, bundled)  # compiled again from the changed file
    assert "（完）" in after and "（完）" not in before
    other = tmp_path / "other"  # another folder: Jinja keeps what it compiled of the first for the process
    shutil.copytree(templates_dir(), other)
    (other / "letters" / "_closing.md.j2").write_text("{{ range(2) | list }}\n", encoding="utf-8")  # not compiled
    assert compiled._compiled("letters/merchant.md.j2", values, other) is None
    assert compiled.render(["letters/merchant.md.j2"], values, None, other).endswith("\\[0, 1\\]\n")


def test_a_program_in_a_cache_others_could_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_PROGRAMS", {})
    case = validate_case(datafile.load(str(EXAMPLES[0])))
    values = build_letter_context(assess(case, catalog, case.as_of, "zh"), "merchant").values
    name = "letters/merchant.md.j2"
    text = compiled.render([name], values, None, templates_dir())
    path = tmp_path / "cache" / compiled.PROGRAM
    raw = path.read_bytes()
    real, fake = "现将有关事项函告如下".encode(), "伪造的文字伪造的文字".encode()  # as long: the file stays valid
    at = raw.rfind(real)  # in the program, after the template's source (which must stay as the file is)
    assert at > raw.find(real) >= 0
    for mode, forged in ((0o666, False), (0o600, True)):
        path.write_bytes(raw[:at] + fake + raw[at + len(real) :])
        path.chmod(mode)
        monkeypatch.setattr(compiled, "_PROGRAMS", {})
        out = compiled.render([name], values, None, templates_dir())
        assert ("伪造的文字" in out) is forged  # a private file is the user's own, like their catalog cache
        assert forged or out == text
