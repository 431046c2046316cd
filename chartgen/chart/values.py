"""ServingPlan -> values.yaml content: every install-time knob, in a fixed order, each documented."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chartgen.model.plan import API_KEY_ENV, AuthPlan, Obj, ServingPlan

TEST_IMAGE = "curlimages/curl:8.11.1"
OPENAI_MODELS_PATH = "/v1/models"
TEST_UID = 65534  # the image's USER is a name, which runAsNonRoot cannot verify; unset on OpenShift
TEST_DESCRIPTIONS = {  # what the test pod really does, per the runtime's API (catalog `api`)
    "openai": "one completion (max_tokens 1) and one streamed chat completion, checking the"
    " response shapes (choices[].text; data: chunks ending [DONE]).",
    "kserve-v2": "model readiness and metadata (inputs) over the KServe v2 protocol; no tensor is"
    " sent, the input shapes are model-specific.",
    "tfserving": "model version status AVAILABLE and its signature metadata (REST API).",
    "torchserve": "one prediction with a 1x1 PNG image, checking a JSON response.",
    "": "readiness of the declared endpoint only (custom runtime).",
}


@dataclass(frozen=True)
class Value:
    key: str
    default: Any
    description: str


def values_for(plan: ServingPlan) -> list[Value]:
    """The top-level values in the order they appear in values.yaml."""
    return (
        _identity(plan)
        + _container(plan)
        + _pod(plan)
        + _scaling(plan)
        + _surface(plan)
        + _extras(plan)
    )


def _identity(plan: ServingPlan) -> list[Value]:
    return [
        Value("nameOverride", "", "Replaces the chart name in object names."),
        Value("fullnameOverride", "", "Replaces the generated full name of every object."),
        Value(
            "commonLabels",
            plan.common_labels,
            "Labels added to every object (from the spec metadata).",
        ),
        Value("commonAnnotations", plan.common_annotations, "Annotations added to the workload."),
        Value(
            "model",
            plan.model.values(),
            "The served model: source URI, revision, served name, approximate size (GiB) and format.",
        ),
        Value(
            "runtime",
            {"name": plan.runtime.name},
            "Serving runtime this chart was generated for (informational).",
        ),
    ]


def _container(plan: ServingPlan) -> list[Value]:
    return [
        Value(
            "image",
            plan.image.values(),
            "Container image; a digest, when set, pins it and wins over the tag.",
        ),
        Value(
            "imagePullSecrets",
            [{"name": name} for name in plan.image_pull_secrets],
            "Secrets for pulling the image from a private registry.",
        ),
        Value("command", plan.command, "Container command; empty keeps the image entrypoint."),
        Value(
            "args",
            plan.args,
            "Runtime arguments derived from the spec (model, parallelism = GPU count, limits).",
        ),
        Value(
            "env",
            [item.values() for item in plan.env],
            "Environment; secrets only through secretKeyRef, never literal values.",
        ),
        *_auth(plan),
        Value(
            "envFrom",
            [{"secretRef": {"name": name}} for name in plan.env_from_secrets],
            "Whole Secrets or ConfigMaps exposed as environment (object storage credentials).",
        ),
        Value(
            "containerPorts",
            plan.ports,
            "Container ports by name; probes and the Service refer to these names.",
        ),
        Value(
            "resources",
            plan.resources.values(),
            "Requests equal limits for GPUs; the memory limit includes the /dev/shm size.",
        ),
        Value(
            "shm",
            {"enabled": plan.shm_gib > 0, "sizeLimit": _gib_text(plan.shm_gib)},
            "/dev/shm as a memory-backed emptyDir (NCCL and multi-process runtimes need more than 64 MiB).",
        ),
        Value(
            "startupProbe",
            plan.probes.startup.values(),
            f"Startup probe: {plan.probes.startup_budget_seconds}s budget {plan.probes.budget_explanation}.",
        ),
        Value(
            "startupBudgetSeconds",
            plan.probes.startup_budget_seconds,
            "Seconds the model may take to load (informational, used in NOTES).",
        ),
        Value(
            "readinessProbe",
            plan.probes.readiness.values(),
            "Readiness probe on the runtime's model-loaded endpoint.",
        ),
        Value(
            "livenessProbe",
            plan.probes.liveness.values(),
            "Liveness probe on an endpoint that stays green while the server is busy.",
        ),
        Value(
            "drain",
            plan.drain.values(),
            "Graceful drain: preStop sleep (the kubelet's own sleep action on Kubernetes >= 1.30,"
            " no sleep binary needed in the image), then the runtime drains in-flight requests.",
        ),
        Value(
            "terminationGracePeriodSeconds",
            plan.drain.grace_period_seconds,
            "Covers preStop + drain + a margin.",
        ),
        Value(
            "progressDeadlineSeconds",
            plan.probes.progress_deadline_seconds,
            "Covers the image pull, the pre-download Job (when enabled) and the startup budget.",
        ),
        Value(
            "cache",
            plan.cache.values(),
            "Model cache volume: pvc (shared claim), per-replica (StatefulSet), emptyDir or none.",
        ),
        Value(
            "writableDirs",
            [item.values() for item in plan.writable_dirs],
            "emptyDir mounts the runtime writes to under a read-only root filesystem.",
        ),
        Value(
            "download",
            plan.download.values(),
            "Pre-download Job into the shared cache; pods wait for it with an init container.",
        ),
        Value(
            "configFiles",
            dict(plan.runtime.config_files),
            "Runtime configuration files, mounted read-only at /etc/chartgen from a ConfigMap.",
        ),
        Value("extraVolumes", _extra_volumes(plan), "Additional pod volumes."),
        Value(
            "extraVolumeMounts", _extra_volume_mounts(plan), "Additional container volume mounts."
        ),
    ]


def _auth(plan: ServingPlan) -> list[Value]:
    """`auth.apiKey`, for runtimes that take an API key: set secretName to require one."""
    runtime = plan.runtime.api_key
    if runtime is None:
        return []
    block = (
        plan.auth.values()
        if plan.auth
        else AuthPlan("", "api-key", runtime.env or API_KEY_ENV, runtime.flag).values()
    )
    # No "--" in the text: helm-docs would take it for a new `# --` comment.
    flag = str(block["flag"]).lstrip("-")
    how = f"as $({block['env']}) after its {flag} flag" if flag else f"as {block['env']}"
    return [
        Value(
            "auth",
            {"apiKey": block},
            "API key clients must send (Authorization: Bearer), from key `key` of Secret"
            f" `secretName` (empty: no key); the server gets it {how}, the helm test sends it."
            " Health and metrics paths stay open.",
        )
    ]


def _pod(plan: ServingPlan) -> list[Value]:
    return [
        Value(
            "workload",
            {"kind": plan.workload_kind},
            "Deployment, or StatefulSet when each replica needs its own cache, or LeaderWorkerSet"
            " when a replica spans nodes.",
        ),
        *_multinode(plan),
        Value(
            "serviceAccount",
            plan.service_account.values(),
            "Service account; the API token is not mounted (the server never calls the API).",
        ),
        Value(
            "podAnnotations",
            plan.pod_annotations,
            "Pod annotations; chartgen.dev/* record facts the linter uses.",
        ),
        Value("podLabels", {}, "Extra pod labels."),
        Value(
            "podSecurityContext",
            plan.pod_security.values(),
            "Pod security context: restricted Pod Security by default.",
        ),
        Value(
            "securityContext",
            plan.container_security.values(),
            "Container security context: no privilege escalation, all capabilities dropped.",
        ),
        Value(
            "nodeSelector",
            plan.node_selector,
            "Node selection; GPU labels for the platform are derived from the spec.",
        ),
        Value(
            "tolerations",
            [t.values() for t in plan.gpu.tolerations] + [dict(t) for t in plan.extra_tolerations],
            "Tolerations; the platform's GPU taint is tolerated explicitly.",
        ),
        Value(
            "affinity",
            plan.affinity.values(),
            "Affinity rules; with topologySpread on, a preferred one-per-node pod anti-affinity"
            " is added unless this sets podAntiAffinity.",
        ),
        Value(
            "runtimeClassName",
            plan.gpu.runtime_class or "",
            "RuntimeClass; set only on platforms where it exists.",
        ),
        Value("priorityClassName", plan.priority_class, "PriorityClass of the pods."),
        Value(
            "topologySpread",
            {
                "enabled": bool(plan.scaling.topology_spread),
                "constraints": [item.values() for item in plan.scaling.topology_spread],
            },
            "Spread replicas across zones and nodes (ScheduleAnyway: GPU pools are often in one zone).",
        ),
    ]


def _scaling(plan: ServingPlan) -> list[Value]:
    return [
        Value(
            "replicaCount",
            plan.scaling.replicas,
            "Replicas; omitted from the workload when an autoscaler owns them.",
        ),
        _strategy(plan),
        Value(
            "autoscaling",
            plan.scaling.autoscaling.values(),
            "HPA or KEDA; LLM runtimes scale on their queue-depth metric by default.",
        ),
        Value(
            "podDisruptionBudget",
            plan.scaling.pdb.values(),
            "Disruption budget; only with two or more replicas, never blocking drains.",
        ),
    ]


def _multinode(plan: ServingPlan) -> list[Value]:
    if plan.multinode is None:
        return []
    return [
        Value(
            "multiNode",
            plan.multinode.values(),
            "One replica across nodes (LeaderWorkerSet group): pods per group (leader + workers,"
            " one per node), GPUs per node, the arguments the leader and the workers add, and"
            " the group's startup and restart policies.",
        )
    ]


def _strategy(plan: ServingPlan) -> Value:
    if plan.multinode is None:
        return Value(
            "strategy",
            plan.scaling.strategy.values(),
            f"Rollout strategy: {plan.scaling.strategy_reason}.",
        )
    rollout = plan.multinode.rollout
    return Value(
        "strategy",
        rollout.values(),
        f"LeaderWorkerSet rollout, counted in groups: {rollout.reason}.",
    )


def _surface(plan: ServingPlan) -> list[Value]:
    ready_path = plan.probes.readiness.path
    return [
        Value("service", plan.service.values(), "Service in front of the model server."),
        Value(
            "ingress",
            plan.ingress.values(),
            "Ingress with timeouts long enough for streamed responses.",
        ),
        Value(
            "httpRoute",
            plan.http_route.values(),
            "Gateway API HTTPRoute with request timeouts for streamed responses.",
        ),
        *_inference_pool(plan),
        Value(
            "route",
            plan.route.values(),
            "OpenShift Route with the router timeout lifted for streamed responses; TLS at the router.",
        ),
        Value(
            "gkeGateway",
            plan.gateway_backend.values(),
            "GKE Gateway backend of the HTTPRoute: GCPBackendPolicy timeout (GKE's default 30 s cuts"
            " generations) and a HealthCheckPolicy on the ready path (the default probes /).",
        ),
        Value(
            "metrics",
            plan.monitoring.values(),
            "ServiceMonitor/PodMonitor (and PodMonitoring for managed Prometheus on GKE) on the"
            " runtime's metrics endpoint, alerts and a Grafana dashboard.",
        ),
        Value(
            "networkPolicy",
            plan.network_policy.values(),
            "NetworkPolicy: serving ports from this namespace and the listed ones; DNS egress.",
        ),
        Value(
            "tests",
            {
                "enabled": True,
                "image": TEST_IMAGE,
                "readyPath": ready_path,
                "modelsPath": OPENAI_MODELS_PATH if plan.runtime.api == "openai" else "",
                "api": plan.runtime.api,
                "runAsUser": TEST_UID if plan.platform.fixed_uid_allowed else None,
                "description": TEST_DESCRIPTIONS[plan.runtime.api],
                **_listed_adapters(plan),
            },
            "`helm test` pod: " + TEST_DESCRIPTIONS[plan.runtime.api],
        ),
    ]


def _inference_pool(plan: ServingPlan) -> list[Value]:
    if plan.inference_pool is None:
        return []
    return [
        Value(
            "inferencePool",
            plan.inference_pool.values(),
            "Model-aware routing (Gateway API Inference Extension): an InferencePool over the"
            " server pods as the HTTPRoute's backend, and its endpoint picker (EPP) that the Gateway"
            " asks which pod serves each request. Rendered when the cluster serves InferencePool;"
            " otherwise the route keeps the Service as its backend.",
        )
    ]


def _listed_adapters(plan: ServingPlan) -> dict[str, list[str]]:
    """LoRA adapter names the test expects in the model list, where the runtime lists them."""
    if not (plan.loras and plan.runtime.lists_adapters and plan.runtime.api == "openai"):
        return {}
    return {"adapters": [lora.name for lora in plan.loras]}


def _extras(plan: ServingPlan) -> list[Value]:
    return [
        Value(
            "apiVersions",
            [],
            "API versions (group/version/Kind) to treat as served besides the cluster's: objects"
            " of CRD kinds (ServiceMonitor, PodMonitor, PodMonitoring, PrometheusRule, ScaledObject,"
            " HTTPRoute, Route, GCPBackendPolicy, HealthCheckPolicy)"
            " render only when the cluster serves them.",
        ),
        Value(
            "extraObjects",
            [dict(item) for item in plan.extra_objects],
            "Additional Kubernetes objects rendered as they are.",
        ),
    ]


def _extra_volumes(plan: ServingPlan) -> list[Obj]:
    own = [plan.credentials_file.volume()] if plan.credentials_file else []
    return [dict(item) for item in plan.extra_volumes] + own


def _extra_volume_mounts(plan: ServingPlan) -> list[Obj]:
    own = [plan.credentials_file.mount()] if plan.credentials_file else []
    return [dict(item) for item in plan.extra_volume_mounts] + own


def _gib_text(value: float) -> str:
    from chartgen.quantity import format_gib

    return format_gib(value)
