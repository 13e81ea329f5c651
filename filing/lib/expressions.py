"""Safe evaluation of the expressions in call definitions.

Eligibility rules and computed fields are short Python-like expressions written by whoever
maintains a call definition (``total_area >= 500``, ``teams_in_field / teams * 100``). They are
evaluated with simpleeval, which allows no imports, attribute access to private names or
unbounded powers. This module adds the names and functions a call may use, and tells a rule
that cannot be decided (a value it needs is still empty) from one that fails.
"""

from __future__ import annotations

import ast
import calendar
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import simpleeval


class ExpressionError(ValueError):
    """The expression is not one the platform can evaluate."""


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")


def add_months(value: Any, months: int) -> date:
    d = _as_date(value)
    month_index = d.month - 1 + int(months)
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_years(value: Any, years: int) -> date:
    return add_months(value, int(years) * 12)


def months_between(start: Any, end: Any) -> int:
    """Whole months from start to end (a month is counted once its day is reached)."""
    a, b = _as_date(start), _as_date(end)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if add_months(a, months) > b:
        months -= 1
    return months


def days_between(start: Any, end: Any) -> int:
    return (_as_date(end) - _as_date(start)).days


def matches(text: Any, pattern: str) -> bool:
    """Whole-string regular expression match, for naming rules such as ``.+专业化众创空间``."""
    return text is not None and re.fullmatch(pattern, str(text)) is not None


def contains(text: Any, part: str) -> bool:
    return text is not None and str(part) in str(text)


def ratio(part: Any, whole: Any) -> float | None:
    """part / whole, or None when whole is zero (so the rule cannot be decided)."""
    if whole in (None, 0) or part is None:
        return None
    return float(part) / float(whole)


def percent(part: Any, whole: Any) -> float | None:
    value = ratio(part, whole)
    return None if value is None else round(value * 100, 2)


FUNCTIONS: dict[str, Any] = {
    "len": len,
    "sum": sum,
    "min": min,
    "max": max,
    "all": all,
    "any": any,
    "abs": abs,
    "round": round,
    "int": int,
    "float": float,
    "str": str,
    "date": _as_date,
    "add_months": add_months,
    "add_years": add_years,
    "months_between": months_between,
    "days_between": days_between,
    "matches": matches,
    "contains": contains,
    "ratio": ratio,
    "percent": percent,
}

BUILTIN_NAMES = {"today", "True", "False", "None"}


def referenced_names(expression: str) -> frozenset[str]:
    """Top-level names an expression reads (not functions, not comprehension variables).

    Kept per expression: the same few expressions of a call are read for every application
    (a summary table of ten thousand rows evaluates each column ten thousand times).
    """
    return _referenced_names(expression)


# CPython 3.11 may fail with "SystemError: AST constructor recursion depth mismatch" when two
# threads build syntax trees at once (python/cpython#106905), and a gunicorn worker serves
# requests in threads: the deadline-surge benchmark hit it. So every expression is parsed here,
# under one lock, and once per process: the trees are only read afterwards.
_PARSE_LOCK = threading.Lock()


@lru_cache(maxsize=4096)
def parse_tree(expression: str, mode: str = "eval") -> ast.AST:
    with _PARSE_LOCK:
        return ast.parse(expression.strip(), mode=mode)


@lru_cache(maxsize=4096)
def _statement(expression: str) -> ast.stmt:
    """The expression as simpleeval parses it (the first statement of a module)."""
    tree = parse_tree(expression, "exec")
    if not tree.body:
        raise simpleeval.InvalidExpression("Sorry, cannot evaluate empty string")
    return tree.body[0]


@lru_cache(maxsize=2048)
def _referenced_names(expression: str) -> frozenset[str]:
    try:
        tree = parse_tree(expression)
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {exc.msg}") from exc
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            for target in ast.walk(node.target):
                if isinstance(target, ast.Name):
                    bound.add(target.id)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    unknown_calls = called - set(FUNCTIONS)
    if unknown_calls:
        raise ExpressionError(f"unknown function: {', '.join(sorted(unknown_calls))}")
    return frozenset(names - bound - called - BUILTIN_NAMES)


def row_attributes(expression: str) -> set[str]:
    """Attribute names read from roster rows (``r.entered_on`` gives ``entered_on``)."""
    tree = parse_tree(expression)
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def wrap(value: Any) -> Any:
    """A value as expressions see it: decimals as floats, mappings as attributes."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return SimpleNamespace(**{k: wrap(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [wrap(v) for v in value]
    return value


@dataclass
class Outcome:
    """The result of one evaluation: a value, or the names that were still empty."""

    value: Any = None
    missing: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def decided(self) -> bool:
        return not self.missing and not self.error and self.value is not None


@lru_cache(maxsize=4096)
def bare_name(expression: str) -> str | None:
    """The field an expression only reads (``space_name``), or None for anything more.

    Most columns of a summary table and many computed fields are a bare name: they are read
    straight from the values, without building an evaluator for each application.
    """
    try:
        body = parse_tree(expression).body
    except SyntaxError:
        return None
    if isinstance(body, ast.Name) and body.id not in BUILTIN_NAMES:
        return body.id
    return None


def evaluate(expression: str, values: Mapping[str, Any], *, today: date) -> Outcome:
    """Evaluate with the given field values; empty values make the outcome undecided."""
    names = referenced_names(expression)
    missing = sorted(n for n in names if values.get(n) in (None, ""))
    if missing:
        return Outcome(missing=missing)
    if (name := bare_name(expression)) is not None:
        return Outcome(value=wrap(values[name]))
    evaluator = simpleeval.EvalWithCompoundTypes(
        names={"today": today, **{k: wrap(v) for k, v in values.items() if k in names}},
        functions=FUNCTIONS,
    )
    try:
        return Outcome(
            value=evaluator.eval(expression.strip(), previously_parsed=_statement(expression))
        )
    except ZeroDivisionError:
        return Outcome(error="division by zero")
    except ArithmeticError as exc:
        # A number typed with hundreds of digits overflows a float: not decidable.
        return Outcome(error=str(exc))
    except (TypeError, ValueError, AttributeError) as exc:
        # A roster row with an empty cell, or a date typed as text: not decidable yet.
        return Outcome(error=str(exc))
    except simpleeval.InvalidExpression as exc:
        raise ExpressionError(str(exc)) from exc


def check_syntax(expression: str, known_names: Iterable[str]) -> None:
    """Raise ExpressionError if the expression is malformed or reads an unknown name."""
    names = referenced_names(expression)
    unknown = names - set(known_names)
    if unknown:
        raise ExpressionError(f"unknown name: {', '.join(sorted(unknown))}")
    try:
        _statement(expression)
    except (SyntaxError, simpleeval.InvalidExpression) as exc:
        raise ExpressionError(str(exc)) from exc
