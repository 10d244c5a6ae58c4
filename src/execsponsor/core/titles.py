"""What a job title says about a person's function, so "match titles" can pair our CFO with their CFO."""

from __future__ import annotations

import re

# Checked in order; the first pattern that matches a title wins.
FUNCTION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("ceo", r"\b(ceo|chief executive|(?<!vice )president|managing director|founder)\b"),
    ("cfo", r"\b(cfo|chief financial|finance|controller|treasurer)\b"),
    ("ciso", r"\b(ciso|chief (information )?security|security)\b"),
    ("cio", r"\b(cio|chief information|it operations|information technology|\bit\b)\b"),
    ("cto", r"\b(cto|chief technology|engineering|architect|technical|data platform)\b"),
    ("coo", r"\b(coo|chief operating|operations|logistics|supply chain)\b"),
    ("cro", r"\b(cro|chief revenue|sales|commercial)\b"),
    ("cmo", r"\b(cmo|chief marketing|marketing)\b"),
    ("cpo", r"\b(cpo|chief product|product)\b"),
    ("cco", r"\b(cco|chief customer|customer experience|customer success)\b"),
    ("chro", r"\b(chro|chief people|human resources|\bhr\b|people)\b"),
    ("cdo", r"\b(cdo|chief digital|digital)\b"),
)
_COMPILED = tuple((code, re.compile(pattern, re.IGNORECASE)) for code, pattern in FUNCTION_PATTERNS)


def function_of_title(title: str) -> str | None:
    """'Chief Financial Officer' -> 'cfo'; 'VP, IT Operations' -> 'cio'; None when the title says nothing."""
    for code, pattern in _COMPILED:
        if pattern.search(title or ""):
            return code
    return None
