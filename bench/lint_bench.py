"""`chartgen lint` against what users run today, side by side in one run, in paired runs.

Today, per chart and per values variant (the chart's values and each ci/*-values.yaml, as
chart-testing does): `helm lint --strict`, then `helm template | kubeconform -strict` against
local schemas (the same bundled schemas, exported once, untimed). chartgen: one
`chartgen lint` over all the charts (embedded Helm, built-in validator). With `--kube-linter
PATH`, a third column: one `kube-linter lint` over the same charts (its own Helm rendering of
each chart's values.yaml, its own checks; not schema validation).

Cases: N charts (copies of generated-charts/*, each renamed so every rendered object differs),
one chart with its variants (the pre-commit case), and one chart with 50 CustomResourceDefinition
objects in its templates against the same chart without them (chartgen only: the ratio is the
cost of CRD-heavy charts). Each case runs --runs times, the tools alternating; figures are
medians. Peak memory is the largest resident set of one process of the tree (wait4's maxrss).

Usage: python bench/lint_bench.py [--charts 10 100] [--runs 5] [--helm PATH] [--kubeconform PATH]
                                  [--kube-linter PATH] [--only charts|single|crds] [--before DIR]
Targets (issue 15): 100 charts >= 40x, one chart >= 3x, 50 CRDs < 2x the chart without them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("CHARTGEN_TOOLS_DIR", Path.home() / ".cache" / "chartgen-tools"))
SOURCES = [REPO / "generated-charts", REPO / "tests" / "lint" / "fixtures" / "charts"]
FALLBACK_CHART = "model-server"
CRD_BENCH_GROUPS = ("keda.sh", "monitoring.coreos.com")
CRD_COUNT = 50
# what the `chartgen` console script runs (importing anything first would delay what main()
# starts before click loads, e.g. the Helm worker); every tree measured registers `lint`
RUN_CHARTGEN = "from chartgen.cli import main\nmain()\n"
_NAME_RE = re.compile(r"^name:.*$", re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_mib: float
    failed: int  # chartgen: exit code; today: renders that failed a check


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


def upstream_crds() -> list[Path]:
    """The KEDA and Prometheus Operator CRDs as their projects publish them (with descriptions;
    chartgen bundles them trimmed), from the Go modules tools/crds pins (`go mod download`)."""
    sys.path.insert(0, str(REPO / "tools" / "crds"))
    import sync  # tools/crds/sync.py

    pins = sync.pinned_versions()
    return sorted(
        sync.download(module, pins[module]) / path
        for module, paths in sync.CRD_FILES.items()
        for path in paths
        if Path(path).name.startswith(CRD_BENCH_GROUPS)
    )


def add_crds(chart: Path, sources: list[Path], count: int = CRD_COUNT) -> None:
    """`count` distinct CustomResourceDefinitions rendered from the chart's templates (as charts
    that install operators do), each an upstream CRD under its own group."""
    # a fixed set (KEDA, Prometheus Operator), so the case stays the same as more CRDs are
    # bundled: with every bundled CRD under 100 KB the 50 objects outgrew Helm's 5 MiB file limit
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sources]
    texts = []
    for index in range(count):
        crd = documents[index % len(documents)]
        group = f"g{index:02d}.{crd['spec']['group']}"
        renamed = {**crd, "spec": {**crd["spec"], "group": group}}
        renamed["metadata"] = {"name": f"{crd['spec']['names']['plural']}.{group}"}
        texts.append(yaml.safe_dump(renamed, sort_keys=False))
    (chart / "templates" / "zz-crds.yaml").write_text("---\n".join(texts), encoding="utf-8")


def variants(chart: Path) -> list[list[str]]:
    return [[]] + [["-f", str(path)] for path in sorted(chart.glob("ci/*-values.yaml"))]


def _wait4(
    command: list[str], stdin: bytes | None, tree: str | None = None
) -> tuple[int, bytes, float, float]:
    read_in, write_in = os.pipe() if stdin is not None else (None, None)
    with tempfile.TemporaryFile() as out:
        pid = os.fork()
        if pid == 0:  # child
            if read_in is not None and write_in is not None:
                os.dup2(read_in, 0)
                os.close(write_in)
            else:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(out.fileno(), 1)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            if tree:  # and not the working directory, which `python -c` puts first on sys.path
                os.environ["PYTHONPATH"] = tree
                os.chdir(tree)
            try:
                os.execvp(command[0], command)
            finally:
                os._exit(127)
        if read_in is not None and write_in is not None and stdin is not None:
            os.close(read_in)
            os.write(write_in, stdin)  # kubeconform reads all stdin before output: no deadlock
            os.close(write_in)
        _, status, usage = os.wait4(pid, 0)
        out.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return code, out.read(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def time_chartgen(root: Path, kube_version: str, *extra: str, tree: str | None = None) -> Sample:
    """One `chartgen lint` over `root`; `tree`: the chartgen checkout to run (PYTHONPATH)."""
    command = [sys.executable, "-c", RUN_CHARTGEN, "lint", "--kube-version", kube_version, *extra]
    start = time.perf_counter()
    code, _, cpu, peak = _wait4([*command, "--format", "json", str(root)], None, tree)
    elapsed = time.perf_counter() - start
    if code not in (0, 1):
        sys.exit(f"chartgen lint failed (exit {code}) on {root}")
    return Sample(elapsed, cpu, peak, code)


def time_today(
    charts: list[Path], helm: str, kubeconform: str, schemas: Path, version: str
) -> Sample:
    """helm lint --strict + helm template | kubeconform -strict, per chart and values variant."""
    crd_location = (
        f"{schemas}/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_{{{{ .ResourceAPIVersion }}}}.json"
    )
    validate = [kubeconform, "-strict", "-summary", "-kubernetes-version", version]
    validate += ["-schema-location", str(schemas), "-schema-location", crd_location, "-"]
    failures, cpu, peak = 0, 0.0, 0.0
    start = time.perf_counter()
    for chart in charts:
        for values in variants(chart):
            lint = _wait4([helm, "lint", "--strict", str(chart), *values], None)
            rendered = _wait4([helm, "template", "rel", str(chart), *values], None)
            checked = _wait4(validate, rendered[1])
            failures += int(bool(lint[0] or rendered[0] or checked[0]))
            cpu += lint[2] + rendered[2] + checked[2]
            peak = max(peak, lint[3], rendered[3], checked[3])
    return Sample(time.perf_counter() - start, cpu, peak, failures)


def time_kube_linter(binary: str, root: Path) -> Sample:
    start = time.perf_counter()
    code, _, cpu, peak = _wait4([binary, "lint", str(root)], None)
    return Sample(time.perf_counter() - start, cpu, peak, code)


def paired(runs: int, measures: list[Callable[[], Sample]]) -> list[list[Sample]]:
    """Each measure `runs` times, interleaved so load changes hit every column alike."""
    samples: list[list[Sample]] = [[] for _ in measures]
    for _ in range(runs):
        for column, measure in zip(samples, measures, strict=True):
            column.append(measure())
    return samples


def median(samples: list[Sample], field: str) -> float:
    return statistics.median(getattr(s, field) for s in samples)


def row(label: str, columns: list[list[Sample]]) -> str:
    cells = [
        f"{median(c, 'wall'):7.2f}s {median(c, 'cpu'):6.2f}cpu {median(c, 'peak_mib'):5.0f}MiB"
        for c in columns
    ]
    ratios = [median(c, "wall") / median(columns[0], "wall") for c in columns[1:]]
    shown = [cells[0]] + [f"{cell} | {r:5.1f}x" for cell, r in zip(cells[1:], ratios, strict=True)]
    return f"{label:<26} " + " | ".join(shown)


def compile_tree(tree: Path) -> None:
    """Byte-compile a chartgen tree first, as pip does when it installs the package: where
    PYTHONDONTWRITEBYTECODE is set, every timed run would otherwise compile ~200 modules."""
    import compileall

    compileall.compile_dir(tree / "chartgen", quiet=1)


def tool(explicit: str | None, pinned: Path, name: str) -> str:
    found = explicit or (str(pinned) if pinned.exists() else shutil.which(name))
    if not found:
        sys.exit(f"{name} not found: run tools/install-tools.sh or pass --{name}")
    return found


def render_worker(tree: Path) -> str:
    """Which Helm worker a tree's `chartgen lint` starts: its own sandbox.worker_command()
    (a tree from before chartgen-render has none: the SDK worker)."""
    ask = (
        "try:\n from chartgen.helm.sandbox import worker_command\n"
        "except ImportError:\n print('the SDK worker')\n"
        "else:\n print(' '.join(worker_command()))"
    )
    done = subprocess.run(  # run from the tree, as _wait4 runs its chartgen
        [sys.executable, "-c", ask],
        env={**os.environ, "PYTHONPATH": str(tree)},
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--helm")
    parser.add_argument("--kubeconform")
    parser.add_argument("--kube-linter", dest="kube_linter", metavar="PATH")
    parser.add_argument("--kube-version", default="1.34.0")
    parser.add_argument("--only", choices=["charts", "single", "crds"], action="append")
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="a checkout of an earlier chartgen: its `chartgen lint` is one more column",
    )
    args = parser.parse_args()
    helm = tool(args.helm, TOOLS / "helm-v3.22.0" / "helm", "helm")
    kubeconform = tool(
        args.kubeconform, TOOLS / "kubeconform-v0.7.0" / "kubeconform", "kubeconform"
    )
    cases = args.only or ["charts", "single", "crds"]
    from chartgen.validate.export import export_kubeconform_layout

    for tree in [REPO, *([Path(args.before)] if args.before else [])]:
        compile_tree(tree)
    print(f"load average at start: {os.getloadavg()}")
    for name, tree in [
        ("chartgen", REPO),
        *([("before", Path(args.before))] if args.before else []),
    ]:
        print(f"{name} renders with {render_worker(tree)}")
    with tempfile.TemporaryDirectory(prefix="chartgen-lint-bench-") as scratch:
        schemas = Path(scratch) / "schemas"
        export_kubeconform_layout(schemas, args.kube_version, strict=True)
        today = "helm lint+template|kubeconform"
        header = f"{'case':<26} {'chartgen':^27} | {today:^27} | ratio"
        if args.kube_linter:
            header += f" | {'kube-linter':^27} | ratio"
        if args.before:
            header += f" | {'chartgen before':^27} | ratio"
        print(header + f"   (medians of {args.runs} paired runs)")
        counts = [(f"{n} charts", n) for n in args.charts] if "charts" in cases else []
        counts += [("1 chart (pre-commit)", 1)] if "single" in cases else []
        for label, count in counts:
            root = Path(scratch) / f"charts-{count}-{len(label)}"
            charts = build_charts(count, root)
            renders = sum(len(variants(chart)) for chart in charts)
            measures = [
                lambda root=root: time_chartgen(root, args.kube_version),
                lambda charts=charts: time_today(
                    charts, helm, kubeconform, schemas, args.kube_version
                ),
            ]
            if args.kube_linter:
                measures.append(lambda root=root: time_kube_linter(args.kube_linter, root))
            if args.before:
                measures.append(
                    lambda root=root: time_chartgen(root, args.kube_version, tree=args.before)
                )
            columns = paired(args.runs, measures)
            print(row(f"{label} ({renders} renders)", columns))
            print(
                f"{'':<26} chartgen exit {columns[0][0].failed}; "
                f"helm/kubeconform failed on {columns[1][0].failed} renders"
            )
        if "crds" in cases:
            plain = build_charts(1, Path(scratch) / "plain")[0]
            heavy = build_charts(1, Path(scratch) / "heavy")[0]
            add_crds(heavy, upstream_crds())
            trees = [None, args.before] if args.before else [None]
            for tree in trees:
                columns = paired(
                    args.runs,
                    [
                        lambda tree=tree: time_chartgen(plain.parent, args.kube_version, tree=tree),
                        lambda tree=tree: time_chartgen(heavy.parent, args.kube_version, tree=tree),
                    ],
                )
                label = "chartgen before" if tree else "chartgen"
                print(row(f"1 chart | +{CRD_COUNT} CRDs ({label})", columns))
    print(f"load average at end: {os.getloadavg()}")
    print("targets: 100 charts >= 40x; 1 chart >= 3x; +50 CRDs < 2.0x the plain chart")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
