"""UserError and ErrorList: plain exception classes with value equality, a replace() and pickling for workers."""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys

import pytest

from rightscli import errors
from rightscli.errors import ErrorList, InputError, PolicyError, UserError, os_reason

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")


def test_where_and_message() -> None:
    exc = InputError("expected a date", file="case.yaml", line=3, path="order.paid_on")
    assert str(exc) == "case.yaml:3, field 'order.paid_on': expected a date"
    assert exc.exit_code == 2 and exc.args == ("expected a date",)
    assert exc.to_json() == {"file": "case.yaml", "line": 3, "field": "order.paid_on", "message": "expected a date"}


def test_replace_copies_with_changes_and_keeps_the_class() -> None:
    exc = InputError("bad", file="-", line=1)
    moved = exc.replace(file="rows.jsonl", line=7)
    assert type(moved) is InputError and str(moved) == "rows.jsonl:7: bad"
    assert (exc.file, exc.line) == ("-", 1)
    with pytest.raises(TypeError):
        exc.replace(colour="red")


def test_equality_by_value_and_class() -> None:
    assert InputError("x", file="a") == InputError("x", file="a")
    assert InputError("x", file="a") != InputError("x", file="b")
    assert InputError("x") != PolicyError("x")
    assert len({InputError("x"), InputError("x")}) == 2  # hashable (by identity), like any exception


def test_error_list_lists_every_problem_and_survives_pickling() -> None:
    errors = [InputError(f"problem {i}", file="case.yaml", line=i) for i in range(30)]
    exc = ErrorList.of(errors)
    assert isinstance(exc, ErrorList) and exc.errors == tuple(errors)
    assert "30 problems" in exc.message and "and 5 more" in exc.message
    again = pickle.loads(pickle.dumps(exc))
    assert again == exc and again.errors == exc.errors
    assert ErrorList.of(errors[:1]) is errors[0]
    assert isinstance(UserError("x"), Exception)


# What the operating system says: in the interface's language (its strerror is English).
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the English texts are the GNU C library's")
@pytest.mark.parametrize("name", sorted(errors._OS_REASONS))
def test_an_os_error_reads_as_the_c_library_says_it_in_english(name: str) -> None:
    code = getattr(errno, name)
    assert os_reason(OSError(code, os.strerror(code))) == os.strerror(code)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "磁盘空间已满"),
        (errno.EROFS, "文件系统是只读的"),
        (errno.EACCES, "没有权限"),
        (errno.EDQUOT, "超出了磁盘配额"),
        (errno.EWOULDBLOCK, "资源暂时不可用，请稍后再试"),  # EAGAIN's other name
        (errno.ENOTSUP, "这个文件系统不支持这项操作"),  # EOPNOTSUPP's other name
    ],
)
def test_an_os_error_reads_in_chinese_in_the_chinese_interface(
    monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    monkeypatch.setenv("RIGHTS_LANG", "zh")
    assert os_reason(OSError(code, os.strerror(code))) == words


def test_an_os_error_not_in_the_catalogue_keeps_the_systems_words_and_code() -> None:
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == "No child processes (ECHILD)"
    assert os_reason(OSError("no code at all")) == "no code at all"


def test_an_os_error_not_in_the_catalogue_names_its_code_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTS_LANG", "zh")
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == "操作系统报告错误 ECHILD（No child processes）"


def test_every_os_reason_has_its_entry_in_the_catalogue() -> None:
    from rightscli.i18n import catalogue

    assert all(f"os.{name}" in catalogue(lang) for name in errors._OS_REASONS for lang in ("zh", "en"))
    assert all(hasattr(errno, name) for name in errors._OS_REASONS)


def test_a_full_standard_output_is_reported_in_chinese() -> None:
    from tests.hardening.support import ROOT, rights_cmd, subprocess_env

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            rights_cmd("assess", "examples/changed-mind-in-time.yaml"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=subprocess_env(RIGHTS_LANG="zh"),
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert "磁盘空间已满" in result.stderr and "No space" not in result.stderr, result.stderr
