"""Every example chart's NetworkPolicies, rendered by the real Helm and judged by the real cyclonus
in a synthetic cluster of the chart's platform: the ingress controller, the Gateway and the
platform's Prometheus reach the serving and metrics ports exactly when the chart's values expose
or monitor them; the model server and the download Job reach DNS (the platform's port) and HTTPS
when they download; everything else is denied. Expectations come from the chart's values, never
from its NetworkPolicy values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.chart.helpers import helm_template, objects, pod_template, workload_of
from tests.cluster.charts import ExampleChart, example_charts
from tests.cluster.netpol import WORLDS, Peer, Query, World, evaluate, external, gateway_peer

pytestmark = pytest.mark.cluster
RELEASE_NS = "ml"
CLIENT = Peer(RELEASE_NS, {"app": "client"})
UNUSED_GATEWAY = gateway_peer("gateway-system", "unrelated-gateway")

# The charts as generated before issue 11's fixes: ingress only from the release namespace (so
# no scraping, no ingress controller, no Gateway), DNS only as kube-dns on 53, the download Job
# under no policy, egress open without a download. Strict: a fixed chart fails here until its
# entry goes.
FINDING_2 = "issue 11 finding 2: NetworkPolicy blocks the traffic the chart needs"
KNOWN_WRONG: dict[str, str] = {}  # every chart fixed on main (platform-model, finding 2)


# A multi-node group talks among itself on ports picked at run time (NCCL), beside the fixed
# rendezvous (torch.distributed's default master port 29500; SGLang's dist-init port 20000).
GROUP_PORTS = (20000, 29500, 43117)


def pod_labels(obj: dict[str, Any]) -> dict[str, str]:
    return dict(pod_template(obj)["metadata"]["labels"])


def container_ports(workload: dict[str, Any]) -> dict[str, int]:
    container = pod_template(workload)["spec"]["containers"][0]
    return {p["name"]: p["containerPort"] for p in container.get("ports") or []}


def exposed_by_controller(values: dict[str, Any]) -> bool:
    """An Ingress, or an OpenShift Route (served by the router in openshift-ingress)."""
    return bool(values["ingress"]["enabled"]) or bool(values.get("route", {}).get("enabled"))


def ingress_queries(
    chart: ExampleChart, world: World, server: Peer, ports: dict[str, int]
) -> list[tuple[Query, bool]]:
    """(query, expected) for connections into the model server."""
    values = chart.values
    serving = "http"
    metrics = str(values["metrics"]["port"])
    monitored = any(
        bool(values["metrics"].get(kind, {}).get("enabled"))
        for kind in ("serviceMonitor", "podMonitor", "podMonitoring")
    )
    route = values["httpRoute"]
    gateways = [
        gateway_peer(ref.get("namespace") or RELEASE_NS, ref["name"])
        for ref in (route.get("parentRefs") or [] if route.get("enabled") else [])
    ]
    exposed_to: list[tuple[str, Peer, bool]] = [
        ("release namespace", CLIENT, True),
        (world.ingress.namespace, world.ingress, exposed_by_controller(values)),
        *((f"gateway {g.namespace}", g, True) for g in gateways),
        ("unused gateway-system", UNUSED_GATEWAY, False) if not gateways else None,
        *((f"monitoring {m.namespace}", m, False) for m in world.monitoring),
        ("unrelated namespace", world.other, False),
    ]
    cells: list[tuple[Query, bool]] = []
    destination = server.traffic_peer()
    for entry in filter(None, exposed_to):
        name, peer, allowed = entry
        is_monitoring = peer in world.monitoring
        for port_name in sorted({serving, metrics}):
            expected = allowed if port_name == serving else False
            if is_monitoring and port_name == metrics:
                expected = monitored
            if name == "release namespace" and port_name != serving:
                continue  # same-namespace scraping is neither required nor forbidden
            query = Query(
                f"{name} -> server:{port_name}",
                peer.traffic_peer(),
                destination,
                ports[port_name],
                port_name,
            )
            cells.append((query, expected))
    return cells


def egress_queries(
    label: str, pod: Peer, world: World, downloads: bool | None
) -> list[tuple[Query, bool]]:
    """(query, expected) for connections out of a pod: DNS and HTTPS when it downloads the model
    (`downloads` True), HTTPS denied when nothing it runs downloads (False), neither asserted
    when another pod downloads (None: a server may still ask the hub for the revision)."""
    if downloads is None:
        return []
    dns = world.dns
    cells: list[tuple[Query, bool]] = [
        (Query(f"{label} -> https", pod.traffic_peer(), external(), 443), downloads)
    ]
    if downloads:
        for protocol, name in (("UDP", "dns"), ("TCP", "dns-tcp")):
            query = Query(
                f"{label} -> dns {dns.peer.namespace}:{dns.port}/{protocol}",
                pod.traffic_peer(),
                dns.peer.traffic_peer(),
                dns.port,
                name,
                protocol,
            )
            cells.append((query, True))
    return cells


def queries(chart: ExampleChart, objs: list[dict[str, Any]]) -> list[tuple[Query, bool]]:
    world = WORLDS[chart.platform]
    workload = workload_of(objs)
    server = Peer(RELEASE_NS, pod_labels(workload))
    server_downloads, job_downloads = chart.downloads()
    cells = ingress_queries(chart, world, server, container_ports(workload))
    server_egress = None if job_downloads else server_downloads
    cells += egress_queries("server", server, world, server_egress)
    if workload["kind"] == "LeaderWorkerSet":
        labels = workload["spec"]["leaderWorkerTemplate"]["workerTemplate"]["metadata"]["labels"]
        worker = Peer(RELEASE_NS, dict(labels))
        cells += egress_queries("worker", worker, world, server_egress)
        cells += group_queries(server, worker)
    for job in (o for o in objs if o["kind"] == "Job"):
        cells += egress_queries(
            "download job", Peer(RELEASE_NS, pod_labels(job)), world, job_downloads
        )
    return cells


def group_queries(leader: Peer, worker: Peer) -> list[tuple[Query, bool]]:
    """Leader and workers of a LeaderWorkerSet group reach each other on any port."""
    cells = []
    for port in GROUP_PORTS:
        for label, source, target in (
            ("worker -> leader", worker, leader),
            ("leader -> worker", leader, worker),
        ):
            query = Query(f"{label}:{port}", source.traffic_peer(), target.traffic_peer(), port)
            cells.append((query, True))
    return cells


def judge(
    helm: Path, cyclonus: Path, chart: ExampleChart, work: Path
) -> tuple[list[str], list[str]]:
    """(every cell as a line, the wrong ones)."""
    done = helm_template(helm, chart.path)
    assert done.returncode == 0, done.stderr
    objs = objects(done.stdout)
    policies = [
        {**o, "metadata": {**o["metadata"], "namespace": RELEASE_NS}}
        for o in objs
        if o["kind"] == "NetworkPolicy"
    ]
    cells = queries(chart, objs)
    verdicts = evaluate(cyclonus, policies, [q for q, _ in cells], work)
    lines, wrong = [], []
    for (query, expected), allowed in zip(cells, verdicts, strict=True):
        line = f"{query.label}: {'allowed' if allowed else 'denied'}"
        lines.append(line)
        if allowed != expected:
            wrong.append(f"{line}, expected {'allowed' if expected else 'denied'}")
    return lines, wrong


def cases() -> list[Any]:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[
                pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_WRONG[c.name])
            ],
        )
        if c.name in KNOWN_WRONG
        else pytest.param(c, id=c.name)
        for c in example_charts()
    ]


def frozen_charts() -> list[ExampleChart]:
    """The examples that existed at 2471155 (later ones have no chart as it was)."""
    return [c for c in example_charts() if (FROZEN / c.name).is_dir()]


@pytest.mark.parametrize("chart", cases())
def test_network_policies_admit_exactly_what_the_chart_needs(
    helm3: Path, cyclonus: Path, chart: ExampleChart, tmp_path: Path
) -> None:
    lines, wrong = judge(helm3, cyclonus, chart, tmp_path)
    assert not wrong, (
        f"{chart.name} on {chart.platform}:\n" + "\n".join(wrong) + "\nall:\n" + "\n".join(lines)
    )


def test_cyclonus_denies_what_a_default_deny_policy_denies(cyclonus: Path, tmp_path: Path) -> None:
    deny = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "namespace": RELEASE_NS},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    }
    server = Peer(RELEASE_NS, {"app": "server"})
    into = Query("in", CLIENT.traffic_peer(), server.traffic_peer(), 8000, "http")
    out = Query("out", server.traffic_peer(), external(), 443)
    elsewhere = Query("other ns", WORLDS["generic"].other.traffic_peer(), CLIENT.traffic_peer(), 80)
    assert evaluate(cyclonus, [deny], [into, out, elsewhere], tmp_path) == [False, False, False]
    assert evaluate(cyclonus, [], [into, out], tmp_path) == [True, True]


def test_the_expectations_are_satisfiable_by_a_policy_written_from_the_docs(
    helm3: Path, cyclonus: Path, tmp_path: Path
) -> None:
    """A positive control for the oracle: the policy an engineer would write for qwen-sglang on
    EKS (ingress-nginx and Prometheus in, DNS and public HTTPS out) meets every expectation."""
    chart = next(c for c in example_charts() if c.name == "qwen-sglang")
    done = helm_template(helm3, chart.path)
    assert done.returncode == 0, done.stderr
    objs = [o for o in objects(done.stdout) if o["kind"] != "NetworkPolicy"]
    workload = workload_of(objs)
    world = WORLDS["eks"]

    def namespace(peer: Peer) -> dict[str, Any]:
        return {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": peer.namespace}}
        }

    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "written-by-hand", "namespace": RELEASE_NS},
        "spec": {
            "podSelector": {"matchLabels": workload["spec"]["selector"]["matchLabels"]},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [
                        {"podSelector": {}},
                        namespace(world.ingress),
                        *map(namespace, world.monitoring),
                    ],
                    "ports": [{"port": "http", "protocol": "TCP"}],
                }
            ],
            "egress": [
                {
                    "to": [
                        {
                            **namespace(world.dns.peer),
                            "podSelector": {"matchLabels": world.dns.peer.labels},
                        }
                    ],
                    "ports": [{"port": world.dns.port, "protocol": p} for p in ("UDP", "TCP")],
                },
                {
                    "to": [
                        {
                            "ipBlock": {
                                "cidr": "0.0.0.0/0",
                                "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
                            }
                        }
                    ],
                    "ports": [{"port": 443, "protocol": "TCP"}],
                },
            ],
        },
    }
    cells = queries(chart, objs)
    verdicts = evaluate(cyclonus, [policy], [q for q, _ in cells], tmp_path)
    wrong = [q.label for (q, want), got in zip(cells, verdicts, strict=True) if want != got]
    assert not wrong
    assert len(cells) >= 8  # release ns, ingress, gateway, monitoring, unrelated, https, 2 x DNS


FROZEN = Path(__file__).resolve().parents[1] / "rules" / "frozen-2471155"


@pytest.mark.parametrize("chart", frozen_charts(), ids=lambda c: c.name)
def test_the_policies_as_they_were_blocked_what_the_chart_needs(
    helm3: Path, cyclonus: Path, chart: ExampleChart, tmp_path: Path
) -> None:
    """Issue 11 finding 2 on the charts of 2471155: each one's policies get a needed path wrong."""
    values = yaml.safe_load((FROZEN / chart.name / "values.yaml").read_text(encoding="utf-8"))
    frozen = ExampleChart(chart.name, FROZEN / chart.name, chart.document, values)
    _, wrong = judge(helm3, cyclonus, frozen, tmp_path)
    assert wrong, f"{chart.name}: the 2471155 policies meet every expectation"
