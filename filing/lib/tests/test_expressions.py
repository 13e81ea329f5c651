"""Rule expressions: safe evaluation, date arithmetic at its edges, and undecidable rules."""

from datetime import date
from decimal import Decimal

import pytest

from filing.lib.expressions import (
    ExpressionError,
    add_years,
    check_syntax,
    evaluate,
    months_between,
    referenced_names,
)

TODAY = date(2021, 5, 14)


def test_a_year_of_operation_is_reached_on_the_anniversary_and_not_a_day_before():
    rule = "add_years(established_on, 1) <= today"
    assert evaluate(rule, {"established_on": date(2020, 5, 14)}, today=TODAY).value is True
    assert evaluate(rule, {"established_on": date(2020, 5, 15)}, today=TODAY).value is False


def test_the_twenty_ninth_of_february_rolls_to_the_end_of_february():
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)


def test_months_between_counts_a_month_once_its_day_is_reached():
    assert months_between(date(2019, 5, 14), TODAY) == 24
    assert months_between(date(2019, 5, 15), TODAY) == 23


def test_an_empty_value_leaves_the_rule_undecided_with_the_missing_name():
    outcome = evaluate("total_area >= 500", {"total_area": None}, today=TODAY)
    assert not outcome.decided
    assert outcome.missing == ["total_area"]


def test_a_zero_denominator_is_undecided_not_a_crash():
    outcome = evaluate(
        "ratio(public_area, total_area) >= 0.75", {"public_area": 1, "total_area": 0}, today=TODAY
    )
    assert not outcome.decided


def test_a_number_too_large_for_a_float_is_undecided_not_a_crash():
    huge = 10**400  # an integer field typed with hundreds of digits
    outcome = evaluate("percent(staff, total) >= 50", {"staff": huge, "total": 3}, today=TODAY)
    assert not outcome.decided
    assert "too large" in outcome.error


def test_per_row_conditions_read_roster_rows():
    rows = [{"entered_on": date(2019, 6, 1)}, {"entered_on": date(2019, 4, 1)}]
    rule = "all(months_between(c.entered_on, today) <= 24 for c in companies)"
    assert evaluate(rule, {"companies": rows[:1]}, today=TODAY).value is True
    assert evaluate(rule, {"companies": rows}, today=TODAY).value is False


def test_comprehension_variables_are_not_field_names():
    assert referenced_names("all(c.x > 1 for c in companies)") == {"companies"}


def test_unknown_names_and_functions_are_refused_before_loading():
    with pytest.raises(ExpressionError, match="unknown name: totl_area"):
        check_syntax("totl_area >= 500", {"total_area"})
    with pytest.raises(ExpressionError, match="unknown function"):
        check_syntax("__import__('os')", set())


def test_attribute_tricks_are_refused_at_evaluation():
    with pytest.raises(ExpressionError):
        evaluate("x.__class__", {"x": 1}, today=TODAY)


def test_each_expression_is_parsed_once_per_process():
    # Parsing is serialised and cached (python/cpython#106905 breaks parallel parsing on 3.11).
    from filing.lib.expressions import parse_tree

    assert parse_tree("a + b") is parse_tree("a + b")
    assert referenced_names("a + b") == {"a", "b"}


def test_many_threads_evaluate_at_once():
    from concurrent.futures import ThreadPoolExecutor

    def work(n: int) -> object:
        expression = " + ".join(f"x{i}" for i in range(n % 40 + 1))
        values = {f"x{i}": 1 for i in range(n % 40 + 1)}
        return evaluate(expression, values, today=date(2020, 7, 1)).value

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(400)))
    assert results == [n % 40 + 1 for n in range(400)]


def test_a_bare_name_reads_the_value_as_an_expression_would():
    values = {"area": Decimal("12.5"), "name": "甲空间", "teams": [{"n": 1}], "empty": ""}
    assert evaluate("area", values, today=TODAY).value == 12.5
    assert evaluate(" name ", values, today=TODAY).value == "甲空间"
    assert evaluate("teams", values, today=TODAY).value[0].n == 1
    assert evaluate("empty", values, today=TODAY).missing == ["empty"]
    assert evaluate("today", values, today=TODAY).value == TODAY
    assert evaluate("name + '1'", values, today=TODAY).value == "甲空间1"
