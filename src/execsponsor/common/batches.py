"""Filters for work done in batches of accounts (or any rows numbered by an integer key)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Q

DENSE_FROM = 64  # below this many ids a plain IN list is as cheap


def span_of(ids: list[int]) -> tuple[int, int] | None:
    """(least, greatest) when the ids are every integer between the two, each once."""
    if len(ids) <= DENSE_FROM:
        return None
    low, high = min(ids), max(ids)
    return (low, high) if high - low + 1 == len(ids) == len(set(ids)) else None


def among(field: str, ids: Iterable[int]) -> Q:
    """`field` is one of `ids`: a range when the ids are every integer from the least to the greatest (a batch
    of a nightly job over accounts, which are numbered densely), which the database answers from an index
    without a list of thousands of parameters; otherwise IN. Either way exactly the same rows."""
    ids = list(ids)
    span = span_of(ids)
    if span is not None:
        return Q(**{f"{field}__gte": span[0], f"{field}__lte": span[1]})
    return Q(**{f"{field}__in": ids})


def among_sql(column: str, ids: Iterable[int]) -> tuple[str, list[int]]:
    """The condition of `among` for a hand-written query, with its parameters (%s placeholders)."""
    ids = list(ids)
    span = span_of(ids)
    if span is not None:
        return f"{column} BETWEEN %s AND %s", [span[0], span[1]]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the length of a batch job. Such a job makes and drops millions of small
    objects that hold no cycles (rows, tuples, scores); reference counting frees them, and the collector's
    repeated passes over them cost a seventh of the nightly recompute."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
