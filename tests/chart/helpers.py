"""Build example charts once per session and render them with the real tools."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GENERATED = REPO / "generated-charts"


def example_specs() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def helm_template(
    helm: Path, chart: Path, *args: str, crds: bool = True
) -> subprocess.CompletedProcess[str]:
    """`helm template`, by default as against a cluster serving the CRD kinds the charts use
    (`--api-versions`): without them the charts skip those objects (issue 11 finding 3)."""
    from chartgen.chart.files import CRD_KINDS

    served = [arg for kind in CRD_KINDS for arg in ("--api-versions", kind)] if crds else []
    return subprocess.run(
        [str(helm), "template", "rel", str(chart), "-n", "ml", *served, *args],
        capture_output=True,
        text=True,
        check=False,
    )


def objects(rendered: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


def find(objs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    matches = [o for o in objs if o["kind"] == kind]
    assert matches, f"no {kind} rendered"
    return matches[0]


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "LeaderWorkerSet")


def workload_of(objs: list[dict[str, Any]]) -> dict[str, Any]:
    """The model server's workload (not the InferencePool's endpoint picker)."""
    return next(
        o
        for o in objs
        if o["kind"] in WORKLOAD_KINDS
        and any(c["name"] == "model-server" for c in pod_template(o)["spec"]["containers"])
    )


server_workload = workload_of


def pod_template(workload: dict[str, Any]) -> dict[str, Any]:
    """The serving pod template: a LeaderWorkerSet's leader template."""
    if workload["kind"] == "LeaderWorkerSet":
        template: dict[str, Any] = workload["spec"]["leaderWorkerTemplate"]["leaderTemplate"]
        return template
    template = workload["spec"]["template"]
    return template


def pod_spec(objs: list[dict[str, Any]]) -> dict[str, Any]:
    spec: dict[str, Any] = pod_template(workload_of(objs))["spec"]
    return spec
