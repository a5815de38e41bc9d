"""The bundled templates, compiled ahead into data and rendered without Jinja: a letter no longer pays for importing it.

:mod:`rightscli.letters.template_ir` turns each bundled template, parsed by the same Jinja sandbox that renders it,
into a small tree of lists (the *program*): literal text, ``{{ value }}``, ``if``, ``for``, ``set``, ``include`` and
the few expressions the bundled templates use. The wheel ships the program of its templates
(``rightscli/_data/prebuilt/templates.msgpack``, made when the wheel is built); elsewhere (a source checkout) the
first letter makes it and keeps it in the cache folder. It is data, read like the catalog cache: nothing in it runs.

:func:`render` runs the program with the letter's values, exactly as the sandbox would render the template: the same
lookups (a key of a dict, else nothing), the same text for every value (:func:`~rightscli.letters.mdtext.finalize`),
the same limits (:mod:`rightscli.letters.caps`). Whatever it does not do the same way by construction — a value
missing (Jinja's StrictUndefined), a value that is not plain data, a limit approached, a template changed since it was
compiled, any error at all — ends the run, and Jinja renders the template instead, from the start, so that what the
buyer gets (letter or error message) is always what Jinja gives. Only the bundled templates are compiled: with
``--template-dir`` Jinja renders every letter. The program runs as Python closures
(:mod:`rightscli.letters.closures`), made of each template the first time a process renders it and kept with the
program they were made from (made again only for another program).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rightscli import __version__
from rightscli.letters.closures import Compiler, Stmt, document
from rightscli.letters.program import FORMAT, PROGRAM, check_template_dir, source


def render(names: Sequence[str], values: dict[str, Any], template_dir: Path | None, bundled: Path) -> str:
    """Render the first of ``names`` found (user folder first, then bundled) with ``values``: from the compiled
    program where it renders the same, else with Jinja (:func:`rightscli.letters.render.render`)."""
    check_template_dir(template_dir)
    if template_dir is None and len(names) == 1:
        text = _compiled(names[0], values, bundled)
        if text is not None:
            return text
    from rightscli.letters.render import render as jinja_render

    return jinja_render(names, values, template_dir, bundled)


def _compiled(name: str, values: dict[str, Any], bundled: Path) -> str | None:
    try:
        program = _program(bundled, name)
        if program is None or program["templates"][name][1] is None:
            return None  # no program for these files, or a template it does not compile
        return document(_closure(bundled, program, name), values)
    except Exception:  # Fallback, or anything else: Jinja renders it and says what went wrong, if anything did
        return None


# -- the program: prebuilt, cached or made now ---------------------------------------------------------------------

_PROGRAMS: dict[str, dict[str, Any]] = {}  # bundled folder → the program in use (its templates checked or not yet)
_FILES: dict[tuple[str, str], str | None] = {}  # (bundled folder, template) → its text, read once a process
# bundled folder → the program in use and the closures made of its templates (made when first rendered)
_CLOSURES: dict[str, tuple[dict[str, Any], Compiler]] = {}


def _closure(bundled: Path, program: dict[str, Any], name: str) -> Stmt:
    """The closure of template ``name`` of ``program``: made once for the program, made again for a new one."""
    key = str(bundled)
    kept = _CLOSURES.get(key)
    if kept is None or kept[0] is not program:
        kept = _CLOSURES[key] = (program, Compiler(program["templates"]))
    return kept[1].made.get(name) or kept[1].template(name)


def _program(bundled: Path, name: str) -> dict[str, Any] | None:
    """The templates of a program whose sources are the bundled files ``name`` uses; None when there is none."""
    key = str(bundled)
    program = _PROGRAMS.get(key)
    if program is not None and _current(program, bundled, name):
        return program
    for candidate in _candidates(bundled):
        if _current(candidate, bundled, name):
            _PROGRAMS[key] = candidate
            return candidate
    return None


def _candidates(bundled: Path) -> Any:
    """Programs to try, in order: the one the wheel ships, the one in the cache folder, one made now."""
    from rightscli import catalog_cache, prebuilt
    from rightscli.catalog import templates_dir

    if bundled == templates_dir():
        shipped = _read(prebuilt.folder() / PROGRAM, trust=False)
        if shipped is not None:
            yield shipped
    if not catalog_cache.enabled():
        return  # no cache: making a program for one letter costs more than Jinja rendering it
    cached = catalog_cache.cache_dir() / PROGRAM
    found = _read(cached, trust=True)
    if found is not None and found.get("folder") == str(bundled):
        yield found
    from rightscli.letters.template_ir import build

    made = {"folder": str(bundled), "templates": build(bundled)}
    _write(cached, made)
    yield made


def _jinja_version() -> str:
    from rightscli.catalog_cache import installed_version

    return installed_version("jinja2")


def _header() -> list[Any]:
    return [FORMAT, __version__, _jinja_version()]


def _read(path: Path, *, trust: bool) -> dict[str, Any] | None:
    """A program file: ``trust`` asks for the cache's owner and mode check (the wheel's own file is package data)."""
    import msgspec

    from rightscli.cachedir import trusted

    if trust and (trusted(path) is None or trusted(path.parent) is None):
        return None
    try:
        header, program = msgspec.msgpack.decode(path.read_bytes())
    except Exception:
        return None
    if header != _header() or not isinstance(program, dict) or not isinstance(program.get("templates"), dict):
        return None
    return program


def _write(path: Path, program: dict[str, Any]) -> None:
    import msgspec

    from rightscli import catalog_cache

    catalog_cache.store_bytes(msgspec.msgpack.encode([_header(), program]), path.name)


def _current(program: dict[str, Any], bundled: Path, name: str) -> bool:
    """Every template ``name`` uses is in ``program`` with the source now in its file (each file read once)."""
    templates = program["templates"]
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        entry = templates.get(current)
        if entry is None:
            return False  # a template the program does not know: made before it was added
        key = (str(bundled), current)
        if key not in _FILES:
            _FILES[key] = source(bundled, current)
        if _FILES[key] != entry[0]:
            return False
        todo.extend(entry[2])
    return True
