"""Issue 11 finding 7: the helm test pod leaves the UID to the platform where the platform assigns
it (OpenShift restricted-v2 rejects a fixed UID outside the namespace range), and an Ingress
carries the streaming timeout of the platform's own controller (OpenShift router, AWS Load
Balancer Controller) beside ingress-nginx's. The charts before issue 11 fixed the test pod's UID
everywhere and set only ingress-nginx timeouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen import catalog
from tests.chart.helpers import GENERATED, helm_template, objects
from tests.chart.test_node_pools import old_chart

CHARTS = sorted(p.name for p in GENERATED.iterdir() if (p / "Chart.yaml").is_file())


def platform_of(chart: Path) -> str:
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    return str(meta["annotations"]["chartgen.dev/platform"])


def rendered(helm: Path, chart: Path) -> list[dict[str, Any]]:
    done = helm_template(helm, chart)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


def pod_uid(objs: list[dict[str, Any]]) -> object:
    pod = next(
        o for o in objs if o["kind"] == "Pod" and "helm.sh/hook" in o["metadata"]["annotations"]
    )
    return pod["spec"]["securityContext"].get("runAsUser")


@pytest.mark.parametrize("name", CHARTS)
def test_helm_test_pod_fixes_a_uid_only_where_the_platform_allows(helm3: Path, name: str) -> None:
    chart = GENERATED / name
    allowed = catalog.platform(platform_of(chart)).fixed_uid_allowed
    uid = pod_uid(rendered(helm3, chart))
    assert (uid is not None) == allowed, (name, uid)


def test_helm_test_pod_before_issue_11_fixed_its_uid_on_openshift(
    helm3: Path, tmp_path: Path
) -> None:
    chart = old_chart("bert-tfserving", tmp_path)
    assert platform_of(chart) == "openshift"
    assert pod_uid(rendered(helm3, chart)) == 65534


def ingress_annotations(objs: list[dict[str, Any]]) -> dict[str, str]:
    ingress = next(o for o in objs if o["kind"] == "Ingress")
    annotations: dict[str, str] = ingress["metadata"]["annotations"]
    return annotations


def test_eks_ingress_lifts_the_alb_idle_timeout(helm3: Path, tmp_path: Path) -> None:
    now = ingress_annotations(rendered(helm3, GENERATED / "qwen-sglang"))
    seconds = int(now["nginx.ingress.kubernetes.io/proxy-read-timeout"])
    attribute = now["alb.ingress.kubernetes.io/load-balancer-attributes"]
    assert attribute == f"idle_timeout.timeout_seconds={seconds}"
    before = ingress_annotations(rendered(helm3, old_chart("qwen-sglang", tmp_path)))
    assert "alb.ingress.kubernetes.io/load-balancer-attributes" not in before


def test_openshift_ingress_lifts_the_router_timeout(tmp_path: Path) -> None:
    from chartgen.chart.build import build_chart
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions
    from chartgen.spec import load_specs

    spec = {
        "apiVersion": "chartgen/v1",
        "kind": "ModelService",
        "metadata": {"name": "routed"},
        "spec": {
            "runtime": "vllm",
            "platform": "openshift",
            "model": {"source": "hf://org/m", "sizeGiB": 4},
            "resources": {"gpu": {"count": 1, "product": "L4"}},
            "exposure": {"type": "ingress", "host": "llm.apps.example.com"},
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    chart = build_chart(load_specs([path])[0], tmp_path / "out")
    docs = get_engine("embedded").render(chart, RenderOptions())
    objs = [o for d in docs for o in yaml.safe_load_all(d.text) if o]
    annotations = ingress_annotations(objs)
    seconds = int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"])
    assert annotations["haproxy.router.openshift.io/timeout"] == f"{seconds}s"
    assert seconds > 30  # HAProxy's default cuts streamed generations at 30 s
