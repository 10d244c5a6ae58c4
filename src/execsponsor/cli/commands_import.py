"""esp import, esp export: CSV in and out."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
