"""esp report impact: the program's impact on net revenue retention against comparable accounts."""

from __future__ import annotations

import datetime as dt
import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from execsponsor.cli.django_setup import setup_django

console = Console(stderr=True)
out = Console()
report_app = typer.Typer(help="Reports: the impact analysis and the quarterly program review.", no_args_is_help=True)


@report_app.command()
def impact(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
    control_group: str = typer.Option(
        "not_yet_treated", "--controls", help="not_yet_treated (default) or never_treated"
    ),
    bootstrap: int = typer.Option(499, help="Bootstrap draws for the intervals (0: analytical)"),
    save: bool = typer.Option(False, "--save", help="Keep the result for the impact page"),
    as_of: str | None = typer.Option(None, "--as-of", help="Analyse as on this date (YYYY-MM-DD; default today)"),
    user: str | None = typer.Option(None, "--user", help="Act as this user (default: the system user)"),
) -> None:
    """Sponsored accounts against comparable unsponsored ones: the effect on NRR, in points, with its interval."""
    if control_group not in ("not_yet_treated", "never_treated"):
        console.print(f"[red]--controls must be not_yet_treated or never_treated, not {control_group!r}.[/red]")
        raise typer.Exit(2)
    if bootstrap < 0:
        console.print("[red]--bootstrap must be 0 or more.[/red]")
        raise typer.Exit(2)
    today = None
    if as_of:
        try:
            today = dt.date.fromisoformat(as_of)
        except ValueError:
            console.print(f"[red]--as-of must be a date like 2026-11-23, not {as_of!r}.[/red]")
            raise typer.Exit(2) from None
    setup_django()
    from execsponsor.access.rules import require
    from execsponsor.cli.actor import actor
    from execsponsor.core.impact import ImpactNotEstimable, ImpactOptions
    from execsponsor.insights.impact import analyse, impact_analysis_store
    from execsponsor.insights.impact_experiment import experiment_document

    by = actor(user)
    require(by, "execsponsor.view_program_results", to="see the program's impact analysis")
    if save:
        require(by, "execsponsor.run_program", to="keep the program's impact analysis")

    try:
        result = analyse(today=today, options=ImpactOptions(control_group=control_group, bootstrap=bootstrap))  # type: ignore[arg-type]
    except ImpactNotEstimable as error:
        if as_json:
            document = {"error": str(error), "experiment": experiment_document(today=today)}
            sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        console.print(f"[red]The impact analysis cannot run: {error}.[/red]")
        raise typer.Exit(1) from None
    document = {**result.as_dict(), "experiment": experiment_document(today=today)}
    if save:
        impact_analysis_store(document, by=by, today=today)
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    _print(document)


def _print(document: dict) -> None:
    out.print(f"[bold]{document['summary']}[/bold]")
    table = Table(title="Impact on net revenue retention (points)")
    for column in ("", "estimate", "95% interval"):
        table.add_column(column)
    table.add_row("Sponsorship (Callaway–Sant'Anna)", f"{document['estimate']:+.2f}",
                  f"{document['ci_low']:+.2f} to {document['ci_high']:+.2f}")  # fmt: skip
    placebo = document["placebo"]
    if placebo["estimate"] is not None:
        table.add_row("Placebo: start 4 quarters early", f"{placebo['estimate']:+.2f}",
                      f"{placebo['ci_low']:+.2f} to {placebo['ci_high']:+.2f}")  # fmt: skip
    table.add_row("Naive: difference of mean NRR", f"{document['naive_estimate']:+.2f}", "")
    out.print(table)
    events = Table(title="Event study (revenue index points, by quarter from the start)")
    for column in ("quarter", "estimate", "95% interval"):
        events.add_column(column)
    for row in document["event_study"]:
        events.add_row(f"{row['relative_quarter']:+d}", f"{row['estimate']:+.2f}",
                       f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}")  # fmt: skip
    out.print(events)
    cohorts = ", ".join(f"{c['accounts']} in {c['start_quarter']}" for c in document["cohorts"])
    out.print(f"Sponsored {document['treated']} ({cohorts}); comparison accounts {document['controls']}; "
              f"largest standardised difference after weighting {document['max_smd_after']:.3f}.")  # fmt: skip
    for line in (*document["assumptions"], *document["cannot_prove"]):
        out.print(f"- {line}")
    _print_experiment(document["experiment"])


def _print_experiment(experiment: dict | None) -> None:
    if experiment is None:
        out.print("Experiment: no randomised cohort yet (turn on the boundary draw in selection; docs/impact.md).")
        return
    if experiment["estimate"] is None:
        out.print(f"Experiment: {experiment['reason']}.")
        return
    low, high = experiment["ci_low"], experiment["ci_high"]
    interval = "no 95% bound (too few accounts)" if low is None or high is None else f"{low:+.2f} to {high:+.2f}"
    out.print(f"[bold]Experiment (randomised boundary cohort):[/bold] {experiment['estimate']:+.2f} points, "
              f"95% interval {interval}, p = {experiment['p_value']:.3f}; {experiment['drawn_in']} drawn in, "
              f"{experiment['drawn_out']} drawn out.")  # fmt: skip
    out.print(f"- {experiment['estimates_what']}")
    for line in experiment["limits"]:
        out.print(f"- {line}")


@report_app.command()
def quarterly(
    out_file: str = typer.Option(..., "--out", help="Write the PDF here (FILE.pdf)"),
    csv_file: str | None = typer.Option(None, "--csv", help="Also write the figures as CSV here"),
    quarter: str | None = typer.Option(None, "--quarter", help="e.g. 2026Q3 (default: the last complete quarter)"),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as one JSON document on stdout"),
    user: str | None = typer.Option(None, "--user", help="Act as this user (default: the system user)"),
) -> None:
    """The quarterly program review as a PDF (and CSV): measures, scorecards, impact, rebalance, decisions."""
    import time
    from pathlib import Path

    setup_django()
    from execsponsor.cli.actor import actor
    from execsponsor.common.errors import DomainError
    from execsponsor.insights.quarterly import Quarter, quarterly_csv, quarterly_pdf, quarterly_review

    by = actor(user)
    started = time.perf_counter()
    try:
        review = quarterly_review(by=by, quarter=Quarter.parse(quarter) if quarter else None)
    except DomainError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    pdf = quarterly_pdf(review)
    target = Path(out_file)
    try:
        target.write_bytes(pdf)
        if csv_file:
            Path(csv_file).write_text(quarterly_csv(review), encoding="utf-8", newline="")
    except OSError as error:
        console.print(f"[red]Could not write {error.filename}: {error.strerror}.[/red]")
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - started
    if as_json:
        document = {
            "quarter": review.quarter.label,
            "pdf": str(target),
            "csv": csv_file,
            "bytes": len(pdf),
            "seconds": round(seconds, 2),
        }
        sys.stdout.write(json.dumps(document) + "\n")
        return
    console.print(f"Wrote the {review.quarter.label} review to {target} ({len(pdf) // 1024} KB, {seconds:.1f} s).")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
