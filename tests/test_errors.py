"""UserError and ErrorList: plain exception classes with value equality, a replace() and pickling for workers."""

from __future__ import annotations

import pickle

import pytest

from rightscli.errors import ErrorList, InputError, PolicyError, UserError

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
