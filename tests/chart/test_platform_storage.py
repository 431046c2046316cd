"""Issue 11 finding 4: every claim an example chart creates can bind on its platform's node pool:
ReadWriteMany only from a named class (no cloud's default class provides it), and a named class
where the pool has no default class (EKS from 1.30). The charts before issue 11 asked the default
class for ReadWriteMany (llama-8b) and left EKS claims without a class (qwen-sglang)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.catalog.nodes import pool_storage
from tests.chart.helpers import GENERATED, helm_template, objects
from tests.chart.test_node_pools import old_chart

CHARTS = sorted(p.name for p in GENERATED.iterdir() if (p / "Chart.yaml").is_file())


def claims(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claim specs: PersistentVolumeClaims and StatefulSet volumeClaimTemplates."""
    found = [o["spec"] for o in rendered if o["kind"] == "PersistentVolumeClaim"]
    for workload in (o for o in rendered if o["kind"] == "StatefulSet"):
        found += [t["spec"] for t in workload["spec"].get("volumeClaimTemplates", [])]
    return found


def unbindable(chart: Path, helm: Path) -> list[str]:
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))["annotations"]
    storage = pool_storage(meta["chartgen.dev/platform"], meta.get("chartgen.dev/node-pool"))
    result = helm_template(helm, chart)
    assert result.returncode == 0, result.stderr
    problems = []
    for claim in claims(objects(result.stdout)):
        named = claim.get("storageClassName")
        if named:
            continue
        if storage.default_class is None:
            problems.append("claim without a storageClassName where the pool has no default class")
        for mode in claim["accessModes"]:
            if mode not in storage.access_modes:
                problems.append(f"{mode} from default class {storage.default_class}")
    return problems


@pytest.mark.parametrize("name", CHARTS)
def test_every_claim_binds_on_the_charts_platform(helm3: Path, name: str) -> None:
    assert unbindable(GENERATED / name, helm3) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("llama-8b", "ReadWriteMany from default class standard"),
        ("qwen-sglang", "no default class"),
    ],
)
def test_charts_before_issue_11_asked_for_claims_that_never_bind(
    helm3: Path, name: str, problem: str, tmp_path: Path
) -> None:
    assert any(problem in p for p in unbindable(old_chart(name, tmp_path), helm3))
