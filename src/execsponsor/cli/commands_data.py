"""esp demo | import | export."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from execsponsor.cli import commands_calendar, commands_demo, commands_import, commands_users

    commands_demo.register(app)
    commands_import.register(app)
    commands_calendar.register(commands_import.import_app)
    commands_users.register(app)
