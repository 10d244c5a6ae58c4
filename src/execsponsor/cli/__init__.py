"""The `esp` command line: setup, demo, import/export, matching, jobs and reports."""

from __future__ import annotations

import typer
from rich.console import Console
from typer.core import TyperGroup

from execsponsor.cli import commands_data, commands_program, commands_report, commands_setup, commands_signals
from execsponsor.common.errors import NotPermitted


class _RefusalsExitTwo(TyperGroup):
    """A command refused by the access rules (`--user` names someone without the right) says why on stderr and
    exits 2, like any other request that cannot be served; nothing was read or written."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NotPermitted as refusal:
            Console(stderr=True).print(f"[red]Refused: {refusal}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_RefusalsExitTwo,
    help="ExecSponsor: run an Executive Sponsor Program.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
commands_setup.register(app)
commands_data.register(app)
commands_program.register(app)
commands_signals.register(app)
commands_report.register(app)


def main() -> None:
    app()
