"""Issue 11's findings on the real scheduler: the charts as they were at 2471155 (frozen in
tests/rules/frozen-2471155) stay Pending on the variant their platform really runs, for the
reason the finding names, in the scheduler's or binder's own words. The charts of today run
there (tests/cluster/test_schedule.py), except where a strict xfail names the open finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.apiserver.cluster import KubeCluster
from tests.cluster.charts import example_charts
from tests.cluster.matrix import case_name, install_and_settle, prepared
from tests.cluster.outcome import explain
from tests.cluster.variants import variants

pytestmark = pytest.mark.cluster
FROZEN = Path(__file__).resolve().parents[1] / "rules" / "frozen-2471155"

# (chart, variant id, finding, what the scheduler or volume binder says: a regular expression)
CASES = [
    (
        "mistral-tgi",
        "aks-node-pool",
        "finding 1: GPU product pinned by a label only Karpenter writes",
        "didn't match Pod's node affinity/selector",
    ),
    (
        "gemma-spot",
        "aks-node-pool",
        "finding 1: GPU product pinned by a label only Karpenter writes",
        "didn't match Pod's node affinity/selector",
    ),
    (
        "llama-8b",
        "generic-gpu-operator",
        "finding 4: ReadWriteMany claim on a ReadWriteOnce default class",
        "didn't find available persistent volumes to bind",
    ),
    (
        "llama-70b",
        "gke-standard",
        "finding 5: the download Job fixes the zonal volume away from the GPU pool",
        # the filter's words, or PreBind's when the Job and the server were placed at once
        "didn't match PersistentVolume's node affinity|node affinity doesn't match node",
    ),
]


@pytest.mark.parametrize(
    ("name", "variant_id", "finding", "reason"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES]
)
def test_the_chart_as_it_was_stays_pending_for_the_findings_reason(
    scheduling_cluster: KubeCluster,
    helm3: Path,
    name: str,
    variant_id: str,
    finding: str,
    reason: str,
) -> None:
    chart = next(c for c in example_charts() if c.name == name)
    variant = next(v for v in variants(chart) if v.id == variant_id)
    frozen = FROZEN / name
    values = yaml.safe_load((frozen / "values.yaml").read_text(encoding="utf-8"))
    cluster = scheduling_cluster
    with prepared(cluster, case_name("was", name, variant.pool), variant, values) as namespace:
        outcome, _ = install_and_settle(cluster, helm3, frozen, namespace)
        text = explain(cluster, namespace, outcome)
    assert not outcome.ok, f"{finding}: the 2471155 chart runs on {variant_id}"
    assert re.search(reason, text), f"{finding}: expected {reason!r} in:\n{text}"
