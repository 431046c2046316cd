"""crd-kind-without-capability-guard on a real chart: what Helm renders with and without the
custom resources' API versions, compared with what the rule reports."""

from __future__ import annotations

import subprocess
from pathlib import Path

from chartgen.helm.engine import split_helm_output
from chartgen.lint.engine import lint_paths
from chartgen.lint.options import LintOptions

CHART = Path(__file__).parent / "capability-chart"
RULE = "crd-kind-without-capability-guard"


def _kinds(helm: Path, *api_versions: str) -> set[str]:
    flags = [arg for version in api_versions for arg in ("--api-versions", version)]
    done = subprocess.run(
        [str(helm), "template", "demo", str(CHART), *flags],
        capture_output=True,
        text=True,
        check=True,
    )
    return {doc.text.split("kind: ", 1)[1].split()[0] for doc in split_helm_output(done.stdout)}


def test_only_the_unguarded_kind_is_reported(helm_cli: Path) -> None:
    without = _kinds(helm_cli)
    with_crds = _kinds(helm_cli, "monitoring.coreos.com/v1/ServiceMonitor")
    assert without == {"Deployment", "PodMonitor"}
    assert with_crds == {"Deployment", "PodMonitor", "ServiceMonitor"}
    guarded = with_crds - without
    found = [f for f in lint_paths([str(CHART)], LintOptions()).findings if f.rule_id == RULE]
    assert [(f.obj.kind, f.location.file, f.location.line) for f in found] == [
        ("PodMonitor", f"{CHART}/templates/podmonitor.yaml", 2)
    ]
    assert not {f.obj.kind for f in found} & guarded
