"""`make bench`: run every benchmark in turn. They print figures; they do not pass or fail.

Each benchmark records its own command and figures in bench/RESULTS.md by hand (see there)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["import_activities.py", "page_latency.py", "search_latency.py", "matching.py"]


def main() -> int:
    for name in BENCHMARKS:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n=== {name}", flush=True)
        subprocess.call([sys.executable, str(script), *sys.argv[1:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
