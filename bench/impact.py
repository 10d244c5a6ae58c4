"""The impact analysis on the default demo company (2,000 accounts, seed 42): time and figures.

    ESP_DATA_DIR=/tmp/esp-impact PYTHONPATH=$PWD/src .venv/bin/python bench/impact.py [--repeat 3] [--bootstrap 499]

Generates the demo in the data dir first unless one is there (`--regenerate` forces it). Times, after a warm-up
that imports diff-diff (about 2 s on its own, paid once per process):

  inputs      impact_inputs(): revenue rows and first sponsorship starts read into pandas;
  analysis    estimate_impact(): the main Callaway–Sant'Anna fit with its multiplier bootstrap, the event
              study, the placebo fit (its own bootstrap), balance, HonestDiD at three M;
  end to end  analyse() = both (what `esp report impact` and the nightly job run).

Target: end to end under 5 s, bootstrap included. Prints the estimate beside the planted truth.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execsponsor.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=499)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from execsponsor.core.impact import ImpactOptions, estimate_impact
    from execsponsor.demo.generator import demo_exists, generate_demo, planted_effects
    from execsponsor.insights.impact import analyse, impact_inputs

    call_command("migrate", verbosity=0)
    truth = planted_effects()
    if args.regenerate or not demo_exists() or (truth or {}).get("accounts") != args.accounts:
        generate_demo(accounts=args.accounts, seed=args.seed)
        truth = planted_effects()
    import datetime as dt

    today = dt.date.fromisoformat(truth["as_of"])
    options = ImpactOptions(bootstrap=args.bootstrap)
    analyse(today=today, options=options)  # warm-up: imports diff-diff and scipy
    inputs_s, analysis_s, total_s = [], [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        inputs = impact_inputs(today=today)
        inputs_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        result = estimate_impact(inputs.revenue, inputs.accounts, options=options,
                                 quarter_labels=inputs.quarter_labels, excluded=inputs.excluded)  # fmt: skip
        analysis_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        analyse(today=today, options=options)
        total_s.append(time.perf_counter() - began)
    print(f"demo: {truth['accounts']} accounts, seed {truth['seed']}, as of {truth['as_of']}")
    print(f"inputs      median {statistics.median(inputs_s):.2f} s")
    print(f"analysis    median {statistics.median(analysis_s):.2f} s  (bootstrap {args.bootstrap} draws, twice)")
    print(f"end to end  median {statistics.median(total_s):.2f} s  (max {max(total_s):.2f} s)")
    nrr = truth["nrr"]
    placebo = result.placebo
    print(f"planted lift {nrr['lift_points']} pts; estimate {result.estimate:+.2f} "
          f"({result.ci_low:+.2f} to {result.ci_high:+.2f}); naive {result.naive_estimate:+.2f} "
          f"(truth {nrr['naive_points_vs_unsponsored']:+.2f}); placebo {placebo.estimate:+.2f} "
          f"({placebo.ci_low:+.2f} to {placebo.ci_high:+.2f}); max SMD after {result.max_smd_after:.3f}; "
          f"treated {result.treated}, controls {result.controls}")  # fmt: skip


if __name__ == "__main__":
    main()
