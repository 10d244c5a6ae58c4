"""Who a command acts as: the user named with --user, else the system user. Every service gets a real actor,
and the history rows a command writes name it."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console(stderr=True)


def actor(username: str | None):
    """The active user called `username`, or the system user when none is named. Exit 2 for an unknown name."""
    from execsponsor.users.models import User
    from execsponsor.users.services import system_user

    if not username:
        return system_user()
    user = User.objects.filter(is_active=True, username=username).first()
    if user is None:
        console.print(f"[red]No active user called {username!r}.[/red]")
        raise typer.Exit(2)
    return user
