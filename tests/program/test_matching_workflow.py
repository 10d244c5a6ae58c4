"""Selection and matching through the services and the CLI: propose, explain, approve."""

import json

import pytest
from typer.testing import CliRunner

from execsponsor.cli import app
from execsponsor.common.errors import NotPermitted
from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.inputs import MatchingOptions, matching_settings
from execsponsor.program.models import MatchingRun, RunStatus, Sponsorship, SponsorshipStatus

pytestmark = pytest.mark.django_db


def test_a_dry_run_proposes_explained_pairs_and_writes_nothing(company):
    result = matching_services.matching_run_preview(by=company["owner"], options=MatchingOptions())
    pairs = {p["account_name"]: p["executive_name"] for p in result["pairs"]}
    assert pairs["Blue Harbor Bank"] == "Dana Whitfield"
    assert pairs["Sakura Denki K.K."] == "Kenji Watanabe"
    bank_pair = next(p for p in result["pairs"] if p["account_name"] == "Blue Harbor Bank")
    assert "CFO to CFO: matches the customer counterpart (+20.0)" in bank_pair["reasons"]
    assert sum(bank_pair["points"].values()) == pytest.approx(bank_pair["score"], abs=0.01)
    unassigned = {u["account_name"]: u["reason"] for u in result["unassigned"]}
    assert unassigned["Nordlicht AG"] == "no eligible executive: no eligible executive speaks German"
    assert "Corner Shop" not in pairs  # not eligible: SMB
    assert Sponsorship.objects.count() == 0
    assert MatchingRun.objects.count() == 0


def test_approval_creates_approved_sponsorships_with_the_introducer(company):
    run = matching_services.matching_run_create(by=company["owner"], options=MatchingOptions())
    assert Sponsorship.objects.count() == 0
    created = matching_services.matching_run_approve(run=run, by=company["owner"])
    assert {s.status for s in created} == {SponsorshipStatus.APPROVED}
    bank = Sponsorship.objects.get(account=company["bank"])
    assert bank.executive == company["cfo"]
    assert bank.approved_by == company["owner"]
    assert bank.introducer == company["ceo"].user  # the most senior person above the sponsor
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED


def test_a_locked_pair_is_kept_and_a_capacity_what_if_changes_the_result(company):
    options = MatchingOptions(locked=[(company["bank"].pk, company["cto"].pk)])
    result = matching_services.matching_run_preview(by=company["owner"], options=options)
    pairs = {p["account_name"]: p["executive_name"] for p in result["pairs"]}
    assert pairs["Blue Harbor Bank"] == "Kenji Watanabe"


def test_an_impossible_minimum_bends_and_names_who_is_short(company):
    options = MatchingOptions(capacity={company["cfo"].pk: (5, 6)})
    result = matching_services.matching_run_preview(by=company["owner"], options=options)
    assert result["status"] == "optimal"
    short = {b["executive_name"]: b for b in result["below_minimum"]}
    assert short["Dana Whitfield"]["capacity_min"] == 5 and short["Dana Whitfield"]["load"] < 5
    assert "pass the hard rules for them" in short["Dana Whitfield"]["reason"]


def test_with_the_hard_minimum_setting_an_impossible_minimum_is_infeasible(company):
    settings = matching_settings()
    settings.hard_minimum = True
    matching_services.matching_settings_save(by=company["owner"], settings=settings, expected_version=None)
    options = MatchingOptions(capacity={company["cfo"].pk: (5, 6)})
    result = matching_services.matching_run_preview(by=company["owner"], options=options)
    assert result["status"] == "infeasible"
    assert any("Dana Whitfield" in reason for reason in result["infeasible_because"])


def test_only_the_program_owner_runs_matching(company, cast):
    with pytest.raises(NotPermitted):
        matching_services.matching_run_preview(by=cast.ae, options=MatchingOptions())


def test_esp_match_dry_run_prints_the_contract_json(company):
    result = CliRunner().invoke(app, ["match", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"status", "objective", "pairs", "unassigned", "executives"} <= set(document)
    assert {"account", "executive", "score", "reasons"} <= set(document["pairs"][0])
    assert {"executive", "capacity_min", "capacity_max", "load"} <= set(document["executives"][0])


def test_esp_select_ranks_eligible_accounts_with_breakdown(company):
    result = CliRunner().invoke(app, ["select", "--json"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)["accounts"]
    assert [r["name"] for r in ranked][:1] == ["Blue Harbor Bank"]
    assert set(ranked[0]["breakdown"]) >= {"revenue", "strategic_value"}


def test_shared_style_notes_count_towards_the_fit(company):
    def bank_fit():
        result = matching_services.matching_run_preview(by=company["owner"], options=MatchingOptions())
        return next(p["score"] for p in result["pairs"] if p["account_name"] == "Blue Harbor Bank")

    before = bank_fit()
    company["cfo"].working_style = "Data-driven, formal"
    company["cfo"].save()
    company["bank"].culture_notes = "formal, consensus"
    company["bank"].save()
    # Style weighs 5 by default; one shared tag out of three distinct ones is a third of it.
    assert bank_fit() == pytest.approx(before + 5 / 3, abs=0.01)
