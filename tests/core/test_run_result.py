"""The typed view of a matching run's stored result (core/run_result.py)."""

from execsponsor.core.run_result import ChangeCounts, RunResult

DOCUMENT = {
    "status": "optimal",
    "objective": 12.5,
    "pairs": [
        {
            "account": "A-1",
            "account_id": 1,
            "account_name": "Acme",
            "executive": "E-7",
            "executive_id": 7,
            "executive_name": "Dana",
            "score": 8.0,
            "points": {"industry": 3.0},
            "reasons": ["same industry"],
            "change": "add",
            "grandfathered": [],
            "current_executive_name": None,
        },
        {
            "account": "2",
            "account_id": 2,
            "account_name": "Beta",
            "executive": "E-8",
            "executive_id": 8,
            "executive_name": "Lee",
            "score": 4.5,
            "points": {},
            "reasons": [],
            "change": "keep",
            "grandfathered": ["language"],
            "current_executive_name": None,
        },
    ],
    "unassigned": [{"account": "3", "account_id": 3, "account_name": "Gamma", "reason": "no candidate"}],
    "executives": [
        {
            "executive": "E-7",
            "executive_id": 7,
            "executive_name": "Dana",
            "capacity_min": 1,
            "capacity_max": 3,
            "load": 1,
            "live_today": 0,
        },
    ],
    "below_minimum": [],
    "sponsorships": [
        {
            "sponsorship_id": 10,
            "account_id": 2,
            "account_name": "Beta",
            "executive_id": 8,
            "executive_name": "Lee",
            "to_executive_id": None,
            "to_executive_name": None,
            "change": "keep",
            "reason": "stays",
        },
        {
            "sponsorship_id": 11,
            "account_id": 4,
            "account_name": "Delta",
            "executive_id": 8,
            "executive_name": "Lee",
            "to_executive_id": 7,
            "to_executive_name": "Dana",
            "change": "reassign",
            "reason": "capacity",
        },
        {
            "sponsorship_id": 12,
            "account_id": 5,
            "account_name": "Eps",
            "executive_id": 7,
            "executive_name": "Dana",
            "to_executive_id": None,
            "to_executive_name": None,
            "change": "end",
            "reason": "no sponsor",
        },
    ],
    "changes": {"keep": 1, "reassign": 1, "end": 1, "add": 1},
    "enforcing": [{"rule": "language", "sponsorships": 1, "text": "enforcing language would reassign or end 1"}],
    "enforced_on_live": False,
    "infeasible_because": [],
    "selection_draw": None,
    "something_newer": 1,
}


def test_reads_every_part_of_the_document():
    result = RunResult.from_dict(DOCUMENT)
    assert result.status == "optimal" and result.objective == 12.5
    assert [p.account_name for p in result.pairs] == ["Acme", "Beta"]
    assert result.pairs[0].reasons == ("same industry",) and result.pairs[0].points == {"industry": 3.0}
    assert [p.account_id for p in result.add] == [1]
    assert [p.account_id for p in result.grandfathered] == [2]
    assert [d.sponsorship_id for d in result.keep] == [10]
    assert [d.to_executive_name for d in result.reassign] == ["Dana"]
    assert [d.sponsorship_id for d in result.end] == [12]
    assert [d.sponsorship_id for d in result.moved] == [11, 12]
    assert result.changes == ChangeCounts(keep=1, reassign=1, end=1, add=1) and result.changes.changed == 3
    assert result.unassigned[0].reason == "no candidate"
    assert result.executives[0].live_today == 0
    assert result.enforcing[0].rule == "language"
    assert result.pairs_by_account()[2].executive_id == 8


def test_older_documents_and_rows_take_the_defaults():
    older = {
        "status": "optimal",
        "objective": 1.0,
        "pairs": [{"account_id": 1, "executive_id": 2, "change": "keep"}],
        "executives": [{"executive_id": 2, "load": 1, "capacity_min": 0, "capacity_max": 3}],
    }
    result = RunResult.from_dict(older)
    assert result.sponsorships == () and result.changes.changed == 0 and result.enforcing == ()
    assert result.pairs[0].grandfathered == () and result.pairs[0].current_executive_name is None
    assert result.executives[0].live_today is None
    assert result.selection_draw is None


def test_anything_but_a_dict_is_an_empty_result():
    for stored in (None, [], "", 3):
        assert RunResult.from_dict(stored) == RunResult()
