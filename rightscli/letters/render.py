"""Render a template to restricted Markdown in a Jinja2 sandbox.

* ``SandboxedEnvironment``: attributes starting with ``_`` (``''.__class__.__mro__``) and unsafe callables are refused;
  every value a template builds, its loops, its output and its file are capped (:mod:`rightscli.letters.limits`), so
  that a template cannot build a huge string or number, loop for hours or nest deeper than the parser can follow.
* ``StrictUndefined``: a misspelt or missing variable is an error, never an empty string.
* The loader sees only the user's ``--template-dir`` (first, so its files override bundled ones of the same name)
  and the bundled ``templates/`` folder; ``..`` in template names is refused by Jinja's loader. No extensions.
* Autoescape is off (the output is Markdown, not HTML); instead every ``{{ value }}`` that is text is escaped for
  Markdown, so that a ``*`` or ``#`` typed by the buyer stays a character. Text the letter code built as Markdown on
  purpose is wrapped in :class:`~rightscli.letters.mdtext.MdSafe` and kept as it is.

Every problem (syntax, missing variable, sandbox violation, an error while rendering) becomes a
:class:`~rightscli.errors.TemplateError` naming the template file and line.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2 import exceptions as jx
from jinja2.sandbox import SandboxedEnvironment

from rightscli.charcheck import find_unsafe
from rightscli.errors import TemplateError, UserError
from rightscli.i18n import tr
from rightscli.letters import limits, rmb
from rightscli.letters.caps import MAX_TEMPLATE_BYTES
from rightscli.letters.mdtext import finalize
from rightscli.letters.program import check_template_dir


class LetterSandbox(SandboxedEnvironment):
    """The sandbox with the limits of :mod:`rightscli.letters.limits`: every operator, method call, filter, ``~`` and
    loop of a template goes through them; :attr:`budget` counts what one render has built (reset by :func:`render`)."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    code_generator_class = limits.GuardedCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = limits.Budget()
        self.globals["lipsum"] = limits.guard_lipsum(self.globals["lipsum"])

    def guard_filters(self) -> None:
        """Put every filter (Jinja's and rightscli's) behind the limits; call once the filters are registered."""
        for name, func in list(self.filters.items()):
            self.filters[name] = limits.guard_filter(name, func, lambda: self.budget)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return self.budget.charge(limits.binop(operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        args = limits.check_call(getattr(obj, "__wrapped__", obj), args, kwargs)  # str.format comes wrapped
        return self.budget.charge(super().call(context, obj, *args, **kwargs))

    def count_loop(self, iterable: Any) -> Any:
        return self.budget.loop(iterable)

    def checked_concat(self, parts: tuple[Any, ...]) -> str:
        return self.budget.charge(limits.concat(parts))

    def finalize_value(self, value: Any) -> Any:
        return self.budget.charge(finalize(limits.check_value(value, "the value written")))


class ConfinedLoader(FileSystemLoader):
    """A file loader that never leaves its folders: a template (or an include) whose real path, after following
    symbolic links, lies outside the real path of the folder it was found in is refused, and a file that is not UTF-8
    is reported by name. Files are read up to :data:`~rightscli.letters.MAX_TEMPLATE_BYTES`; those outside the
    ``trusted`` (bundled) folder must pass :func:`~rightscli.letters.limits.check_structure` too."""

    trusted: frozenset[str] = frozenset()
    last: str | None = None  # the file read last: named when compiling it fails

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = os.path.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            raise jx.TemplateNotFound(template)
        root = os.path.realpath(folder)
        if not os.path.realpath(filename).startswith(root + os.sep):
            raise jx.SecurityError(tr("template.outside", template=template, folder=folder))
        self.last = filename
        fd = os.open(filename, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced by a pipe since the check above: never wait on it
                raise TemplateError(tr("template.not_regular"), file=filename)
            raw = fh.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                tr("template.too_large", kib=MAX_TEMPLATE_BYTES // 1024),
                file=filename,
            )
        try:
            contents = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise TemplateError(tr("file.not_utf8", offset=exc.start), file=filename) from None
        bad = find_unsafe(contents, allowed="\t\n\r")
        if bad is not None:  # escape sequences would reach the terminal through the letter
            raise TemplateError(bad[1], file=filename, line=contents.count("\n", 0, bad[0]) + 1)
        if folder not in self.trusted:
            problem = limits.check_structure(environment.lex(contents, template, filename))
            if problem is not None:
                raise TemplateError(problem[1], file=filename, line=problem[0])
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


def make_env(template_dir: Path | None, bundled: Path) -> LetterSandbox:
    search = [str(template_dir)] if template_dir is not None else []
    search.append(str(bundled))
    loader = ConfinedLoader(search, encoding="utf-8", followlinks=False)
    loader.trusted = frozenset({str(bundled)})
    env = LetterSandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=(),
        bytecode_cache=_bytecode_cache(),
        auto_reload=False,  # a template does not change while one command runs: no stat of each on every letter
    )
    env.filters["rmb_figures"] = rmb.figures
    env.filters["rmb_capitals"] = rmb.capitals
    env.filters["rmb"] = rmb.both
    env.finalize = env.finalize_value
    env.guard_filters()
    return env


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the user's cache folder (saves compiling them on every run).

    Jinja keys each entry by the template's file and checks a hash of its source, so an edited template is compiled
    again. The folder is used only when it belongs to the user and nobody else can write to it; the file pattern is
    this sandbox's own, so code compiled by another Jinja environment is never picked up. ``RIGHTS_NO_CACHE=1`` turns
    it off.
    """
    from rightscli import catalog_cache

    if not catalog_cache.enabled():
        return None
    folder = catalog_cache.cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not (_private(folder) and _private(folder.parent)):
        return None
    return _OptionalCache(str(folder), pattern="rights-sandbox-2-%s.cache")


class _OptionalCache(FileSystemBytecodeCache):
    """The compiled-template cache is optional: one that cannot be read or written (a full disk, a folder made
    read-only meanwhile) is passed over, and the template is compiled from its file."""

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _private(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return mine and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


_ENVS: dict[tuple[Path | None, Path], LetterSandbox] = {}


def env_for(template_dir: Path | None, bundled: Path) -> LetterSandbox:
    """One environment per pair of template folders, reused for every letter of a process (a batch renders
    thousands): Jinja then compiles each template once. Templates cannot change the environment (the sandbox
    refuses attribute writes and internals), and every render gets values of its own."""
    key = (template_dir, bundled)
    env = _ENVS.get(key)
    if env is None:
        env = _ENVS[key] = make_env(template_dir, bundled)
    return env


def render(names: Sequence[str], values: dict[str, Any], template_dir: Path | None, bundled: Path) -> str:
    """Render the first of ``names`` found (user folder first, then bundled) with ``values``."""
    check_template_dir(template_dir)
    env = env_for(template_dir, bundled)
    searched = ", ".join(env.loader.searchpath) if isinstance(env.loader, FileSystemLoader) else ""
    template: Any = None
    try:
        template = env.select_template(list(names))
        env.budget = budget = limits.Budget()
        chunks = []
        output = template.generate(**values)
        for chunk in output:
            try:
                budget.write(chunk)
            except jx.SecurityError as exc:
                output.throw(exc)  # raised where the template is writing: the error names its line
            chunks.append(chunk)
        return "".join(chunks)
    except jx.TemplateSyntaxError as exc:
        from rightscli.letters.template_problems import jinja_problem  # only when a template fails

        message = tr("template.syntax", problem=jinja_problem(exc.message or ""))
        raise TemplateError(message, file=exc.filename or exc.name, line=exc.lineno) from None
    except jx.TemplatesNotFound as exc:
        names = tr("case.or").join(map(str, exc.templates))
        raise TemplateError(tr("template.not_found", name=names, searched=searched)) from None
    except jx.TemplateNotFound as exc:
        raise TemplateError(tr("template.not_found", name=exc.name, searched=searched)) from None
    except jx.SecurityError as exc:
        file, line = _where(exc, env, template)
        raise TemplateError(tr("template.sandbox", problem=exc), file=file, line=line) from None
    except jx.UndefinedError as exc:
        file, line = _where(exc, env, template)
        known = ", ".join(sorted(values))
        from rightscli.letters.template_problems import jinja_problem

        problem = jinja_problem(exc.message or "")
        raise TemplateError(tr("template.undefined", problem=problem, known=known), file=file, line=line) from None
    except UserError:
        raise
    except (RecursionError, MemoryError, SyntaxError) as exc:  # compiling or running a template beyond Python's limits
        file, line = _where(exc, env, template)
        key = "template.too_deep_to_run" if isinstance(exc, RecursionError | SyntaxError) else "template.too_big_to_run"
        raise TemplateError(tr(key, kind=type(exc).__name__), file=file, line=line) from None
    except Exception as exc:  # anything else raised while running the template's code
        file, line = _where(exc, env, template)
        raise TemplateError(tr("template.error", kind=type(exc).__name__, problem=exc), file=file, line=line) from None


def _where(exc: BaseException, env: LetterSandbox, template: Any = None) -> tuple[str | None, int | None]:
    """The innermost template frame in the traceback (Jinja rewrites frames to template file and line); else the
    template being rendered, or the file the loader read last (an error while compiling it)."""
    roots = tuple(env.loader.searchpath) if isinstance(env.loader, FileSystemLoader) else ()
    fallback = template.filename if template is not None else getattr(env.loader, "last", None)
    found: tuple[str | None, int | None] = (fallback, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if roots and name.startswith(roots):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found
