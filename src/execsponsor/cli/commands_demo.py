"""esp demo: generate the demo company and serve it."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
