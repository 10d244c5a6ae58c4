"""The `esp` command line: setup, demo, import/export, matching, jobs and reports."""

from __future__ import annotations

import typer

from execsponsor.cli import commands_data, commands_program, commands_report, commands_setup, commands_signals

app = typer.Typer(
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
