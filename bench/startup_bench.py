"""`chartgen --version` start-up against `python -c pass`, measured side by side in one run.

Usage: python bench/startup_bench.py [--runs N]     Target: ratio under 4x.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def median_seconds(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    chartgen = shutil.which("chartgen")
    command = (
        [chartgen, "--version"] if chartgen else [sys.executable, "-m", "chartgen", "--version"]
    )
    baseline = median_seconds([sys.executable, "-c", "pass"], args.runs)
    measured = median_seconds(command, args.runs)
    print(f"python -c pass      : {baseline * 1000:7.1f} ms (median of {args.runs})")
    print(f"chartgen --version  : {measured * 1000:7.1f} ms")
    print(f"ratio               : {measured / baseline:5.2f}x (target < 4x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
