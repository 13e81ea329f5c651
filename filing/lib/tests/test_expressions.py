"""Rule expressions: safe evaluation, date arithmetic at its edges, and undecidable rules."""

from datetime import date

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
