"""esp select | esp match: rank accounts for the program and propose sponsor assignments."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from execsponsor.cli.django_setup import setup_django

console = Console(stderr=True)
out = Console()


def operator(username: str | None):
    """The person the command acts as: --user (a program owner or admin), else the system user. A refusal is the
    rule's own message, exit 2 (the app's command group turns NotPermitted into that)."""
    from execsponsor.access.rules import require
    from execsponsor.cli.actor import actor

    user = actor(username)
    require(user, "execsponsor.run_program", to="rank accounts and propose sponsors")
    return user


def select(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
    limit: int = typer.Option(25, help="Rows to show in the table (JSON has them all)"),
    user: str | None = typer.Option(None, "--user", help="Act as this program owner"),
) -> None:
    """Rank the accounts for the program: a 0–100 score with its breakdown per criterion."""
    setup_django()
    from execsponsor.program.matching.selectors import selection_document

    document = selection_document(user=operator(user))
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    ranked = document["accounts"]
    table = Table(title=f"Selection: {len(ranked)} eligible, shortlist of {document['shortlist_size']}")
    for column in ("#", "account", "score", "in program"):
        table.add_column(column)
    for rank, row in enumerate(ranked[:limit], start=1):
        table.add_row(str(rank), row["name"], f"{row['score']:.1f}", "yes" if row["in_program"] else "")
    out.print(table)
    draw = document["draw"]
    if draw:
        drawn = [m["name"] for m in draw["band"] if m["drawn_in"]]
        out.print(f"Boundary draw (seed {draw['seed']}): {len(draw['band'])} accounts within {draw['tolerance']:g} "
                  f"points of the cut-off {draw['cut_off']:.2f}; drawn in: {', '.join(drawn)}.")  # fmt: skip


def match(
    dry_run: bool = typer.Option(False, "--dry-run", help="Propose only; keep no run"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout"),
    user: str | None = typer.Option(None, "--user", help="Act as this program owner"),
) -> None:
    """Propose sponsor assignments (optimal for the model, every pair explained). Approve in the workbench."""
    setup_django()
    from execsponsor.program.matching import services as matching_services
    from execsponsor.program.matching.inputs import MatchingOptions

    by = operator(user)
    from execsponsor.users.models import Executive

    if not Executive.objects.filter(is_active=True).exists():
        console.print("[red]There are no executives to match: add them on the Executives page or import them.[/red]")
        raise typer.Exit(1)
    if dry_run:
        document = matching_services.matching_run_preview(by=by, options=MatchingOptions())
    else:
        run = matching_services.matching_run_create(by=by, options=MatchingOptions(), label="from the command line")
        document = {**run.result, "run": run.pk}
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        _print_match(document)
    if document["status"] != "optimal":
        raise typer.Exit(1)


def _print_match(document: dict) -> None:
    if document["status"] != "optimal":
        console.print("[red]No assignment satisfies every hard constraint:[/red]")
        for reason in document["infeasible_because"]:
            console.print(f"  - {reason}")
        return
    table = Table(title=f"Proposed sponsors (objective {document['objective']:.1f})")
    for column in ("account", "executive", "fit", "change", "why"):
        table.add_column(column)
    for pair in document["pairs"]:
        table.add_row(
            pair["account_name"],
            pair["executive_name"],
            f"{pair['score']:.1f}",
            pair["change"],
            "; ".join(pair["reasons"]),
        )
    out.print(table)
    for item in document.get("sponsorships", []):
        if item["change"] == "reassign":
            move = f"{item['executive_name']} → {item['to_executive_name']}"
            out.print(f"reassign: {item['account_name']}: {move}: {item['reason']}")
        elif item["change"] == "end":
            out.print(f"end: {item['account_name']}: {item['executive_name']}: {item['reason']}")
    for item in document.get("below_minimum", []):
        out.print(f"below minimum: {item['executive_name']} {item['load']} of {item['capacity_min']}: {item['reason']}")
    for item in document["unassigned"]:
        out.print(f"unassigned: {item['account_name']}: {item['reason']}")
    if "run" in document:
        out.print(f"Saved as draft run #{document['run']}: review and approve it in the matching workbench.")


def register(app: typer.Typer) -> None:
    app.command()(select)
    app.command()(match)
