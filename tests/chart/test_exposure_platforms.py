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
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions

    chart = openshift_llm_chart(tmp_path, {"type": "ingress", "host": "llm.apps.example.com"})
    docs = get_engine("embedded").render(chart, RenderOptions())
    objs = [o for d in docs for o in yaml.safe_load_all(d.text) if o]
    annotations = ingress_annotations(objs)
    seconds = int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"])
    assert annotations["haproxy.router.openshift.io/timeout"] == f"{seconds}s"
    assert seconds > 30  # HAProxy's default cuts streamed generations at 30 s


def openshift_llm_chart(tmp_path: Path, exposure: dict[str, Any]) -> Path:
    from chartgen.chart.build import build_chart
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
            "exposure": exposure,
        },
    }
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return build_chart(load_specs([path])[0], tmp_path / "out")


def routes(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == "Route"]


def test_openshift_route_lifts_the_router_timeout(helm3: Path, tmp_path: Path) -> None:
    """The Route exposure: the router's 30 s server timeout lifted to the generation time (the
    same fact the Ingress timeouts use), TLS at the router, HTTP redirected."""
    from chartgen.rules.support.quantities import haproxy_seconds

    chart = openshift_llm_chart(tmp_path, {"type": "route", "host": "llm.apps.example.com"})
    route = routes(rendered(helm3, chart))[0]
    assert route["apiVersion"] == "route.openshift.io/v1"
    assert route["spec"]["to"] == {"kind": "Service", "name": "rel-routed", "weight": 100}
    assert route["spec"]["port"] == {"targetPort": "http"}
    assert route["spec"]["host"] == "llm.apps.example.com"
    assert route["spec"]["tls"] == {
        "termination": "edge",
        "insecureEdgeTerminationPolicy": "Redirect",
    }
    seconds = haproxy_seconds(
        route["metadata"]["annotations"]["haproxy.router.openshift.io/timeout"]
    )
    ingress = openshift_llm_chart(tmp_path / "i", {"type": "ingress", "host": "llm.example.com"})
    nginx = ingress_annotations(rendered(helm3, ingress))[
        "nginx.ingress.kubernetes.io/proxy-read-timeout"
    ]
    assert seconds == float(nginx) and seconds > 30


def test_openshift_route_without_tls_and_without_the_route_api(helm3: Path, tmp_path: Path) -> None:
    chart = openshift_llm_chart(tmp_path, {"type": "route", "termination": "none"})
    route = routes(rendered(helm3, chart))[0]
    assert "tls" not in route["spec"] and "host" not in route["spec"]  # the router names it
    done = helm_template(helm3, chart, crds=False)
    assert done.returncode == 0, done.stderr
    assert routes(objects(done.stdout)) == []


def test_route_exposure_needs_a_platform_with_a_router(tmp_path: Path) -> None:
    from chartgen.errors import SpecErrors
    from chartgen.spec import check_specs

    spec = {
        "apiVersion": "chartgen/v1",
        "kind": "ModelService",
        "metadata": {"name": "routed"},
        "spec": {
            "runtime": "vllm",
            "platform": "gke",
            "model": {"source": "hf://org/m", "sizeGiB": 4},
            "exposure": {"type": "route"},
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(
        SpecErrors, match=r"spec.yaml:\d+:\d+: exposure type route needs the OpenShift"
    ):
        check_specs([path])


def test_openshift_example_is_exposed_by_a_route(helm3: Path, tmp_path: Path) -> None:
    """bert-tfserving (OpenShift) is reached through the router: before issue 11 its chart had no
    Route (and no Route option existed), now it renders one with the router timeout lifted."""
    now = routes(rendered(helm3, GENERATED / "bert-tfserving"))
    assert [r["spec"]["host"] for r in now] == ["bert.apps.example.com"]
    before = old_chart("bert-tfserving", tmp_path)
    assert routes(rendered(helm3, before)) == []


GKE_POLICIES = ("networking.gke.io/v1/GCPBackendPolicy", "networking.gke.io/v1/HealthCheckPolicy")


def gke_policies(helm: Path, chart: Path, *, served: bool) -> dict[str, dict[str, Any]]:
    served_apis = ("gateway.networking.k8s.io/v1/HTTPRoute", *(GKE_POLICIES if served else ()))
    apis = [arg for api in served_apis for arg in ("--api-versions", api)]
    done = helm_template(helm, chart, *apis, crds=False)
    assert done.returncode == 0, done.stderr
    kinds = ("GCPBackendPolicy", "HTTPRoute", "HealthCheckPolicy", "Deployment", "StatefulSet")
    return {o["kind"]: o for o in objects(done.stdout) if o["kind"] in kinds}


def test_gke_gateway_backend_lifts_the_timeout_and_checks_the_ready_path(
    helm3: Path, tmp_path: Path
) -> None:
    """llama-70b is exposed through GKE's Gateway: its Service's backend gets a GCPBackendPolicy
    with the HTTPRoute's generation timeout (GKE's default is 30 s) and a HealthCheckPolicy on the
    server's ready path (the default health check asks for "/"). Neither existed before issue 11."""
    from chartgen.rules.support.quantities import duration_seconds

    chart = GENERATED / "llama-70b"
    objs = gke_policies(helm3, chart, served=False)
    assert "GCPBackendPolicy" not in objs and "HealthCheckPolicy" not in objs
    objs = {**objs, **gke_policies(helm3, chart, served=True)}
    route_timeout = duration_seconds(objs["HTTPRoute"]["spec"]["rules"][0]["timeouts"]["request"])
    policy = objs["GCPBackendPolicy"]["spec"]
    assert policy["targetRef"] == {"group": "", "kind": "Service", "name": "rel-llama-70b"}
    assert policy["default"]["timeoutSec"] == route_timeout and route_timeout > 30
    workload = objs.get("Deployment") or objs["StatefulSet"]
    ready = workload["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]
    check = objs["HealthCheckPolicy"]["spec"]["default"]["config"]["httpHealthCheck"]
    assert check["requestPath"] == ready["path"] != "/"
    before = gke_policies(helm3, old_chart("llama-70b", tmp_path), served=True)
    assert "HTTPRoute" in before and "GCPBackendPolicy" not in before


def gateway_peers(helm: Path, chart: Path) -> list[dict[str, Any]]:
    """The peers of the NetworkPolicy rule that admits traffic on the serving port `http`."""
    done = helm_template(helm, chart, "--api-versions", "gateway.networking.k8s.io/v1/HTTPRoute")
    assert done.returncode == 0, done.stderr
    policy = next(
        o
        for o in objects(done.stdout)
        if o["kind"] == "NetworkPolicy" and "download" not in o["metadata"]["name"]
    )
    rules = policy["spec"]["ingress"]
    return [
        peer
        for rule in rules
        if [p.get("port") for p in rule.get("ports", [])] == ["http"]
        for peer in rule["from"]
    ]


def test_gke_gateway_load_balancer_reaches_the_pods(helm3: Path, tmp_path: Path) -> None:
    """GKE's Gateway is a Google Cloud load balancer, not pods in the Gateway's namespace: its
    proxies and health checks reach the pods (zonal NEGs) from 35.191.0.0/16 and 130.211.0.0/22
    (cloud.google.com/load-balancing/docs/firewall-rules). A NetworkPolicy admitting only the
    Gateway's namespace blocks them wherever GKE enforces policies (Dataplane V2); the llama-70b
    chart before this admitted only gateway-system."""
    blocks = {"35.191.0.0/16", "130.211.0.0/22"}
    peers = gateway_peers(helm3, GENERATED / "llama-70b")
    assert blocks <= {p["ipBlock"]["cidr"] for p in peers if "ipBlock" in p}
    before = gateway_peers(helm3, old_chart("llama-70b", tmp_path))
    assert not any("ipBlock" in p for p in before)
    ingress_only = gateway_peers(helm3, GENERATED / "llama-8b")
    assert not any("ipBlock" in p for p in ingress_only)
