"""The example charts with the facts the cluster tests derive expectations from: the spec each
was generated from (platform, GPU request) and the chart's own values (exposure, monitoring,
download)."""

from __future__ import annotations

import functools
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chartgen.catalog import nodes
from tests.chart.helpers import EXAMPLES, GENERATED, REPO

REMOTE_SCHEMES = ("hf", "s3", "gs", "https", "http", "azureblob", "az")


@dataclass(frozen=True)
class ExampleChart:
    name: str
    path: Path  # the committed chart, generated for the spec's own node pool
    document: dict[str, Any]  # the example spec file
    values: dict[str, Any]

    @property
    def spec(self) -> dict[str, Any]:
        return dict(self.document["spec"])

    @property
    def platform(self) -> str:
        return str(self.spec.get("platform") or "generic")

    @property
    def node_pool(self) -> str:
        """The variant the spec targets: its scheduling.nodePool, or the platform's default."""
        named = (self.spec.get("scheduling") or {}).get("nodePool")
        return str(named or nodes.node_pool(self.platform).name)

    @property
    def gpu(self) -> dict[str, Any]:
        return dict((self.spec.get("resources") or {}).get("gpu") or {})

    def downloads(self) -> tuple[bool, bool]:
        """(the server downloads the model, the download Job does)."""
        scheme = str(self.values["model"]["source"]).split("://", 1)[0]
        remote = scheme in REMOTE_SCHEMES
        job = bool(self.values.get("download", {}).get("enabled"))
        return remote and not job, remote and job


@functools.cache
def example_charts() -> tuple[ExampleChart, ...]:
    specs = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        specs[document["metadata"]["name"]] = document
    charts = []
    for path in sorted(p for p in GENERATED.iterdir() if (p / "Chart.yaml").exists()):
        values = yaml.safe_load((path / "values.yaml").read_text(encoding="utf-8"))
        charts.append(ExampleChart(path.name, path, specs[path.name], values))
    return tuple(charts)


def build_for_pool(chart: ExampleChart, pool: str, out: Path) -> tuple[Path | None, str]:
    """`chartgen build` of the chart's spec retargeted at node pool `pool`: (the chart, "") or
    (None, the one-line error of a spec the variant cannot host, exit 2)."""
    document = dict(chart.document)
    spec = dict(document["spec"])
    spec["scheduling"] = {**(spec.get("scheduling") or {}), "nodePool": pool}
    document["spec"] = spec
    out.mkdir(parents=True, exist_ok=True)
    spec_file = out / f"{chart.name}.yaml"
    spec_file.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    argv = [sys.executable, "-m", "chartgen", "build", str(spec_file), "-o", str(out / "charts")]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=REPO, timeout=300)
    if done.returncode == 2:
        return None, done.stderr.strip()
    if done.returncode != 0:
        raise RuntimeError(f"chartgen build exited {done.returncode}:\n{done.stderr}")
    return out / "charts" / chart.name, ""
