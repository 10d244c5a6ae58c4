"""The quarterly program review: quarters, who may download it, and what the PDF and the CSV say for a
program built by hand (a stored impact analysis, an approved matching run, a rebalance, review decisions)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.common.errors import InvalidInput
from execsponsor.insights.impact import impact_analysis_store
from execsponsor.insights.quarterly import Quarter, quarterly_review, review_quarters
from execsponsor.program.models import (
    MatchingRun,
    ProgramReview,
    RebalanceBatch,
    RebalanceProposal,
    ReviewDecision,
    RunStatus,
)
from execsponsor.users.services import system_user
from tests.factories import AccountFactory, ExecutiveFactory
from tests.pdf_support import page_png, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

Q3 = Quarter(2026, 3)


def test_quarters_parse_and_know_their_days():
    assert Quarter.parse("2026Q3") == Quarter.parse(" 2026 q3 ") == Quarter.parse("2026-Q3") == Q3
    assert (Q3.first_day, Q3.last_day) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert Quarter(2026, 4).last_day == dt.date(2026, 12, 31)
    assert Quarter(2024, 1).last_day == dt.date(2024, 3, 31)
    assert Quarter.last_complete(dt.date(2026, 12, 2)) == Q3
    assert Quarter.last_complete(dt.date(2027, 1, 1)) == Quarter(2026, 4)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)
    assert [q.slug for q in review_quarters(dt.date(2026, 12, 2), 3)] == ["2026Q4", "2026Q3", "2026Q2"]
    for bad in ("2026Q5", "Q3 2026", "", "2026"):
        with pytest.raises(InvalidInput):
            Quarter.parse(bad)


IMPACT = {
    "outcome": "net revenue retention, points",
    "method": "Callaway–Sant'Anna (test)",
    "summary": "Sponsorship changed net revenue retention by +4.2 points at 30 accounts.",
    "estimate": 4.2,
    "ci_low": 1.1,
    "ci_high": 7.3,
    "naive_estimate": 9.9,
    "placebo": {"estimate": 0.2, "ci_low": -1.0, "ci_high": 1.4},
    "event_study": [
        {"relative_quarter": -1, "estimate": 0.1, "ci_low": -0.5, "ci_high": 0.7},
        {"relative_quarter": 0, "estimate": 4.0, "ci_low": 2.0, "ci_high": 6.0},
    ],
    "treated": 30,
    "controls": 120,
    "cohorts": [{"start_quarter": "2026 Q1", "accounts": 30}],
    "max_smd_after": 0.04,
    "assumptions": ["Sponsored accounts were chosen; this estimate assumes parallel trends."],
    "cannot_prove": ["It cannot rule out a cause that started with the sponsorship."],
}


@pytest.fixture
def program(cast):
    """A Q3 with one approved matching run, one applied rebalance and one review with two decisions."""
    at = timezone.make_aware(dt.datetime(2026, 8, 14, 10, 0))
    impact_analysis_store(IMPACT, by=system_user(), today=dt.date(2026, 9, 30))
    MatchingRun.objects.create(
        created_by=cast.owner, approved_by=cast.owner, approved_at=at, status=RunStatus.APPROVED,
        label="Autumn", changes={"add": 5, "keep": 7, "end": 1},
    )  # fmt: skip
    tokyo = AccountFactory(name="山田電機株式会社")
    aarhus = AccountFactory(name="Ærø Søfart A/S")
    batch = RebalanceBatch.objects.create(
        quarter_label="2026 Q3", status="applied", applied_by=cast.owner, applied_at=at
    )
    RebalanceProposal.objects.create(
        batch=batch, action="reassign", account=tokyo, to_executive=ExecutiveFactory(user__first_name="João"),
        reason="Japanese-speaking sponsor",
    )  # fmt: skip
    RebalanceProposal.objects.create(batch=batch, action="remove", account=aarhus, reason="Graduated", accepted=False)
    review = ProgramReview.objects.create(held_on=dt.date(2026, 9, 2), created_by=cast.owner)
    ReviewDecision.objects.create(
        review=review, account=aarhus, decision='=HYPERLINK("x") call the CFO', owner=cast.owner
    )
    ReviewDecision.objects.create(review=review, decision="Brief the new CTO", due_on=dt.date(2026, 9, 30))
    # Outside the quarter: must not appear.
    outside = ProgramReview.objects.create(held_on=dt.date(2026, 10, 2))
    ReviewDecision.objects.create(review=outside, decision="October decision")
    return cast


@pytest.mark.parametrize("name", ["owner", "viewer", "admin"])
def test_the_program_roles_download_it(program, client, name):
    client.force_login(program.user(name))
    pdf = client.get("/program/review/quarterly.pdf?quarter=2026Q3")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="program-review-2026Q3.pdf"' in pdf["Content-Disposition"]
    assert client.get("/program/review/quarterly.csv?quarter=2026Q3").status_code == 200


@pytest.mark.parametrize("name", ["sponsor", "ae", "csm"])
def test_account_people_may_not(program, client, name):
    client.force_login(program.user(name))
    assert client.get("/program/review/quarterly.pdf").status_code == 403
    assert client.get("/program/review/quarterly.csv").status_code == 403


@pytest.mark.parametrize("quarter", ["2026Q9", "soon", "2999Q1"])
def test_a_bad_or_future_quarter_is_a_clear_400(program, client, quarter):
    client.force_login(program.owner)
    response = client.get(f"/program/review/quarterly.pdf?quarter={quarter}")
    assert response.status_code == 400
    assert "quarter" in response.content.decode() or "not started" in response.content.decode()


def test_the_pdf_holds_the_impact_with_its_caveats_the_rebalance_and_the_decisions(program, client, tmp_path):
    client.force_login(program.owner)
    pdf = client.get("/program/review/quarterly.pdf?quarter=2026Q3").content
    text = " ".join(pdf_text(pdf).split())
    assert "quarterly review, 2026 Q3" in text
    assert IMPACT["summary"] in text
    assert "4.20" in text and "1.10 to 7.30" in text and "9.90" in text  # estimate, interval, naive
    assert "parallel trends" in text and "cannot rule out" in text
    assert "山田電機株式会社" in text and "Ærø Søfart A/S" in text and "João" in text
    assert "Japanese-speaking sponsor" in text
    assert "Run #" in text and "5 add, 7 keep, 1 end" in text
    assert "Brief the new CTO" in text and "October decision" not in text
    assert pdf_pages(pdf) >= 1
    assert page_png(pdf, tmp_path / "page1.png").stat().st_size > 10_000


def test_the_csv_holds_the_same_figures_and_no_formula(program, client):
    client.force_login(program.owner)
    body = client.get("/program/review/quarterly.csv?quarter=2026Q3").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    impact = {r["measure"]: r["value"] for r in rows if r["section"] == "impact" and r["subject"] != "placebo"}
    assert impact["estimate"] == "4.2" and impact["ci_low"] == "1.1" and impact["naive_estimate"] == "9.9"
    decisions = [r["value"] for r in rows if r["section"] == "decision"]
    assert any("Brief the new CTO" in d for d in decisions)
    assert all(not d.startswith(("=", "+", "-", "@")) for d in decisions)
    assert any(d.startswith("'=HYPERLINK") or "HYPERLINK" in d for d in decisions)


def test_an_empty_program_still_renders_and_says_so(cast):
    review = quarterly_review(by=cast.owner, quarter=Q3)
    from execsponsor.insights.quarterly import quarterly_pdf

    text = " ".join(pdf_text(quarterly_pdf(review)).split())
    assert "has not run yet" in text
    assert "No rebalance was proposed" in text and "No decisions were recorded in 2026 Q3" in text


def test_the_cli_writes_the_pdf_and_the_csv(program, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    out, table = tmp_path / "review.pdf", tmp_path / "review.csv"
    result = CliRunner().invoke(
        app, ["report", "quarterly", "--out", str(out), "--csv", str(table), "--quarter", "2026Q3", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["quarter"] == "2026 Q3" and document["bytes"] == out.stat().st_size
    assert "Brief the new CTO" in " ".join(pdf_text(out.read_bytes()).split())
    assert "impact" in table.read_text()


def test_the_cli_refuses_a_user_who_may_not_see_the_program(program, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    result = CliRunner().invoke(
        app, ["report", "quarterly", "--out", str(tmp_path / "x.pdf"), "--user", program.ae.username]
    )
    assert result.exit_code == 2
    assert not Path(tmp_path / "x.pdf").exists()


def _card(rank: int) -> dict:
    return {"rank": rank, "executive": f"Executive {rank:04d}", "accounts": 3, "cadence_adherence": 90.0,
            "counting_per_sponsorship": 2, "executive_access": 1, "objectives_moving": 0, "earlier_access": 0,
            "unexpected_business": 0, "nrr": None, "enablement": ""}  # fmt: skip


def test_a_long_ranking_prints_the_best_25_and_the_last_10_and_says_where_the_rest_are():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from execsponsor.insights.quarterly import pdf_scorecards

    cards = [_card(rank) for rank in range(1, 2909)]  # 2,908 executives, as at 100,000 accounts
    top, left_out, bottom = pdf_scorecards(cards)
    assert [c["rank"] for c in top] == list(range(1, 26))
    assert [c["rank"] for c in bottom] == list(range(2899, 2909))
    assert left_out == 2908 - 35
    html = render_to_string(
        "insights/_quarterly_measures_pdf.html",
        {
            "review": SimpleNamespace(measures=[], scorecards=cards),
            "cards_top": top,
            "cards_left_out": left_out,
            "cards_bottom": bottom,
        },  # fmt: skip
    )
    assert "Executive 0025" in html and "Executive 2899" in html and "Executive 2908" in html
    assert "Executive 0026" not in html and "Executive 2898" not in html
    assert "2,873 more executives, ranked 26 to 2898" in html and "CSV" in html


def test_a_short_ranking_prints_every_executive():
    from execsponsor.insights.quarterly import pdf_scorecards

    cards = [_card(rank) for rank in range(1, 36)]
    assert pdf_scorecards(cards) == (cards, 0, [])
