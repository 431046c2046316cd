"""Build N example-like specs into charts and print where the time goes.

Usage: python bench/build_bench.py [-n 100]      Target: 100 specs in under 1 s on 2 cores.
The specs are the bundled examples, renamed, so every runtime and platform is in the mix.
Printed side by side in one run: the whole `chartgen build` command, chartgen's own work in
memory (load + resolve + render every file), and the floor this disk sets: writing the same
files with plain Python and nothing else.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write_specs(directory: Path, count: int) -> None:
    sources = [yaml.safe_load(p.read_text()) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for index in range(count):
        spec = sources[index % len(sources)]
        spec["metadata"]["name"] = f"bench-{index:03d}"
        (directory / f"bench-{index:03d}.yaml").write_text(yaml.safe_dump(spec))


def in_memory_seconds(specs: Path, out: Path) -> tuple[float, list[dict[str, str]]]:
    from chartgen.chart.build import generate
    from chartgen.spec import load_specs

    start = time.perf_counter()
    charts = [generate(doc, out).files for doc in load_specs([specs])]
    return time.perf_counter() - start, charts


def raw_write_seconds(charts: list[dict[str, str]], out: Path) -> float:
    start = time.perf_counter()
    for index, files in enumerate(charts):
        for relative, text in files.items():
            path = out / f"c{index}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        specs = Path(tmp, "specs")
        specs.mkdir()
        write_specs(specs, args.n)
        start = time.perf_counter()
        cmd = [
            sys.executable,
            "-m",
            "chartgen",
            "-q",
            "build",
            str(specs),
            "-o",
            str(Path(tmp, "charts")),
        ]
        subprocess.run(cmd, check=True)
        whole = time.perf_counter() - start
        compute, charts = in_memory_seconds(specs, Path(tmp, "unused"))
        floor = raw_write_seconds(charts, Path(tmp, "raw"))
    files = sum(len(c) for c in charts)
    print(f"specs: {args.n}, chart files: {files}")
    print(f"chartgen build (whole command, start-up and writes): {whole:6.2f} s")
    print(f"chartgen in memory (load + resolve + render files):  {compute:6.2f} s")
    print(
        f"plain Python writing the same {files} files:        {floor:6.2f} s  (this disk's floor)"
    )
    print(f"chartgen's own share: {whole - floor:5.2f} s  (target: 100 specs < 1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
