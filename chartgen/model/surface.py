"""How the service is reached, watched and fenced: Service, Ingress/HTTPRoute, monitoring, policy."""

from __future__ import annotations

from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import PlatformProfile, RuntimeProfile
from chartgen.errors import UserError
from chartgen.model.plan import (
    GatewayBackendPlan,
    GatewayRef,
    HttpRoutePlan,
    InferencePoolPlan,
    IngressPlan,
    IngressTls,
    MetricNames,
    MonitoringPlan,
    NetworkPolicyPlan,
    RoutePlan,
    ServicePlan,
)

DNS_PORT = 53  # where no platform network facts say otherwise


def nginx_streaming() -> dict[str, str]:
    """ingress-nginx annotations that keep streams open ("{t}": the timeout) and unbuffered."""
    nginx = catalog.ingress_nginx()
    timeouts = {nginx.annotation_prefix + name: "{t}" for name in nginx.timeout_annotations}
    settings = {nginx.annotation_prefix + k: v for k, v in nginx.streaming_annotations.items()}
    return {**timeouts, **settings}


def plan_service(spec: dict[str, Any], ports: dict[str, int]) -> ServicePlan:
    service = spec.get("service", {})
    return ServicePlan(
        type=str(service.get("type", "ClusterIP")),
        port=int(service.get("port", 80)),
        grpc_port=ports.get("grpc"),
        metrics_port=ports.get("metrics"),
        annotations=dict(service.get("annotations", {})),
    )


def plan_ingress(exposure: dict[str, Any], timeout: int, platform: PlatformProfile) -> IngressPlan:
    enabled = exposure.get("type") == "ingress"
    streaming = {**nginx_streaming(), **platform.ingress_timeout_annotations}
    annotations = {k: v.format(t=timeout) for k, v in streaming.items()} if enabled else {}
    annotations.update(exposure.get("annotations", {}) if enabled else {})
    tls = (
        (IngressTls(exposure["tlsSecret"], (exposure["host"],)),)
        if enabled and exposure.get("tlsSecret")
        else ()
    )
    return IngressPlan(
        enabled=enabled,
        class_name=str(exposure.get("className", "")) if enabled else "",
        annotations=annotations,
        host=str(exposure.get("host", "")) if enabled else "",
        path=str(exposure.get("path", "/")),
        tls=tls,
    )


def plan_http_route(exposure: dict[str, Any], timeout: int) -> HttpRoutePlan:
    enabled = exposure.get("type") in ("httproute", "inferencepool")
    gateway = exposure.get("gateway", {}) if enabled else {}
    parent = GatewayRef(
        name=str(gateway.get("name", "gateway")),
        namespace=str(gateway["namespace"]) if "namespace" in gateway else None,
        section_name=str(gateway["sectionName"]) if "sectionName" in gateway else None,
    )
    return HttpRoutePlan(
        enabled=enabled,
        parent_refs=(parent,) if enabled else (),
        hostnames=(str(exposure["host"]),) if enabled and exposure.get("host") else (),
        path=str(exposure.get("path", "/")),
        timeout_seconds=timeout,
        annotations=dict(exposure.get("annotations", {})) if enabled else {},
    )


def plan_route(exposure: dict[str, Any], timeout: int, platform: PlatformProfile) -> RoutePlan:
    """The Route, annotated with the router's own timeout: HAProxy cuts a response after 30 s
    without data by default, long before a generation ends."""
    enabled = exposure.get("type") == "route" and platform.router is not None
    router = platform.router
    annotations = (
        {router.timeout_annotation: router.timeout_value.format(t=timeout)}
        if enabled and router
        else {}
    )
    annotations.update(exposure.get("annotations", {}) if enabled else {})
    return RoutePlan(
        enabled=enabled,
        host=str(exposure.get("host", "")) if enabled else "",
        path=str(exposure.get("path", "/")),
        annotations=annotations,
        termination=str(exposure.get("termination", "edge")),
    )


def plan_gateway_backend(
    exposure: dict[str, Any], timeout: int, platform: PlatformProfile, ready: tuple[str, str]
) -> GatewayBackendPlan:
    """Where the platform's Gateway controller has its own backend defaults (GKE), the policies
    that make an HTTPRoute's backend serve generations: `ready` is the (path, port) to probe."""
    facts = platform.gateway_backend
    enabled = exposure.get("type") == "httproute" and facts is not None
    return GatewayBackendPlan(
        enabled=enabled,
        timeout_seconds=max(timeout, facts.default_timeout_seconds) if facts else timeout,
        health_path=ready[0],
        health_port=ready[1],
    )


def plan_monitoring(
    runtime: RuntimeProfile, spec: dict[str, Any], platform: PlatformProfile, *, no_ready_for: str
) -> MonitoringPlan:
    """The monitor the spec asks for, and beside it a PodMonitoring where the platform's managed
    Prometheus reads only those (GKE): each renders where the cluster serves its kind."""
    monitoring = spec.get("monitoring", {})
    kind = str(monitoring.get("type", "servicemonitor"))
    return MonitoringPlan(
        pod_monitoring=kind != "none" and platform.pod_monitoring,
        service_monitor=kind == "servicemonitor",
        pod_monitor=kind == "podmonitor",
        interval=str(monitoring.get("interval", "30s")),
        labels=dict(monitoring.get("labels", {})),
        path=runtime.metrics.path,
        port=runtime.metrics.port,
        alerts=bool(monitoring.get("alerts", kind != "none")),
        dashboard=bool(monitoring.get("dashboard", kind != "none")),
        metric_names=MetricNames(
            queue=runtime.queue_metric or "",
            running=runtime.running_metric or "",
            latency=runtime.latency_metric or "",
            cache_usage=runtime.cache_usage_metric or "",
        ),
        no_ready_for=no_ready_for,
    )


def plan_network_policy(
    spec: dict[str, Any],
    platform: PlatformProfile,
    *,
    ingress: bool,
    routed: bool,
    monitored: bool,
    fetches: bool,
) -> NetworkPolicyPlan:
    """Peers the release's NetworkPolicies admit and reach, from the platform's network facts:
    the ingress controller when an Ingress exposes the service, the cloud load balancer's
    proxies when a Gateway routes to it, the platform's Prometheus when
    it is scraped, the cluster DNS on the port its pods listen on, and egress beyond the cluster
    only for a server that downloads the model itself (issue 11 finding 2)."""
    policy = spec.get("security", {}).get("networkPolicy", {})
    network = platform.network
    return NetworkPolicyPlan(
        enabled=bool(policy.get("enabled", True)),
        allow_namespaces=tuple(str(n) for n in policy.get("allowNamespaces", [])),
        ingress_controllers=tuple(network.ingress) if network and ingress else (),
        monitoring=tuple(network.monitoring) if network and monitored else (),
        dns_peers=tuple(network.dns) if network else (),
        dns_port=network.dns_port if network else DNS_PORT,
        allow_egress=bool(policy.get("allowEgress", fetches)),
        gateway_proxies=tuple(network.gateway) if network and routed else (),
    )


def plan_inference_pool(
    runtime: RuntimeProfile, exposure: dict[str, Any], platform_fixes_uid: bool
) -> InferencePoolPlan | None:
    """exposure.type inferencepool: the pool over the server pods and the EPP as the pinned
    upstream release deploys it (catalog inference_extension.yaml)."""
    if exposure.get("type") != "inferencepool":
        return None
    facts = catalog.inference_extension()
    if runtime.name not in facts.model_servers:  # the spec check reports it with its position
        raise UserError(f"the endpoint picker does not support runtime {runtime.name}")
    engine = "" if runtime.name == "vllm" else f"\n  parameters:\n    defaultEngine: {runtime.name}"
    return InferencePoolPlan(
        model_server=runtime.name,
        target_port=runtime.ports.http,
        image=facts.epp_image,
        ext_proc_port=facts.ext_proc_port,
        health_port=facts.health_port,
        metrics_port=facts.metrics_port,
        health_service=facts.health_service,
        failure_mode=facts.failure_mode,
        run_as_user=facts.run_as_user if platform_fixes_uid else None,
        termination_grace_seconds=facts.termination_grace_seconds,
        resources=facts.resources,
        flags=facts.model_servers[runtime.name],
        config=facts.config.format(metrics_path=runtime.metrics.path, engine=engine),
    )
