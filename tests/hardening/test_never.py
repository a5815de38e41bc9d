"""What rightscli never does, checked in its source (an AST scan of every module): no network library, no eval or
exec, no unsafe YAML loader, no pickle outside the trusted catalog cache, no shell, no Jinja outside the sandbox.
A new use of any of these fails here and must be argued for in SECURITY.md first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "rightscli"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)

NETWORK = {
    "socket",
    "ssl",
    "urllib",
    "http",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "telnetlib",
    "xmlrpc",
}
# module → the files allowed to import it (relative to rightscli/)
RESTRICTED = {
    # The catalog cache is typed MessagePack: reading it cannot run code. The one use: a batch's settings, chunks and
    # outcomes between the batch process and its workers, over pipes it made before forking the first worker that
    # nothing else holds (what concurrent.futures did before; SECURITY.md). Nothing read from a file or given by a user.
    "pickle": {"batch/pool.py"},
    "marshal": {"regex_cache.py"},  # data only (pattern code as lists of ints), in a private cache (SECURITY.md)
    "shelve": set(),
    "subprocess": {"wizard/run.py"},  # runs `python -m rightscli letter …` as an argument list
    "ctypes": {"batch/runner.py"},  # one call, prctl(PR_SET_PDEATHSIG): a worker dies with its batch (SECURITY.md)
}
SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "loader_cls"}


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported(module: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def calls(module: ast.Module) -> list[tuple[str, ast.Call]]:
    """Every call as a dotted name (`eval`, `yaml.load`, `os.system`, `subprocess.run`)."""
    out = []
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            parts: list[str] = []
            func = node.func
            while isinstance(func, ast.Attribute):
                parts.append(func.attr)
                func = func.value
            if isinstance(func, ast.Name):
                parts.append(func.id)
                out.append((".".join(reversed(parts)), node))
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_does_what_rightscli_never_does(path: Path) -> None:
    module = tree(path)
    where = str(path.relative_to(PACKAGE))
    assert not imported(module) & NETWORK, f"{where} imports a network library"
    for name, allowed in RESTRICTED.items():
        assert name not in imported(module) or where in allowed, f"{where} imports {name}"
    for name, node in calls(module):
        line = f"{where}:{node.lineno}"
        assert name not in ("eval", "exec", "compile", "__import__", "breakpoint"), f"{line}: {name}()"
        assert name not in ("os.system", "os.popen", "os.execv", "os.execvp", "os.spawnv"), f"{line}: {name}()"
        assert not name.startswith("importlib."), f"{line}: {name}()"
        assert name not in ("yaml.load", "yaml.unsafe_load", "yaml.full_load", "yaml.load_all"), f"{line}: {name}()"
        for keyword in node.keywords:
            if keyword.arg == "shell":
                assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, f"{line}: shell="
            if keyword.arg == "Loader" and name.startswith("yaml."):
                loader = ast.unparse(keyword.value).split(".")[-1]
                assert loader in SAFE_YAML_LOADERS, f"{line}: {name}(Loader={loader})"
        if name in ("Environment", "jinja2.Environment", "Template", "jinja2.Template") or name.endswith(
            ".from_string"
        ):
            raise AssertionError(f"{line}: {name}() outside the sandbox")
        assert not name.startswith("pickle.load") or where in RESTRICTED["pickle"], f"{line}: {name}()"


def test_the_scan_sees_the_package() -> None:
    assert len(MODULES) > 30
    assert "msgspec" in imported(tree(PACKAGE / "catalog_cache.py"))
    assert any(name == "yaml.parse" for name, _ in calls(tree(PACKAGE / "datafile.py")))
