"""The value parsers every import uses: amounts, dates and quarters as real exports write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from execsponsor.exchange.importing.kinds.contacts import persona_from, seniority_from
from execsponsor.exchange.importing.kinds.users import role_from
from execsponsor.exchange.importing.values import (
    ValueProblem,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_quarter,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,250,000.00", "1250000.00"),
        ("1.250.000,00 €", "1250000.00"),
        ("1 250 000", "1250000"),
        ("12,5", "12.5"),
        ("EUR 980", "980"),
        ("(500)", "-500"),
        ("-42.10", "-42.10"),
        ("840000000.0", "840000000.0"),
    ],
)
def test_amounts_are_read_whatever_their_separators_and_currency(text, expected):
    assert parse_amount(text) == Decimal(expected)


def test_a_blank_amount_is_none_and_words_are_an_error():
    assert parse_amount("  ") is None
    with pytest.raises(ValueProblem, match="'twelve million' is not a number"):
        parse_amount("twelve million")


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2023-09-11T09:30:00.000+0000", None, dt.datetime(2023, 9, 11, 9, 30, tzinfo=dt.UTC)),
        ("2023-09-11T11:30:00+02:00", None, dt.datetime(2023, 9, 11, 9, 30, tzinfo=dt.UTC)),
        ("2023-09-11 09:30", None, dt.datetime(2023, 9, 11, 9, 30, tzinfo=dt.UTC)),
        ("14/08/2024 10:19", None, dt.datetime(2024, 8, 14, 10, 19, tzinfo=dt.UTC)),
        ("01/02/2024", "dmy", dt.datetime(2024, 2, 1, tzinfo=dt.UTC)),
        ("01/02/2024", "mdy", dt.datetime(2024, 1, 2, tzinfo=dt.UTC)),
        ("3/7/24 2:05 PM", "mdy", dt.datetime(2024, 3, 7, 14, 5, tzinfo=dt.UTC)),
        ("24.05.2024", None, dt.datetime(2024, 5, 24, tzinfo=dt.UTC)),
    ],
)
def test_datetimes_in_iso_and_the_common_local_formats(text, order, expected):
    assert parse_datetime(text, order=order) == expected


def test_an_ambiguous_date_without_an_order_is_refused():
    with pytest.raises(ValueProblem, match="ambiguous"):
        parse_date("01/02/2024")


def test_an_impossible_date_is_refused():
    with pytest.raises(ValueProblem, match="not a real date"):
        parse_date("2024-02-30")


@pytest.mark.parametrize("text", ["2026 Q1", "2026-Q1", "2026Q1", "Q1 2026", "q1-2026", "2026-01-01", "01/01/2026"])
def test_quarters_in_every_common_spelling(text):
    assert parse_quarter(text, order="dmy") == (2026, 1)


@pytest.mark.parametrize(
    ("title", "seniority", "persona"),
    [
        ("Chief Executive Officer", "c_level", "ceo_coo"),
        ("CFO", "c_level", "functional_vp"),
        ("CISO", "c_level", "functional_vp"),
        ("Senior Vice President, Operations", "vp", "functional_vp"),
        ("VP Customer Experience", "vp", "functional_vp"),
        ("President", "c_level", "ceo_coo"),
        ("Head of Data Platform", "director", "team_manager"),
        ("Director of Procurement", "director", "team_manager"),
        ("Engineering Manager", "manager", "team_manager"),
        ("Senior Analyst", "individual", "power_user"),
    ],
)
def test_titles_map_to_seniority_and_persona(title, seniority, persona):
    assert seniority_from(title) == seniority
    assert persona_from(title, seniority) == persona


def test_our_people_get_roles_from_their_titles():
    assert role_from("Account Executive") == "account_executive"
    assert role_from("Senior Customer Success Manager") == "csm"
    assert role_from("Solutions Engineer") == "viewer"
