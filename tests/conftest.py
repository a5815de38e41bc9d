from __future__ import annotations

import pytest

from rightscli.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real cache folder."""
    import os

    os.environ["RIGHTS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


class NetworkBlocked(RuntimeError):
    """Raised by any network access during the tests (not an OSError: no code may take it for a network failure)."""


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """The suite needs no network: resolving a name, or connecting or sending over a socket that is not AF_UNIX,
    fails loudly while the tests run, and once more at the end of the session if the program swallowed the error.

    Subprocesses are not covered by this patch: tests/hardening/test_no_network.py runs `rights` in a subprocess
    with tests/hardening/netblock/sitecustomize.py, which blocks the same calls there.
    """
    import socket

    attempts: list[str] = []

    def refuse(what: str) -> None:
        attempts.append(what)
        raise NetworkBlocked(f"network access in a test: {what}")

    def guard(name: str):
        original = getattr(socket.socket, name)

        def method(self, *args, **kwargs):
            if self.family == getattr(socket, "AF_UNIX", object()):
                return original(self, *args, **kwargs)
            return refuse(f"socket.{name}{args!r}")

        return method

    with pytest.MonkeyPatch.context() as mp:
        for name in ("connect", "connect_ex", "sendto", "sendmsg"):
            mp.setattr(socket.socket, name, guard(name))
        mp.setattr(socket, "create_connection", lambda *a, **k: refuse(f"create_connection{a!r}"))
        mp.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(f"getaddrinfo{a!r}"))
        mp.setattr(socket, "gethostbyname", lambda *a, **k: refuse(f"gethostbyname{a!r}"))
        yield attempts
    assert not attempts, f"the tests tried to use the network: {attempts}"


@pytest.fixture(autouse=True)
def _interface_language() -> None:
    """Each test starts with the interface language unset: it then comes from the environment (zh by default), as
    in a new `rights` process; a command run with --lang en in one test does not leak into the next."""
    from rightscli import i18n

    i18n._current = None
    i18n._explicit = False


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The English interface (RIGHTS_LANG=en, also for `rights` run in a subprocess): for tests that check the
    wording of English messages. Chinese is the default; tests/test_i18n.py checks both catalogues."""
    monkeypatch.setenv("RIGHTS_LANG", "en")
