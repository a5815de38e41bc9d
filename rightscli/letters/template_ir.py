"""Compile the bundled templates into the program :mod:`rightscli.letters.compiled` walks (imports Jinja: run when the
wheel is built, or once in a source checkout).

Each template is read as the sandbox's loader reads it and parsed by the sandbox itself (its whitespace rules, its
lexer), so the program holds exactly the text and the tags Jinja would run. Only what the bundled templates use is
compiled — literal text, ``{{ … }}``, ``if``/``elif``/``else``, ``for``/``else`` over one name, ``set`` of one name
outside loops, ``include`` of a fixed bundled name, and the expressions listed in :class:`Compiler`; a template using
anything else (or including one that does) is recorded as not compiled, and Jinja renders it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import nodes

from rightscli.letters import program as op


class Unsupported(Exception):
    """A tag or expression the program does not have: Jinja renders this template."""


def build(bundled: Path) -> dict[str, list[Any]]:
    """Every template under ``bundled``: name → [source as read, program or None, names it includes]."""
    from rightscli.letters.render import make_env

    env = make_env(None, bundled)
    names = sorted(p.relative_to(bundled).as_posix() for p in bundled.rglob("*.j2") if p.is_file())
    out: dict[str, list[Any]] = {}
    for name in names:
        source = op.source(bundled, name)
        try:
            if source is None or env.loader.get_source(env, name)[0] != source:
                raise Unsupported("read differently")
            compiler = Compiler(frozenset(env.globals))
            program = compiler.template(env.parse(source, name))
            out[name] = [source, program, sorted(compiler.includes)]
        except Exception:  # not compiled: Jinja renders it (and reports whatever is wrong with it)
            out[name] = [source, None, []]
    changed = True
    while changed:  # a template that includes one not compiled is not compiled either
        changed = False
        for entry in out.values():
            if entry[1] is not None and any(out.get(i, [None, None])[1] is None for i in entry[2]):
                entry[1], entry[2] = None, []
                changed = True
    return out


class Compiler:
    """Jinja's parse tree → nested lists with the opcodes of :mod:`rightscli.letters.compiled`."""

    def __init__(self, jinja_globals: frozenset[str]) -> None:
        self.globals = jinja_globals  # range, lipsum …: a name Jinja could take from there is left to Jinja
        self.includes: set[str] = set()
        self.assigned: set[str] = set()  # names set at the template's top level
        self.set_so_far: set[str] = set()

    def template(self, tree: nodes.Template) -> list[Any]:
        self.assigned = {n.target.name for n in tree.find_all(nodes.Assign) if isinstance(n.target, nodes.Name)}
        return self.body(tree.body, in_loop=False)

    def body(self, statements: list[nodes.Node], *, in_loop: bool) -> list[Any]:
        out: list[Any] = []
        for node in statements:
            out.extend(self.statement(node, in_loop=in_loop))
        return out

    def statement(self, node: nodes.Node, *, in_loop: bool) -> list[Any]:
        if isinstance(node, nodes.Output):
            return [
                [op.TEXT, child.data] if isinstance(child, nodes.TemplateData) else [op.OUT, self.expr(child)]
                for child in node.nodes
            ]
        if isinstance(node, nodes.If):
            branches = [[self.expr(node.test), self.body(node.body, in_loop=in_loop)]]
            for elif_ in node.elif_:
                branches.append([self.expr(elif_.test), self.body(elif_.body, in_loop=in_loop)])
            return [[op.IF, branches, self.body(node.else_, in_loop=in_loop)]]
        if isinstance(node, nodes.For):
            if node.test is not None or node.recursive or not isinstance(node.target, nodes.Name):
                raise Unsupported("for")
            iterable = self.expr(node.iter)
            name = self.name(node.target.name)
            body = self.body(node.body, in_loop=True)
            return [[op.FOR, name, iterable, body, self.body(node.else_, in_loop=in_loop)]]
        if isinstance(node, nodes.Assign):
            if in_loop or not isinstance(node.target, nodes.Name):
                raise Unsupported("set")  # Jinja's scoping of a set inside a loop is its own
            value = self.expr(node.node)
            self.set_so_far.add(node.target.name)
            return [[op.SET, self.name(node.target.name), value]]
        if isinstance(node, nodes.Include):
            template = node.template
            if (
                in_loop
                or node.ignore_missing
                or not node.with_context
                or not isinstance(template, nodes.Const)
                or not isinstance(template.value, str)
            ):
                raise Unsupported("include")
            self.includes.add(template.value)
            return [[op.INCLUDE, template.value]]
        raise Unsupported(type(node).__name__)

    def name(self, name: str) -> str:
        if name in self.globals or name.startswith("_"):
            raise Unsupported(name)
        return name

    def expr(self, node: nodes.Node) -> list[Any]:
        if isinstance(node, nodes.Name):
            if node.name in self.assigned and node.name not in self.set_so_far:
                raise Unsupported(node.name)  # read before the template sets it
            return [op.VAR, self.name(node.name)]
        if isinstance(node, nodes.Const):
            if node.value is not None and not isinstance(node.value, str | int | float | bool):
                raise Unsupported("const")
            return [op.CONST, node.value]
        if isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                raise Unsupported(node.attr)
            return [op.ATTR, self.expr(node.node), node.attr]
        if isinstance(node, nodes.Getitem):
            if not isinstance(node.arg, nodes.Const) or not isinstance(node.arg.value, str | int):
                raise Unsupported("item")
            if isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
                raise Unsupported(node.arg.value)
            return [op.ITEM, self.expr(node.node), self.expr(node.arg)]
        if isinstance(node, nodes.Concat):
            return [op.CONCAT, [self.expr(part) for part in node.nodes]]
        if isinstance(node, nodes.CondExpr):
            other = self.expr(node.expr2) if node.expr2 is not None else None
            return [op.COND, self.expr(node.test), self.expr(node.expr1), other]
        if isinstance(node, nodes.Not):
            return [op.NOT, self.expr(node.node)]
        if isinstance(node, nodes.And | nodes.Or):
            return [
                op.AND if isinstance(node, nodes.And) else op.OR,
                self.expr(node.left),
                self.expr(node.right),
            ]
        if isinstance(node, nodes.Add):
            return [op.ADD, self.expr(node.left), self.expr(node.right)]
        if isinstance(node, nodes.Test):
            plain = not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
            if node.name != "defined" or not plain or not isinstance(node.node, nodes.Name):
                raise Unsupported("test")
            return [op.DEFINED, self.name(node.node.name)]
        if isinstance(node, nodes.Filter):
            return self.filter(node)
        raise Unsupported(type(node).__name__)

    def filter(self, node: nodes.Filter) -> list[Any]:
        if node.node is None or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise Unsupported("filter")
        if node.name == "length" and not node.args:
            return [op.LENGTH, self.expr(node.node)]
        if node.name == "join" and len(node.args) <= 1:
            separator = self.expr(node.args[0]) if node.args else [op.CONST, ""]
            return [op.JOIN, self.expr(node.node), separator]
        raise Unsupported(node.name)
