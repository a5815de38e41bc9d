"""The bundled templates compiled ahead (rightscli.letters.compiled, template_ir): the same text as Jinja renders, for
every template and many cases; whatever the program does not do as Jinja does goes to Jinja, so errors are Jinja's."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, load_catalog, templates_dir
from rightscli.engine import assess
from rightscli.errors import TemplateError
from rightscli.letters import closures, compiled, expressions, limits, render, template_ir
from rightscli.letters import program as op
from rightscli.letters.caps import MAX_INT_BITS, MAX_LOOP, MAX_VALUE
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
    """The text of the compiled program's closures, which must be Jinja's, with the same limits counted."""
    bundled = bundled or templates_dir()
    fast = compiled._compiled(name, values, bundled)
    assert fast is not None, f"{name}: not rendered from the compiled program"
    assert fast == jinja_render([name], values, None, bundled)
    budget = run(name, values, bundled)
    jinja = render.env_for(None, bundled).budget  # what the render just done counted
    assert (budget.built, budget.loops) == (jinja.built, jinja.loops), name
    return fast


def run(name: str, values: dict[str, Any], bundled: Path) -> expressions.Budget:
    """Runs the closure the compiled program renders ``name`` with; what it counted."""
    program = compiled._program(bundled, name)
    assert program is not None and program["templates"][name][1] is not None, f"{name}: not compiled"
    budget, out = expressions.Budget(), []
    compiled._closure(bundled, program, name)(dict(values), out, budget)
    return budget


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


# -- the closures the program runs as ------------------------------------------------------------------------------


def test_each_template_is_compiled_once_for_its_program(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    compiles: Counter[str] = Counter()
    real = closures.Compiler.template

    def counted(self: closures.Compiler, name: str) -> closures.Stmt:
        if name not in self.made:
            compiles[name] += 1
        return real(self, name)

    monkeypatch.setattr(closures.Compiler, "template", counted)
    monkeypatch.setattr(compiled, "_CLOSURES", {})
    name = "letters/merchant.md.j2"
    letters = [build_letter_context(assess(c, catalog, c.as_of, "zh"), "merchant").values for c in cases()]
    for values in letters:
        same(name, values)
    program = compiled._program(templates_dir(), name)
    assert program is not None
    assert set(compiles) == {name, *program["templates"][name][2]} and set(compiles.values()) == {1}
    compiled._FILES.clear()  # the files are read again, and are the same: the same program, the same closures
    same(name, letters[0])
    assert set(compiles.values()) == {1}
    monkeypatch.setattr(compiled, "_PROGRAMS", {})  # another program (read again): its own closures
    same(name, letters[0])
    assert set(compiles.values()) == {2}


def cases() -> list[Any]:
    return [validate_case(datafile.load(str(example))) for example in EXAMPLES]


def folder(tmp_path: Path, templates: dict[str, str]) -> Path:
    bundled = tmp_path / "templates"
    for name, text in templates.items():
        (bundled / name).parent.mkdir(parents=True, exist_ok=True)
        (bundled / name).write_text(text, encoding="utf-8")
    return bundled


LONG_INT = 2**MAX_INT_BITS - 1  # the largest whole number a template may write
FALLBACKS: dict[str, tuple[dict[str, str], dict[str, Any], dict[str, Any]]] = {
    # what: (templates, values the closures render as Jinja does, values they leave to Jinja)
    "a name missing in an include": (
        {"main.j2": 'a{% include "inc.j2" %}b', "inc.j2": "{{ x }}"},
        {"x": "1"},
        {},
    ),
    "a key missing in a loop": (
        {"main.j2": "{% for f in xs %}{{ loop.index }}{{ f.a }};{% endfor %}"},
        {"xs": [{"a": "1"}, {"a": "2"}]},
        {"xs": [{"a": "1"}, {}]},
    ),
    "a key missing in a test": (
        {"main.j2": "{% for f in xs %}{% if f.a %}y{% endif %}{% endfor %}"},
        {"xs": [{"a": 1}, {"a": 0}]},
        {"xs": [{"a": 1}, {}]},
    ),
    "a key missing in an expression": (
        {"main.j2": "{% for f in xs %}{{ 'y' if f.a else 'n' }}{% endfor %}"},
        {"xs": [{"a": 1}, {"a": 0}]},
        {"xs": [{"a": 1}, {}]},
    ),
    "a dict's method": ({"main.j2": "{{ d.keys }}"}, {"d": SimpleNamespace(keys="k")}, {"d": {"keys": "k"}}),
    "a loop attribute not read here": (
        {"main.j2": "{% for x in xs %}{{ loop.revindex }}{{ loop.cycle }}{% endfor %}"},
        {"xs": []},
        {"xs": ["a"]},
    ),
    "the loop's length": ({"main.j2": "{% for x in xs %}{{ loop | length }}{% endfor %}"}, {"xs": []}, {"xs": [1]}),
    "a container written": ({"main.j2": "{{ v }}"}, {"v": "a"}, {"v": ["a"]}),
    "a text too long": ({"main.j2": "<{{ v }}>"}, {"v": "x" * MAX_VALUE}, {"v": "x" * (MAX_VALUE + 1)}),
    "a text of a dict too long": (
        {"main.j2": "<{{ d.v }}>"},
        {"d": {"v": "x" * MAX_VALUE}},
        {"d": {"v": "x" * (MAX_VALUE + 1)}},
    ),
    "a number too big": ({"main.j2": "{{ n }}"}, {"n": LONG_INT}, {"n": LONG_INT + 1}),
    "a sum too big": ({"main.j2": "{% if n + 1 %}+{% endif %}"}, {"n": LONG_INT - 1}, {"n": LONG_INT}),
    "a sum of texts": ({"main.j2": "{{ a + b }}"}, {"a": 1, "b": 2}, {"a": "1", "b": "2"}),
    "too many turns, in a nested loop": (
        {"main.j2": "{% for a in xs %}{% for b in ys %}{% endfor %}{{ loop.last }}{% endfor %}"},
        {"xs": [1], "ys": [0] * (MAX_LOOP - 1)},
        {"xs": [1], "ys": [0] * MAX_LOOP},
    ),
    "an inline if without else": ({"main.j2": "{{ 'a' if c }}"}, {"c": True}, {"c": False}),
    "an item missing": ({"main.j2": '{{ d["k"] }}'}, {"d": {"k": "v"}}, {"d": {}}),
    "a join of what is not text": ({"main.j2": '{{ xs | join(",") }}'}, {"xs": ["a", "b"]}, {"xs": [1, 2]}),
    "a method of data": ({"main.j2": "{{ o.m }}"}, {"o": SimpleNamespace(m="x")}, {"o": SimpleNamespace(m=len)}),
    "a text too long, joined": (
        {"main.j2": "{{ a ~ b }}"},
        {"a": "x" * (MAX_VALUE - 3), "b": "y"},
        {"a": "x" * (MAX_VALUE - 2), "b": "y"},
    ),
}


@pytest.mark.parametrize("what", FALLBACKS)
def test_what_the_closures_do_not_render_as_jinja_would_goes_to_jinja(what: str, tmp_path: Path) -> None:
    templates, good, bad = FALLBACKS[what]
    bundled = folder(tmp_path, templates)
    same("main.j2", good, bundled)
    with pytest.raises(expressions.Fallback):
        program = compiled._program(bundled, "main.j2")
        assert program is not None
        closures.document(compiled._closure(bundled, program, "main.j2"), bad)
    assert compiled._compiled("main.j2", bad, bundled) is None
    try:
        expected = jinja_render(["main.j2"], bad, None, bundled)
    except TemplateError as error:
        with pytest.raises(TemplateError) as fast:
            compiled.render(["main.j2"], bad, None, bundled)
        assert str(fast.value) == str(error)
    else:
        assert compiled.render(["main.j2"], bad, None, bundled) == expected


@pytest.mark.parametrize("limit", ["MAX_BUILT", "MAX_LOOP", "MAX_OUTPUT"])
def test_a_letter_at_a_limit_renders_and_above_it_goes_to_jinja(
    limit: str, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """The closures count what they build, loop and write exactly as the sandbox does: at a limit set to what the
    letter needs, both render it; one below, the closures leave it to Jinja, which refuses it."""
    case = validate_case(datafile.load(str(EXAMPLES[0])))
    values = build_letter_context(assess(case, catalog, case.as_of, "zh"), "merchant").values
    name = "letters/merchant.md.j2"
    text = same(name, values)
    budget = run(name, values, templates_dir())
    needs = {"MAX_BUILT": budget.built, "MAX_LOOP": budget.loops, "MAX_OUTPUT": len(text)}[limit]
    assert needs > 0
    for module in (closures, expressions, limits):
        if hasattr(module, limit):
            monkeypatch.setattr(module, limit, needs)
    assert same(name, values) == text
    for module in (closures, expressions, limits):
        if hasattr(module, limit):
            monkeypatch.setattr(module, limit, needs - 1)
    assert compiled._compiled(name, values, templates_dir()) is None
    with pytest.raises(TemplateError) as fast:
        compiled.render([name], values, None, templates_dir())
    with pytest.raises(TemplateError) as slow:
        jinja_render([name], values, None, templates_dir())
    assert str(fast.value) == str(slow.value)


def test_nested_loops_read_their_own_loop_as_jinja_does(tmp_path: Path) -> None:
    bundled = folder(
        tmp_path,
        {
            "main.j2": "{% for a in xs %}{{ loop.index }}:{% for b in a %}{{ loop.index }}{{ b }}{% if loop.last %}"
            "!{% endif %}{% else %}-{% endfor %}{{ loop.revindex0 }}{{ loop.first }}{{ a | length }}"
            "{{ loop.length }} {% endfor %}{{ xs | length }}"
        },
    )
    out = same("main.j2", {"xs": [["x", "y"], [], ["z"]]}, bundled)
    assert out == "1:1x2y!2True23 2:-1False03 3:1z!0False13 3"


def test_an_included_template_sets_names_for_itself(tmp_path: Path) -> None:
    bundled = folder(
        tmp_path,
        {
            "main.j2": '{% set y = "main" %}{% include "inc.j2" %}{{ y }}{{ z is defined }}',
            "inc.j2": '{{ y }}{% set z = "inc" %}{{ z }}',
        },
    )
    assert same("main.j2", {}, bundled) == "mainincmainFalse"


def test_a_node_the_compiler_does_not_read_stops_the_letter_only_where_it_is_reached() -> None:
    """As the walk of the program did: a program written by another version may hold a node this one does not
    know; the closures raise Fallback when they come to it, not before."""
    body = [
        [op.TEXT, "a"],
        [op.IF, [[[op.VAR, "c"], [[99, "x"]]]], [[op.OUT, [op.COND, [op.VAR, "d"], [op.CONST, "b"], [97]]]]],
        [op.FOR, "x", [op.VAR, "xs"], 7, [[op.TEXT, "."]]],  # a body that is not a list
    ]
    run = closures.Compiler({"t": ["", body, []]}).template("t")
    assert closures.document(run, {"c": False, "d": True, "xs": []}) == "ab."
    for values, why in (({"c": True}, 99), ({"c": False, "d": False}, 97), ({"c": 0, "d": 1, "xs": [1]}, "body")):
        with pytest.raises(expressions.Fallback) as stopped:
            closures.document(run, {"xs": [], **values})
        assert stopped.value.args == (why,)


def test_the_table_of_escaped_texts_stays_bounded(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    monkeypatch.setattr(closures, "ESCAPED_KEPT", 50)
    case = validate_case(datafile.load(str(EXAMPLES[0])))
    values = build_letter_context(assess(case, catalog, case.as_of, "zh"), "merchant").values
    for i in range(3):
        same("letters/merchant.md.j2", {**values, "title": f"第{i}号*函*"})
        assert 0 < len(closures._ESCAPED) <= 50
    assert closures._ESCAPED.get("第2号*函*") == "第2号\\*函\\*"


def test_a_loop_whose_body_sets_a_name_gives_each_item_a_scope_of_its_own() -> None:
    """The sandbox's scoping, which the walk of the program kept: a name set for one item is not seen by the next;
    a loop over ``loop`` still reads the loop. (template_ir compiles neither; a program may hold them.)"""
    loop = [op.VAR, "loop"]
    first = [op.IF, [[[op.ATTR, loop, "first"], [[op.SET, "y", [op.CONST, "s"]]]]], []]
    body = [
        [op.FOR, "x", [op.VAR, "xs"], [first, [op.OUT, [op.DEFINED, "y"]]], []],
        [op.OUT, [op.DEFINED, "y"]],
        [op.FOR, "loop", [op.VAR, "xs"], [[op.OUT, [op.ATTR, loop, "index"]]], []],
    ]
    run = closures.Compiler({"t": ["", body, []]}).template("t")
    assert closures.document(run, {"xs": [5, 6]}) == "TrueFalseFalse12"
