"""esp user create | esp token create: our people and their API tokens."""

from __future__ import annotations

import typer
from rich.console import Console

from execsponsor.cli.django_setup import setup_django

console = Console(stderr=True)

user_app = typer.Typer(help="Our people: users with roles.", no_args_is_help=True)
token_app = typer.Typer(help="Per-user API tokens for the JSON API.", no_args_is_help=True)


@user_app.command("create")
def user_create(
    username: str = typer.Argument(..., help="Sign-in name"),
    role: str = typer.Option(
        ..., help="admin | program_owner | executive | account_executive | csm | viewer", show_default=False
    ),
    email: str = typer.Option("", help="Email address"),
    first_name: str = typer.Option("", help="First name"),
    last_name: str = typer.Option("", help="Last name"),
    password: bool = typer.Option(False, "--password", help="Prompt for a password (else the user cannot sign in)"),
) -> None:
    """Add one of our people."""
    setup_django()
    from execsponsor.common.errors import DomainError
    from execsponsor.users import services

    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    try:
        user = services.user_create(
            username=username,
            role=role,
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=secret,
            by=services.system_user(),
        )
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None
    console.print(f"Created {user.username} ({user.get_role_display()}), id {user.pk}.")


@token_app.command("create")
def token_create(
    username: str = typer.Argument(..., help="Whose token: it acts with this user's access"),
    name: str = typer.Option(..., "--name", help="What will use it, e.g. 'Nightly CRM sync'", show_default=False),
) -> None:
    """Issue an API token and print it on stdout, once (only its hash is stored)."""
    setup_django()
    from execsponsor.common.errors import DomainError
    from execsponsor.users import services
    from execsponsor.users.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]There is no user {username!r}.[/red]")
        raise typer.Exit(2)
    try:
        token, raw = services.api_token_create(user=user, name=name, by=services.system_user())
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None
    console.print(f"Token “{token.name}” for {user.username}. Copy it now; it is not shown again:")
    typer.echo(raw)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
