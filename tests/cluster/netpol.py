"""Offline NetworkPolicy evaluation with the real cyclonus (github.com/mattfenwick/cyclonus,
`cyclonus analyze --mode query-traffic`), over a synthetic cluster: the namespaces and pods a
platform really runs beside a release (ingress controller, Gateway, Prometheus, DNS).

The world below is the test's oracle, written from each component's own manifests and docs
(sources beside each entry), deliberately not read from chartgen's catalog: a wrong catalog value
must show up here as a blocked or an open path.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXTERNAL_HTTPS = "203.0.113.10"  # a public address outside every cluster range (TEST-NET-3)


@dataclass(frozen=True)
class Peer:
    """A pod in the synthetic cluster."""

    namespace: str
    labels: dict[str, str]
    namespace_labels: dict[str, str] = field(default_factory=dict)

    def traffic_peer(self) -> dict[str, Any]:
        ns_labels = {"kubernetes.io/metadata.name": self.namespace, **self.namespace_labels}
        return {
            "Internal": {
                "PodLabels": self.labels,
                "NamespaceLabels": ns_labels,
                "Namespace": self.namespace,
            },
            "IP": "10.64.9.9",
        }


@dataclass(frozen=True)
class Dns:
    peer: Peer
    port: int


@dataclass(frozen=True)
class World:
    """Who talks to a release on one platform."""

    ingress: Peer  # the ingress controller's pods
    monitoring: tuple[Peer, ...]  # the Prometheus that scrapes user workloads
    dns: Dns
    other: Peer = Peer("unrelated", {"app": "unrelated"})


# ingress-nginx's own deploy manifests (kubernetes/ingress-nginx deploy/static/provider/cloud/
# deploy.yaml): namespace ingress-nginx, controller pods labelled app.kubernetes.io/name=ingress-nginx.
INGRESS_NGINX = Peer(
    "ingress-nginx",
    {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"},
)
# prometheus-operator's Prometheus pods (prometheus-operator/prometheus-operator
# pkg/prometheus/statefulset.go: app.kubernetes.io/name=prometheus), kube-prometheus in `monitoring`.
PROMETHEUS = Peer("monitoring", {"app.kubernetes.io/name": "prometheus", "prometheus": "k8s"})
# CoreDNS / kube-dns keep the k8s-app=kube-dns label on every managed platform (kubernetes
# cluster/addons/dns/coredns/coredns.yaml.base); they serve on port 53.
KUBE_DNS = Dns(Peer("kube-system", {"k8s-app": "kube-dns"}), 53)

WORLDS: dict[str, World] = {
    "generic": World(ingress=INGRESS_NGINX, monitoring=(PROMETHEUS,), dns=KUBE_DNS),
    "eks": World(ingress=INGRESS_NGINX, monitoring=(PROMETHEUS,), dns=KUBE_DNS),
    # GKE managed collection scrapes from gmp-system collectors
    # (https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed).
    "gke": World(
        ingress=INGRESS_NGINX,
        monitoring=(Peer("gmp-system", {"app.kubernetes.io/name": "collector"}),),
        dns=KUBE_DNS,
    ),
    # Azure Monitor managed Prometheus: the ama-metrics replica set in kube-system
    # (https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-configuration).
    "aks": World(
        ingress=INGRESS_NGINX,
        monitoring=(Peer("kube-system", {"rsName": "ama-metrics"}),),
        dns=KUBE_DNS,
    ),
    # OpenShift: router pods in openshift-ingress, user-workload Prometheus in
    # openshift-user-workload-monitoring, namespaces labelled with their policy group; DNS pods in
    # openshift-dns listen on 5353 (docs.openshift.com networking/network_security/network_policy/
    # multitenant-network-policy, networking/dns-operator).
    "openshift": World(
        ingress=Peer(
            "openshift-ingress",
            {"ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default"},
            {
                "network.openshift.io/policy-group": "ingress",
                "policy-group.network.openshift.io/ingress": "",
            },
        ),
        monitoring=(
            Peer(
                "openshift-user-workload-monitoring",
                {"app.kubernetes.io/name": "prometheus"},
                {"network.openshift.io/policy-group": "monitoring"},
            ),
        ),
        dns=Dns(
            Peer("openshift-dns", {"dns.operator.openshift.io/daemonset-dns": "default"}), 5353
        ),
    ),
}


def gateway_peer(namespace: str, gateway: str) -> Peer:
    # Gateway API implementations label their data-plane pods with the Gateway's name
    # (gateway.networking.k8s.io/gateway-name: Istio, Envoy Gateway, NGINX Gateway Fabric).
    return Peer(namespace, {"gateway.networking.k8s.io/gateway-name": gateway})


@dataclass(frozen=True)
class Query:
    """One connection to judge: source, destination and the destination port."""

    label: str  # what the row means, e.g. "ingress-nginx -> http"
    source: dict[str, Any]
    destination: dict[str, Any]
    port: int
    port_name: str = ""
    protocol: str = "TCP"

    def traffic(self) -> dict[str, Any]:
        return {
            "Source": self.source,
            "Destination": self.destination,
            "ResolvedPort": self.port,
            "ResolvedPortName": self.port_name,
            "Protocol": self.protocol,
        }


def external(ip: str = EXTERNAL_HTTPS) -> dict[str, Any]:
    return {"Internal": None, "IP": ip}


ALLOWED = re.compile(r"^\|\s*IS ALLOWED\?\s*\|\s*(TRUE|FALSE)\s*\|", re.MULTILINE | re.IGNORECASE)


def present_empty_labels(node: Any) -> Any:
    """`matchLabels: {k: ""}` as the equivalent `k In [""]` requirement. Kubernetes requires the
    label to be present (apimachinery labels.SelectorFromSet), but cyclonus v0.5.6 compares
    `labels[key] != val` (pkg/kube/labelselector.go), so an absent label matches "": every
    namespace would pass OpenShift's `policy-group.network.openshift.io/ingress: ""`."""
    if isinstance(node, list):
        return [present_empty_labels(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: present_empty_labels(value) for key, value in node.items()}
    labels = result.get("matchLabels")
    if isinstance(labels, dict) and any(value == "" for value in labels.values()):
        result["matchLabels"] = {k: v for k, v in labels.items() if v != ""}
        result["matchExpressions"] = [
            *result.get("matchExpressions", []),
            *({"key": k, "operator": "In", "values": [""]} for k, v in labels.items() if v == ""),
        ]
    return result


def evaluate(
    cyclonus: Path, policies: list[dict[str, Any]], queries: list[Query], work: Path
) -> list[bool]:
    """Whether each query's traffic is allowed under `policies`, as cyclonus judges it."""
    policy_file, traffic_file = work / "policies.json", work / "traffic.json"
    policy_list = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList"}
    items = [present_empty_labels(p) for p in policies]
    policy_file.write_text(json.dumps({**policy_list, "items": items}), encoding="utf-8")
    traffic_file.write_text(json.dumps([q.traffic() for q in queries]), encoding="utf-8")
    argv = [
        str(cyclonus), "analyze", "--mode=query-traffic",
        f"--policy-path={policy_file}", f"--traffic-path={traffic_file}",
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"cyclonus failed ({done.returncode}):\n{done.stderr[-3000:]}")
    verdicts = [m.group(1).upper() == "TRUE" for m in ALLOWED.finditer(done.stdout)]
    if len(verdicts) != len(queries):
        raise RuntimeError(f"cyclonus judged {len(verdicts)} of {len(queries)}:\n{done.stdout}")
    return verdicts
