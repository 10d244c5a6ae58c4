"""Numbers from query strings, read so that nothing a browser sends can become a 500."""

from __future__ import annotations

from collections.abc import Mapping

from execsponsor.schemas import MAX_ID


def int_param(params: Mapping[str, str], name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The parameter as an int inside [minimum, maximum], else None (absent, not a number, or out of range)."""
    raw = params.get(name, "")
    if not raw or len(raw) > 20 or not raw.strip().lstrip("-").isdigit():
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None
