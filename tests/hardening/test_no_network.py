"""No network: the autouse fixture of tests/conftest.py blocks sockets in the test process, and
tests/hardening/netblock/sitecustomize.py blocks them in `rights` subprocesses. These tests show that both blocks work
(a connection attempt fails loudly) and that `rights` runs its commands with them in place; where the sandbox allows,
also in a network namespace with no network at all (`unshare -n`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NetworkBlocked
from tests.hardening.support import EXAMPLE, EXAMPLES, ROOT, rights_cmd, run_rights, subprocess_env

COMMANDS = [
    ["assess", EXAMPLE, "--json"],
    ["letter", EXAMPLE, "--to", "regulator", "--format", "html"],
    ["calendar", EXAMPLE, "-o", "-"],
    ["status", EXAMPLES, "--json"],
]


def test_the_suite_fixture_blocks_connections_and_name_lookups(_no_network: list[str]) -> None:
    attempts = len(_no_network)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.com", 443)
    for family, kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM)):
        with socket.socket(family, kind) as sock, pytest.raises(NetworkBlocked):
            sock.connect(("::1" if family == socket.AF_INET6 else "127.0.0.1", 9))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkBlocked):
        sock.sendto(b"x", ("127.0.0.1", 53))
    assert len(_no_network) == attempts + 5
    del _no_network[attempts:]  # these attempts were the point of this test, not a failure of the suite


def test_the_suite_fixture_leaves_unix_sockets_alone(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
    a, b = socket.socketpair()
    a.close()
    b.close()


def test_the_subprocess_shim_blocks_connections() -> None:
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), cwd=ROOT, check=False
    )
    assert result.returncode != 0
    assert "rights-test: network blocked" in result.stderr and "NetworkBlocked" in result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(map(str, a[:2])))
def test_rights_needs_no_network_in_a_subprocess(args: list[object]) -> None:
    result = run_rights(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "network blocked" not in result.stderr


def test_rights_runs_without_any_network_interface() -> None:
    if not shutil.which("unshare"):
        pytest.skip("needs unshare")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not allowed here")
    script = " && ".join(" ".join(f"'{part}'" for part in rights_cmd(*args)) + " > /dev/null" for args in COMMANDS[:2])
    result = subprocess.run(
        ["unshare", "-n", "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=subprocess_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
