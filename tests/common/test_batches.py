"""The batch filters: a dense run of ids becomes a range, anything else stays a list, and both find the same rows."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

from execsponsor.common.batches import among, among_sql, collector_paused, span_of
from execsponsor.customers.models import Account


def test_a_dense_run_of_ids_is_a_span_and_a_gap_or_a_repeat_is_not():
    assert span_of(list(range(10, 110))) == (10, 109)
    assert span_of(list(range(109, 9, -1))) == (10, 109)  # order does not matter
    assert span_of([*range(10, 60), *range(61, 112)]) is None  # one id missing
    assert span_of([*range(10, 109), 50]) is None  # one repeated, as many ids as the span holds
    assert span_of(list(range(10))) is None  # few: a list is as cheap


def test_the_sql_is_a_range_for_a_span_and_a_list_otherwise():
    assert among_sql("a.id", range(1, 101)) == ("a.id BETWEEN %s AND %s", [1, 100])
    assert among_sql("a.id", [3, 1, 2]) == ("a.id IN (%s, %s, %s)", [3, 1, 2])


@pytest.mark.django_db
def test_a_range_and_a_list_find_exactly_the_same_rows():
    Account.objects.bulk_create([Account(name=f"Batch {i:03d}") for i in range(90)])
    ids = sorted(Account.objects.values_list("pk", flat=True))
    dense = ids[5:85]
    assert span_of(dense) is not None
    assert set(Account.objects.filter(among("pk", dense)).values_list("pk", flat=True)) == set(dense)
    gappy = [i for i in ids if i != ids[40]]
    assert set(Account.objects.filter(among("pk", gappy)).values_list("pk", flat=True)) == set(gappy)
    where, params = among_sql("id", dense)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Account._meta.db_table} WHERE {where}", params)  # noqa: S608
        assert sorted(r[0] for r in cursor.fetchall()) == dense


def test_the_collector_is_paused_inside_and_restored_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
