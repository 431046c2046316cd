"""How the service is reached, watched and fenced: Service, Ingress/HTTPRoute, monitoring, policy."""

from __future__ import annotations

from typing import Any

from chartgen.catalog.profiles import PlatformProfile, RuntimeProfile
from chartgen.model.plan import Obj

NGINX_STREAMING = {  # ingress-nginx defaults cut streams at 60 s and buffer responses
    "nginx.ingress.kubernetes.io/proxy-read-timeout": "{t}",
    "nginx.ingress.kubernetes.io/proxy-send-timeout": "{t}",
    "nginx.ingress.kubernetes.io/proxy-buffering": "off",
    "nginx.ingress.kubernetes.io/proxy-body-size": "64m",
}


def plan_service(spec: dict[str, Any], ports: dict[str, int]) -> Obj:
    service = spec.get("service", {})
    return {
        "type": str(service.get("type", "ClusterIP")),
        "port": int(service.get("port", 80)),
        "grpcPort": ports.get("grpc"),
        "metricsPort": ports.get("metrics"),
        "annotations": dict(service.get("annotations", {})),
    }


def plan_ingress(exposure: dict[str, Any], timeout: int, platform: PlatformProfile) -> Obj:
    enabled = exposure.get("type") == "ingress"
    streaming = {**NGINX_STREAMING, **platform.ingress_timeout_annotations}
    annotations = {k: v.format(t=timeout) for k, v in streaming.items()} if enabled else {}
    annotations.update(exposure.get("annotations", {}) if enabled else {})
    tls = (
        [{"secretName": exposure["tlsSecret"], "hosts": [exposure["host"]]}]
        if enabled and exposure.get("tlsSecret")
        else []
    )
    return {
        "enabled": enabled,
        "className": str(exposure.get("className", "")) if enabled else "",
        "annotations": annotations,
        "host": str(exposure.get("host", "")) if enabled else "",
        "path": str(exposure.get("path", "/")),
        "tls": tls,
    }


def plan_http_route(exposure: dict[str, Any], timeout: int) -> Obj:
    enabled = exposure.get("type") == "httproute"
    gateway = exposure.get("gateway", {}) if enabled else {}
    parent: Obj = {"name": str(gateway.get("name", "gateway"))}
    for key in ("namespace", "sectionName"):
        if key in gateway:
            parent[key] = str(gateway[key])
    return {
        "enabled": enabled,
        "parentRefs": [parent] if enabled else [],
        "hostnames": [str(exposure["host"])] if enabled and exposure.get("host") else [],
        "path": str(exposure.get("path", "/")),
        "timeouts": {"request": f"{timeout}s", "backendRequest": f"{timeout}s"} if enabled else {},
        "annotations": dict(exposure.get("annotations", {})) if enabled else {},
    }


def plan_monitoring(runtime: RuntimeProfile, spec: dict[str, Any]) -> Obj:
    monitoring = spec.get("monitoring", {})
    kind = str(monitoring.get("type", "servicemonitor"))
    return {
        "serviceMonitor": kind == "servicemonitor",
        "podMonitor": kind == "podmonitor",
        "interval": str(monitoring.get("interval", "30s")),
        "labels": dict(monitoring.get("labels", {})),
        "path": runtime.metrics.path,
        "port": runtime.metrics.port,
        "alerts": bool(monitoring.get("alerts", kind != "none")),
        "dashboard": bool(monitoring.get("dashboard", kind != "none")),
        "metricNames": {
            "queue": runtime.queue_metric or "",
            "running": runtime.running_metric or "",
            "latency": runtime.latency_metric or "",
            "cacheUsage": runtime.cache_usage_metric or "",
        },
    }


def plan_network_policy(
    spec: dict[str, Any],
    platform: PlatformProfile,
    *,
    ingress: bool,
    monitored: bool,
    fetches: bool,
) -> Obj:
    """Peers the release's NetworkPolicies admit and reach, from the platform's network facts:
    the ingress controller when an Ingress exposes the service, the platform's Prometheus when
    it is scraped, the cluster DNS on the port its pods listen on, and egress beyond the cluster
    only for a server that downloads the model itself (issue 11 finding 2)."""
    policy = spec.get("security", {}).get("networkPolicy", {})
    network = platform.network
    return {
        "enabled": bool(policy.get("enabled", True)),
        "allowNamespaces": [str(n) for n in policy.get("allowNamespaces", [])],
        "ingressControllers": [dict(p) for p in network.ingress] if network and ingress else [],
        "monitoring": [dict(p) for p in network.monitoring] if network and monitored else [],
        "dns": {
            "peers": [dict(p) for p in network.dns] if network else [],
            "port": network.dns_port if network else 53,
        },
        "allowEgress": bool(policy.get("allowEgress", fetches)),
    }
