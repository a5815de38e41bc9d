"""Blocks the network in a `rights` subprocess started by the hardening tests (put this folder on PYTHONPATH).

Python imports ``sitecustomize`` at start-up, before rightscli. Any attempt to resolve a name or to connect or send
over a socket that is not AF_UNIX raises :class:`NetworkBlocked` and prints ``rights-test: network blocked`` on
stderr, so a test sees it even if the program swallowed the exception.
"""

import socket
import sys


class NetworkBlocked(RuntimeError):
    pass


def _refuse(what: str) -> None:
    sys.stderr.write(f"rights-test: network blocked: {what}\n")
    sys.stderr.flush()
    raise NetworkBlocked(f"network access blocked by the test shim: {what}")


def _guard(name: str):  # type: ignore[no-untyped-def]
    original = getattr(socket.socket, name)

    def method(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.family == getattr(socket, "AF_UNIX", object()):
            return original(self, *args, **kwargs)
        return _refuse(f"socket.{name}{args!r}")

    return method


for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, _name, _guard(_name))
socket.create_connection = lambda *a, **k: _refuse(f"create_connection{a!r}")  # type: ignore[assignment]
socket.getaddrinfo = lambda *a, **k: _refuse(f"getaddrinfo{a!r}")  # type: ignore[assignment]
socket.gethostbyname = lambda *a, **k: _refuse(f"gethostbyname{a!r}")  # type: ignore[assignment]
