"""`chartgen lint` on N charts against what users run today, side by side in one run.

Today, per chart and per values variant (the chart's values and each ci/*-values.yaml, as
chart-testing does): `helm lint --strict`, then `helm template | kubeconform -strict` against
local schemas (the same bundled schemas, exported once, untimed). chartgen: one
`chartgen lint` over all the charts (embedded Helm, built-in validator).

Charts are copies of generated-charts/* (or the lint test fixture chart when there are none),
each renamed so every rendered object differs.

Usage: python bench/lint_bench.py [--charts 10 100] [--helm PATH] [--kubeconform PATH]
Targets: chartgen >= 5x faster on 100 charts, and 100 charts in < 5 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("CHARTGEN_TOOLS_DIR", Path.home() / ".cache" / "chartgen-tools"))
SOURCES = [REPO / "generated-charts", REPO / "tests" / "lint" / "fixtures" / "charts"]
FALLBACK_CHART = "model-server"
RUN_CHARTGEN = (
    "import sys\n"
    "from chartgen.commands import _COMMANDS\n"
    "_COMMANDS.setdefault('lint', ('chartgen.commands.lint_cmd', 'lint'))\n"
    "from chartgen.cli import main\n"
    "main(sys.argv[1:])\n"
)
_NAME_RE = re.compile(r"^name:.*$", re.MULTILINE)


def source_charts() -> list[Path]:
    generated = sorted(p for p in SOURCES[0].glob("*") if (p / "Chart.yaml").is_file())
    return generated or [SOURCES[1] / FALLBACK_CHART]


def build_charts(count: int, root: Path) -> list[Path]:
    sources = source_charts()
    charts = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = root / f"{source.name}-{index:03d}"
        shutil.copytree(source, target)
        chart_yaml = target / "Chart.yaml"
        text = chart_yaml.read_text(encoding="utf-8")
        chart_yaml.write_text(_NAME_RE.sub(f"name: {target.name}", text, count=1), encoding="utf-8")
        charts.append(target)
    return charts


def variants(chart: Path) -> list[list[str]]:
    return [[]] + [["-f", str(path)] for path in sorted(chart.glob("ci/*-values.yaml"))]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_chartgen(root: Path, kube_version: str, *extra: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of one `chartgen lint` over every chart."""
    command = [sys.executable, "-c", RUN_CHARTGEN, "lint", "--kube-version", kube_version, *extra]
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run([*command, str(root)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"chartgen lint failed: {done.stderr}")
    return elapsed, children_cpu() - cpu, done.returncode


def time_today(
    charts: list[Path], helm: str, kubeconform: str, schemas: Path, version: str
) -> tuple[float, float, int]:
    """(wall, CPU, failed renders) of helm lint + helm template | kubeconform per variant."""
    crd_location = (
        f"{schemas}/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_{{{{ .ResourceAPIVersion }}}}.json"
    )
    validate = [kubeconform, "-strict", "-summary", "-kubernetes-version", version]
    validate += ["-schema-location", str(schemas), "-schema-location", crd_location, "-"]
    failures = 0
    cpu, start = children_cpu(), time.perf_counter()
    for chart in charts:
        for values in variants(chart):
            lint = _run([helm, "lint", "--strict", str(chart), *values])
            rendered = _run([helm, "template", "rel", str(chart), *values])
            checked = _run(validate, rendered.stdout)
            failures += int(bool(lint.returncode or rendered.returncode or checked.returncode))
    return time.perf_counter() - start, children_cpu() - cpu, failures


def _run(command: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, input=stdin, capture_output=True, check=False)


def tool(explicit: str | None, pinned: Path, name: str) -> str:
    found = explicit or (str(pinned) if pinned.exists() else shutil.which(name))
    if not found:
        sys.exit(f"{name} not found: run tools/install-tools.sh or pass --{name}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--helm")
    parser.add_argument("--kubeconform")
    parser.add_argument("--kube-version", default="1.34.0")
    args = parser.parse_args()
    helm = tool(args.helm, TOOLS / "helm-v3.22.0" / "helm", "helm")
    kubeconform = tool(
        args.kubeconform, TOOLS / "kubeconform-v0.7.0" / "kubeconform", "kubeconform"
    )
    from chartgen.validate.export import export_kubeconform_layout

    with tempfile.TemporaryDirectory(prefix="chartgen-lint-bench-") as scratch:
        schemas = Path(scratch) / "schemas"
        export_kubeconform_layout(schemas, args.kube_version, strict=True)
        print(
            f"{'charts':>6} {'renders':>7} {'chartgen':>18} {'helm+kubeconform':>20} {'ratio':>6}"
        )
        for count in args.charts:
            root = Path(scratch) / f"charts-{count}"
            charts = build_charts(count, root)
            renders = sum(len(variants(chart)) for chart in charts)
            ours, our_cpu, our_code = time_chartgen(root, args.kube_version)
            theirs, their_cpu, failed = time_today(
                charts, helm, kubeconform, schemas, args.kube_version
            )
            print(
                f"{count:>6} {renders:>7} {ours:>6.2f}s ({our_cpu:5.2f} cpu) "
                f"{theirs:>7.2f}s ({their_cpu:6.2f} cpu) {theirs / ours:>5.1f}x"
            )
            print(f"       chartgen exit {our_code}; helm/kubeconform failed on {failed} renders")
            schema, schema_cpu, _ = time_chartgen(root, args.kube_version, "--schema-only")
            print(
                f"       chartgen --schema-only (no best-practice rules): {schema:.2f}s ({schema_cpu:.2f} cpu)"
            )
    print("targets: ratio >= 5x on 100 charts; chartgen < 5 s for 100 charts on 2 cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
