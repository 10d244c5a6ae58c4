"""The demo's randomised cohort: a boundary draw three quarters before the demo's day, as the product records one.

On the first day of the window's sixth quarter (two complete quarters of outcome before the demo's day) the
program let half of a band of near-tied, not yet sponsored accounts into the program by a seeded draw. The drawn-in are
sponsored from that quarter on and get the demo's planted lift like every sponsored account; the drawn-out are
never sponsored and are kept out of the other planted effects (churn, departures, health drops), so the only
difference between the two halves is the draw. The product's experiment (insights/impact_experiment.py)
should recover the planted effect on its outcome inside its interval (docs/demo.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from execsponsor.demo.plan import Company, quarter_start, quarters_before

DRAW_QUARTER = 5  # index in the demo's eight quarters: drawn on the first day of the sixth
DRAW_SEED = 20_260_401  # the seed the demo's program drew with, recorded with the draw
TOLERANCE = 2.0
CUT_OFF = 58.4  # the score of the last shortlisted account, as the selection recorded it
MIN_BAND = 12
MIN_ACCOUNTS = 300
BAND_SHARE = 0.01


def band_size(accounts: int) -> int:
    """Accounts in the band: 1% of the company, at least 12; none below 300 accounts (too few to spare)."""
    if accounts < MIN_ACCOUNTS:
        return 0
    return max(MIN_BAND, 2 * round(BAND_SHARE * accounts / 2))


def plan_draw(company: Company, *, exclude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Choose the band among eligible accounts (enterprise and mid-market) outside `exclude`, draw half of it in
    with the recorded seed; the drawn-in (they join the live sponsorships) and how many days before the demo's
    day their sponsorship started (within the draw's quarter, after the draw)."""
    a = company.arrays
    rng = company.rng("experiment")
    free = np.ones(company.size.accounts, dtype=bool)
    free[exclude] = False
    eligible = np.flatnonzero(free & (a["segment"] < 2))
    size = min(band_size(company.size.accounts), eligible.size // 2 * 2)
    band = np.sort(rng.choice(eligible, size, replace=False))
    scores = np.round(CUT_OFF + rng.uniform(-TOLERANCE, TOLERANCE, band.size), 2)
    order = np.argsort(-scores, kind="stable")
    band, scores = band[order], scores[order]
    drawn = np.random.default_rng(DRAW_SEED).permutation(band.size)[: band.size // 2]
    drawn_in = np.zeros(band.size, dtype=bool)
    drawn_in[drawn] = True
    a.update(experiment_band=band, experiment_scores=scores, experiment_drawn_in=drawn_in)
    days_ago = (company.as_of - draw_day(company)).days - rng.integers(7, 60, drawn_in.sum())
    return band[drawn_in], days_ago


def draw_day(company: Company) -> dt.date:
    return quarter_start(*quarters_before(company.as_of, 8)[DRAW_QUARTER])


def write_cohort(company: Company) -> None:
    """The selection run and the randomised cohort, as approving the matching run that used the draw wrote them."""
    from execsponsor.program.models import RandomisedCohort, SelectionRun

    a = company.arrays
    band, scores, drawn_in = a["experiment_band"], a["experiment_scores"], a["experiment_drawn_in"]
    if not band.size:
        return
    members = [
        {"account_id": int(k) + 1, "name": company.lists["account_name"][k], "score": float(s), "drawn_in": bool(d)}
        for k, s, d in zip(band.tolist(), scores.tolist(), drawn_in.tolist(), strict=True)
    ]
    draw = {
        "seed": DRAW_SEED,
        "tolerance": TOLERANCE,
        "cut_off": CUT_OFF,
        "slots": int(drawn_in.sum()),
        "band": members,
        "already_in_program": [],
    }
    selection = SelectionRun.objects.create(
        created_at=dt.datetime.combine(draw_day(company), dt.time(9), tzinfo=dt.UTC),
        options={"randomise_boundary": True, "tie_tolerance": TOLERANCE, "draw_seed": DRAW_SEED},
        result={"draw": draw},
    )
    RandomisedCohort.objects.create(
        selection_run=selection,
        drawn_on=draw_day(company),
        seed=DRAW_SEED,
        tolerance=TOLERANCE,
        cut_off_score=CUT_OFF,
        slots=int(drawn_in.sum()),
        band=members,
        drawn_in=[m["account_id"] for m in members if m["drawn_in"]],
        drawn_out=[m["account_id"] for m in members if not m["drawn_in"]],
    )


def truth(company: Company) -> dict[str, object]:
    """The planted effect on the experiment's outcome (NRR from the draw: the complete quarters after the draw's
    quarter against the four before it), averaged over the drawn-in, from the revenue with and without the lift."""
    a = company.arrays
    band, drawn_in = a["experiment_band"], a["experiment_drawn_in"]
    if not band.size:
        return {"band": 0, "drawn_in": 0}
    treated = band[drawn_in]
    baseline = a["revenue"][treated, DRAW_QUARTER - 4 : DRAW_QUARTER].mean(1)
    after = slice(DRAW_QUARTER + 1, 8)
    lift = a["revenue"][treated, after].mean(1) - a["revenue_without_program"][treated, after].mean(1)
    return {
        "drawn_on": draw_day(company).isoformat(),
        "seed": DRAW_SEED,
        "band": int(band.size),
        "drawn_in": int(drawn_in.sum()),
        "effect_points": round(float((100 * lift / baseline).mean()), 2),
    }
