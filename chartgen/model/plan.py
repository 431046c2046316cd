"""The resolved serving plan: every decision made, every default filled, ready to become values.

Each decided value is a frozen dataclass whose fields say what they hold; its `values()` lays it
out as the chart's values block. Only what the spec passes through as raw Kubernetes (extra
tolerations, affinity, volumes, objects) stays a plain mapping (`RawObject`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chartgen.catalog.nodes import INSTANCE_TYPE_LABEL
from chartgen.catalog.profiles import PlatformProfile, RuntimeProfile

Obj = dict[str, Any]  # a values block or Kubernetes object as laid out for the chart
RawObject = dict[str, Any]  # raw Kubernetes the spec passes through unchanged
API_KEY_ENV = "CHARTGEN_API_KEY"  # the chart's own variable, for runtimes that take only a flag


@dataclass(frozen=True)
class EnvVar:
    """One container environment variable: a literal value, or a Secret/ConfigMap key."""

    name: str
    value: str = ""
    ref_kind: str = ""  # "secretKeyRef" | "configMapKeyRef"; "" for a literal value
    ref_name: str = ""
    ref_key: str = ""

    def values(self) -> Obj:
        if self.ref_kind:
            ref = {"name": self.ref_name, "key": self.ref_key}
            return {"name": self.name, "valueFrom": {self.ref_kind: ref}}
        return {"name": self.name, "value": self.value}


@dataclass(frozen=True)
class Toleration:
    key: str
    effect: str
    operator: str = "Exists"
    value: str | None = None  # only with operator Equal

    def values(self) -> Obj:
        laid: Obj = {"key": self.key, "operator": self.operator}
        if self.value is not None:
            laid["value"] = self.value
        laid["effect"] = self.effect
        return laid


@dataclass(frozen=True)
class GpuPlan:
    count: int
    resource: str | None  # extended resource name, None for CPU-only
    vendor: str
    product: str | None
    mig: str | None
    node_selector: dict[str, str]
    tolerations: tuple[Toleration, ...]
    runtime_class: str | None
    memory_gib: int | None  # per-GPU memory, when the product is known
    node_pool: str  # the platform's node-pool variant the placement is for
    instance_types: tuple[str, ...] = ()  # required node.kubernetes.io/instance-type values


@dataclass(frozen=True)
class HttpProbe:
    path: str
    port: str  # container port name
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int

    def values(self) -> Obj:
        return {
            "httpGet": {"path": self.path, "port": self.port},
            "periodSeconds": self.period_seconds,
            "timeoutSeconds": self.timeout_seconds,
            "failureThreshold": self.failure_threshold,
        }


@dataclass(frozen=True)
class ProbePlan:
    startup: HttpProbe
    readiness: HttpProbe
    liveness: HttpProbe
    startup_budget_seconds: int
    progress_deadline_seconds: int
    budget_explanation: str


@dataclass(frozen=True)
class DrainPlan:
    pre_stop_seconds: int
    drain_seconds: int
    grace_period_seconds: int
    sleep_action: bool = False  # preStop `sleep:` handler (Kubernetes >= 1.30) instead of exec

    def values(self) -> Obj:
        """The chart's `drain:` values block."""
        return {
            "preStopSeconds": self.pre_stop_seconds,
            "drainSeconds": self.drain_seconds,
            "sleepAction": self.sleep_action,
        }


@dataclass(frozen=True)
class ActivationPlan:
    """KEDA's wake-from-zero trigger: a Prometheus query and the value that wakes the workload."""

    query: str
    threshold: Any  # as the spec wrote it (number or quantity text)
    server_address: str

    def values(self) -> Obj:
        return {
            "query": self.query,
            "threshold": self.threshold,
            "serverAddress": self.server_address,
        }


@dataclass(frozen=True)
class AutoscalingPlan:
    enabled: bool
    engine: str  # hpa | keda
    min_replicas: int
    max_replicas: int
    signal: str  # queue-depth | cpu | memory | rps
    metric: str | None  # the runtime's queue metric for queue-depth, else ""
    target: float
    prometheus_address: str
    activation: ActivationPlan
    prometheus_auth_secret: str
    prometheus_auth_mode: str
    scale_up_period_seconds: int
    scale_down_stabilization_seconds: int
    cooldown_period_seconds: int
    request_metric: str = "http_requests_total"

    @property
    def floor(self) -> int:
        """Replicas never scaled below, when an autoscaler owns them."""
        return self.min_replicas

    def values(self) -> Obj:
        """The chart's `autoscaling:` values block."""
        return {
            "enabled": self.enabled,
            "engine": self.engine,
            "minReplicas": self.min_replicas,
            "maxReplicas": self.max_replicas,
            "signal": self.signal,
            "metric": self.metric,
            "target": self.target,
            "prometheusAddress": self.prometheus_address,
            "activation": self.activation.values(),
            "prometheusAuth": {
                "secretName": self.prometheus_auth_secret,
                "mode": self.prometheus_auth_mode,
            },
            "scaleUpPeriodSeconds": self.scale_up_period_seconds,
            "scaleDownStabilizationSeconds": self.scale_down_stabilization_seconds,
            "cooldownPeriod": self.cooldown_period_seconds,
            "requestMetric": self.request_metric,
        }


@dataclass(frozen=True)
class StrategyPlan:
    """Deployment strategy / StatefulSet updateStrategy; surge and unavailable only for a
    Deployment's RollingUpdate (counts or percentages)."""

    type: str  # RollingUpdate | Recreate
    max_surge: int | str | None = None
    max_unavailable: int | str | None = None

    def values(self) -> Obj:
        if self.max_surge is None:
            return {"type": self.type}
        surge = {"maxSurge": self.max_surge, "maxUnavailable": self.max_unavailable}
        return {"type": self.type, "rollingUpdate": surge}


@dataclass(frozen=True)
class DisruptionBudgetPlan:
    enabled: bool
    max_unavailable: int

    def values(self) -> Obj:
        return {"enabled": self.enabled, "maxUnavailable": self.max_unavailable}


@dataclass(frozen=True)
class SpreadConstraint:
    topology_key: str
    max_skew: int = 1
    when_unsatisfiable: str = "ScheduleAnyway"

    def values(self) -> Obj:
        return {
            "maxSkew": self.max_skew,
            "topologyKey": self.topology_key,
            "whenUnsatisfiable": self.when_unsatisfiable,
        }


@dataclass(frozen=True)
class ScalingPlan:
    replicas: int
    autoscaling: AutoscalingPlan
    strategy: StrategyPlan
    strategy_reason: str
    pdb: DisruptionBudgetPlan
    topology_spread: tuple[SpreadConstraint, ...]
    spare_gpus: int = 0  # free GPUs a surge rollout may use (spec rollout.spareGpus)

    @property
    def floor(self) -> int:
        """The fewest replicas running outside a rollout."""
        return self.autoscaling.min_replicas if self.autoscaling.enabled else self.replicas


@dataclass(frozen=True)
class ImagePlan:
    """The server image: a digest, when set, pins it and wins over the tag."""

    repository: str
    tag: str
    digest: str
    pull_policy: str

    def values(self) -> Obj:
        """The chart's `image:` values block."""
        return {
            "repository": self.repository,
            "tag": self.tag,
            "digest": self.digest,
            "pullPolicy": self.pull_policy,
        }


@dataclass(frozen=True)
class ModelPlan:
    """The served model as decided: where it comes from, under which name, how big."""

    source: str  # URI as the spec gave it (hf://, s3://, gs://, https://, pvc://, image://)
    revision: str  # "" when not pinned
    served_name: str
    size_gib: float
    format: str

    def values(self) -> Obj:
        """The chart's `model:` values block."""
        return {
            "source": self.source,
            "revision": self.revision,
            "servedName": self.served_name,
            "sizeGiB": self.size_gib,
            "format": self.format,
        }


@dataclass(frozen=True)
class ResourcesPlan:
    """Requests and limits: memory includes /dev/shm; GPUs are requested equal to their limit."""

    cpu: str
    memory: str  # host memory plus shared memory, as a quantity
    cpu_limit: str | None = None
    ephemeral_storage: str | None = None
    gpu_resource: str | None = None
    gpu_count: int = 0

    def values(self) -> Obj:
        """The chart's `resources:` values block."""
        requests: Obj = {"cpu": self.cpu, "memory": self.memory}
        limits: Obj = {"memory": self.memory}
        if self.cpu_limit is not None:
            limits["cpu"] = self.cpu_limit
        if self.ephemeral_storage is not None:
            requests["ephemeral-storage"] = limits["ephemeral-storage"] = self.ephemeral_storage
        if self.gpu_resource:
            requests[self.gpu_resource] = limits[self.gpu_resource] = self.gpu_count
        return {"requests": requests, "limits": limits}


@dataclass(frozen=True)
class CachePlan:
    """The model cache volume and where the model itself is mounted from."""

    type: str  # pvc | per-replica | emptyDir | none
    size: str
    storage_class: str
    access_mode: str
    existing_claim: str
    model_claim: str  # pvc:// source: the claim holding the model, else ""
    model_image: str  # oci:// source: the image mounted as a volume, else ""
    models_mount: str
    mount_path: str  # the runtime's cache directory

    def values(self) -> Obj:
        """The chart's `cache:` values block."""
        return {
            "type": self.type,
            "size": self.size,
            "storageClass": self.storage_class,
            "accessMode": self.access_mode,
            "existingClaim": self.existing_claim,
            "modelClaim": self.model_claim,
            "modelImage": self.model_image,
            "modelsMount": self.models_mount,
            "mountPath": self.mount_path,
        }


@dataclass(frozen=True)
class WritableDir:
    """An emptyDir mounted where the runtime writes under a read-only root filesystem."""

    name: str
    mount_path: str

    def values(self) -> Obj:
        return {"name": self.name, "mountPath": self.mount_path}


@dataclass(frozen=True)
class DownloadPlan:
    """The pre-download Job: what it runs, the marker it leaves, the env it runs with."""

    enabled: bool
    marker: str  # file the Job touches when the weights are complete
    command: tuple[str, ...]
    backoff_limit: int
    ttl_seconds_after_finished: int
    env: tuple[EnvVar, ...] = ()

    def values(self) -> Obj:
        """The chart's `download:` values block."""
        return {
            "enabled": self.enabled,
            "marker": self.marker,
            "command": list(self.command),
            "backoffLimit": self.backoff_limit,
            "ttlSecondsAfterFinished": self.ttl_seconds_after_finished,
            "env": [item.values() for item in self.env],
        }


@dataclass(frozen=True)
class CredentialsFile:
    """A Secret key mounted as a file that a client library reads (GCS service-account key)."""

    secret_name: str
    key: str
    directory: str
    env_name: str
    volume_name: str

    @property
    def path(self) -> str:
        return f"{self.directory}/{self.key}"

    def volume(self) -> Obj:
        return {"name": self.volume_name, "secret": {"secretName": self.secret_name}}

    def mount(self) -> Obj:
        return {"name": self.volume_name, "mountPath": self.directory, "readOnly": True}


@dataclass(frozen=True)
class ServicePlan:
    type: str
    port: int
    grpc_port: int | None
    metrics_port: int | None
    annotations: dict[str, str]

    def values(self) -> Obj:
        """The chart's `service:` values block."""
        return {
            "type": self.type,
            "port": self.port,
            "grpcPort": self.grpc_port,
            "metricsPort": self.metrics_port,
            "annotations": dict(self.annotations),
        }


@dataclass(frozen=True)
class IngressTls:
    secret_name: str
    hosts: tuple[str, ...]

    def values(self) -> Obj:
        return {"secretName": self.secret_name, "hosts": list(self.hosts)}


@dataclass(frozen=True)
class IngressPlan:
    enabled: bool
    class_name: str
    annotations: dict[str, str]  # streaming timeouts of the platform's controllers, then the spec's
    host: str
    path: str
    tls: tuple[IngressTls, ...]

    def values(self) -> Obj:
        """The chart's `ingress:` values block."""
        return {
            "enabled": self.enabled,
            "className": self.class_name,
            "annotations": dict(self.annotations),
            "host": self.host,
            "path": self.path,
            "tls": [item.values() for item in self.tls],
        }


@dataclass(frozen=True)
class GatewayRef:
    """An HTTPRoute parentRef: the Gateway, and optionally its namespace and listener."""

    name: str
    namespace: str | None = None
    section_name: str | None = None

    def values(self) -> Obj:
        ref: Obj = {"name": self.name}
        if self.namespace is not None:
            ref["namespace"] = self.namespace
        if self.section_name is not None:
            ref["sectionName"] = self.section_name
        return ref


@dataclass(frozen=True)
class HttpRoutePlan:
    enabled: bool
    parent_refs: tuple[GatewayRef, ...]
    hostnames: tuple[str, ...]
    path: str
    timeout_seconds: int  # request and backend request timeout, for streamed responses
    annotations: dict[str, str]

    def values(self) -> Obj:
        """The chart's `httpRoute:` values block."""
        timeout = f"{self.timeout_seconds}s"
        return {
            "enabled": self.enabled,
            "parentRefs": [ref.values() for ref in self.parent_refs],
            "hostnames": list(self.hostnames),
            "path": self.path,
            "timeouts": {"request": timeout, "backendRequest": timeout} if self.enabled else {},
            "annotations": dict(self.annotations),
        }


@dataclass(frozen=True)
class MetricNames:
    """The runtime's own metric names the dashboard and alerts query ("" when it has none)."""

    queue: str
    running: str
    latency: str
    cache_usage: str

    def values(self) -> Obj:
        return {
            "queue": self.queue,
            "running": self.running,
            "latency": self.latency,
            "cacheUsage": self.cache_usage,
        }


@dataclass(frozen=True)
class MonitoringPlan:
    service_monitor: bool
    pod_monitor: bool
    interval: str
    labels: dict[str, str]
    path: str
    port: str  # container port name of the metrics endpoint
    alerts: bool
    dashboard: bool
    metric_names: MetricNames
    no_ready_for: str  # how long no ready replica means an outage (alert `for:`)
    queue_threshold: int = 20
    latency_seconds: int = 10
    dashboard_labels: tuple[tuple[str, str], ...] = (("grafana_dashboard", "1"),)
    pod_monitoring: bool = False  # Google Cloud Managed Service for Prometheus (GKE)

    @property
    def scraped(self) -> bool:
        return self.service_monitor or self.pod_monitor or self.pod_monitoring

    def values(self) -> Obj:
        """The chart's `metrics:` values block."""
        return {
            "serviceMonitor": {"enabled": self.service_monitor},
            "podMonitor": {"enabled": self.pod_monitor},
            "podMonitoring": {"enabled": self.pod_monitoring},
            "interval": self.interval,
            "labels": dict(self.labels),
            "path": self.path,
            "port": self.port,
            "names": self.metric_names.values(),
            "alerts": {
                "enabled": self.alerts,
                "noReadyFor": self.no_ready_for,
                "queueThreshold": self.queue_threshold,
                "latencySeconds": self.latency_seconds,
            },
            "dashboard": {"enabled": self.dashboard, "labels": dict(self.dashboard_labels)},
        }


@dataclass(frozen=True)
class NetworkPolicyPlan:
    """Peers are NetworkPolicyPeer mappings from the platform's catalog network facts."""

    enabled: bool
    allow_namespaces: tuple[str, ...]
    ingress_controllers: tuple[RawObject, ...]
    monitoring: tuple[RawObject, ...]
    dns_peers: tuple[RawObject, ...]
    dns_port: int
    allow_egress: bool
    gateway_proxies: tuple[RawObject, ...] = ()

    def values(self) -> Obj:
        """The chart's `networkPolicy:` values block."""
        return {
            "enabled": self.enabled,
            "allowNamespaces": list(self.allow_namespaces),
            "ingressControllers": [dict(p) for p in self.ingress_controllers],
            "monitoring": [dict(p) for p in self.monitoring],
            "dns": {"peers": [dict(p) for p in self.dns_peers], "port": self.dns_port},
            "allowEgress": self.allow_egress,
            "gatewayProxies": [dict(p) for p in self.gateway_proxies],
        }


@dataclass(frozen=True)
class PodSecurityPlan:
    run_as_non_root: bool
    uid: int | None  # runAsUser/runAsGroup/fsGroup; None where the platform assigns the UID
    seccomp_profile: str = "RuntimeDefault"

    def values(self) -> Obj:
        """The chart's `podSecurityContext:` values block."""
        context: Obj = {"seccompProfile": {"type": self.seccomp_profile}}
        if self.run_as_non_root:
            context["runAsNonRoot"] = True
        if self.uid is not None:
            context.update(
                {
                    "runAsUser": self.uid,
                    "runAsGroup": self.uid,
                    "fsGroup": self.uid,
                    "fsGroupChangePolicy": "OnRootMismatch",
                }
            )
        return context


@dataclass(frozen=True)
class ContainerSecurityPlan:
    read_only_root_filesystem: bool

    def values(self) -> Obj:
        """The chart's `securityContext:` values block."""
        return {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": self.read_only_root_filesystem,
            "privileged": False,
        }


@dataclass(frozen=True)
class ServiceAccountPlan:
    create: bool
    name: str
    annotations: dict[str, str]
    automount: bool = False  # the server never calls the API

    def values(self) -> Obj:
        """The chart's `serviceAccount:` values block."""
        return {
            "create": self.create,
            "name": self.name,
            "annotations": dict(self.annotations),
            "automount": self.automount,
        }


@dataclass(frozen=True)
class AffinityPlan:
    """The spec's raw affinity, with the GPU instance types required in every node term."""

    given: RawObject
    instance_types: tuple[str, ...] = ()

    def values(self) -> Obj:
        """The chart's `affinity:` block: node.kubernetes.io/instance-type In `instance_types`
        required in every node selector term (a term is ORed with the others, so each must
        carry it)."""
        if not self.instance_types:
            return dict(self.given)
        requirement = {
            "key": INSTANCE_TYPE_LABEL,
            "operator": "In",
            "values": list(self.instance_types),
        }
        merged = dict(self.given)
        node = dict(merged.get("nodeAffinity", {}))
        required = dict(node.get("requiredDuringSchedulingIgnoredDuringExecution", {}))
        terms = [dict(t) for t in required.get("nodeSelectorTerms", [])] or [{}]
        for term in terms:
            term["matchExpressions"] = [*term.get("matchExpressions", []), requirement]
        required["nodeSelectorTerms"] = terms
        node["requiredDuringSchedulingIgnoredDuringExecution"] = required
        merged["nodeAffinity"] = node
        return merged


@dataclass(frozen=True)
class Maintainer:
    name: str
    email: str = ""
    url: str = ""

    def fields(self) -> list[tuple[str, str]]:
        """(key, value) as Chart.yaml lists them: name first, then what is known."""
        known = [("email", self.email), ("url", self.url)]
        return [("name", self.name), *((k, v) for k, v in known if v)]


@dataclass(frozen=True)
class AuthPlan:
    """The API key clients must send: a Secret reference, and how the runtime receives it."""

    secret_name: str
    key: str
    env: str  # the container variable holding the key (secretKeyRef)
    flag: str  # "" when the runtime reads `env` itself; else the flag given `$(env)`

    def values(self) -> Obj:
        """The chart's `auth.apiKey` values block."""
        return {"secretName": self.secret_name, "key": self.key, "env": self.env, "flag": self.flag}


@dataclass(frozen=True)
class RoutePlan:
    """An OpenShift Route to the Service, with the router's timeout lifted for streamed
    generations and TLS terminated at the router ("edge") or not at all ("none")."""

    enabled: bool
    host: str  # "" lets the router name it <route>-<namespace>.<apps domain>
    path: str
    annotations: dict[str, str]
    termination: str  # edge | none

    def values(self) -> Obj:
        """The chart's `route:` values block."""
        tls = {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}
        return {
            "enabled": self.enabled,
            "host": self.host,
            "path": self.path,
            "annotations": dict(self.annotations),
            "tls": tls if self.termination == "edge" else {},
        }


@dataclass(frozen=True)
class GatewayBackendPlan:
    """GKE Gateway's backend for the Service: a GCPBackendPolicy lifting the load balancer's 30 s
    backend timeout to the generation time, and a HealthCheckPolicy probing the runtime's ready
    path instead of "/" (where model servers answer 404, so every backend counts unhealthy)."""

    enabled: bool
    timeout_seconds: int
    health_path: str
    health_port: str  # container port name of the ready endpoint

    def values(self) -> Obj:
        """The chart's `gkeGateway:` values block."""
        return {
            "enabled": self.enabled,
            "timeoutSec": self.timeout_seconds,
            "healthCheck": {"requestPath": self.health_path, "port": self.health_port},
        }


@dataclass(frozen=True)
class LwsRollout:
    """LeaderWorkerSet rolloutStrategy.rollingUpdateConfiguration, counted in groups."""

    max_surge: int
    max_unavailable: int
    reason: str

    def values(self) -> Obj:
        """The chart's `strategy:` values block for a LeaderWorkerSet."""
        return {
            "type": "RollingUpdate",
            "rollingUpdateConfiguration": {
                "maxSurge": self.max_surge,
                "maxUnavailable": self.max_unavailable,
            },
        }


@dataclass(frozen=True)
class MultiNodePlan:
    """One replica spread over `size` nodes as a LeaderWorkerSet group (chartgen/model/multinode)."""

    size: int  # pods per group: the leader and size - 1 workers, one per node
    gpus_per_node: int
    tensor_parallel: int
    pipeline_parallel: int
    leader_args: tuple[str, ...]  # added to the runtime's args on the leader
    worker_args: tuple[str, ...]  # added to the runtime's args on every worker
    join_seconds: int
    startup_policy: str
    restart_policy: str
    rollout: LwsRollout

    def values(self) -> Obj:
        """The chart's `multiNode:` values block."""
        return {
            "size": self.size,
            "gpusPerNode": self.gpus_per_node,
            "leaderArgs": list(self.leader_args),
            "workerArgs": list(self.worker_args),
            "startupPolicy": self.startup_policy,
            "restartPolicy": self.restart_policy,
        }


@dataclass(frozen=True)
class LoraPlan:
    """One LoRA adapter: fetched by the pre-download Job into the cache, loaded at start-up."""

    name: str  # the model name clients request
    repository: str  # Hugging Face repository (org/name)
    revision: str
    path: str  # where the Job puts it and the runtime reads it
    size_gib: float  # GPU memory of its slot, for the fit check
    rank: int | None  # None: not stated (the runtime's default maximum applies)

    @property
    def module(self) -> str:
        """`name=path`, as vLLM --lora-modules and SGLang --lora-paths take one adapter."""
        return f"{self.name}={self.path}"


@dataclass(frozen=True)
class InferencePoolPlan:
    """Model-aware routing: an InferencePool over the server pods and its endpoint picker (EPP),
    which the Gateway asks which pod serves each request."""

    model_server: str  # runtime the EPP reads metrics of
    target_port: int  # the server's HTTP port
    image: str
    ext_proc_port: int
    health_port: int
    metrics_port: int
    health_service: str
    failure_mode: str
    run_as_user: int | None  # None where the platform assigns the UID
    termination_grace_seconds: int
    resources: dict[str, dict[str, str]]
    flags: tuple[str, ...]  # the runtime's metric flags
    config: str  # the EPP's plugins file

    def values(self) -> Obj:
        """The chart's `inferencePool:` values block."""
        repository, tag = self.image.rsplit(":", 1)
        return {
            "enabled": True,
            "modelServerType": self.model_server,
            "targetPort": self.target_port,
            "failureMode": self.failure_mode,
            "epp": {
                "image": {"repository": repository, "tag": tag, "pullPolicy": "IfNotPresent"},
                "replicas": 1,
                "extProcPort": self.ext_proc_port,
                "healthPort": self.health_port,
                "metricsPort": self.metrics_port,
                "healthService": self.health_service,
                "runAsUser": self.run_as_user,
                "terminationGracePeriodSeconds": self.termination_grace_seconds,
                "resources": {k: dict(v) for k, v in self.resources.items()},
                "flags": list(self.flags),
                "config": self.config,
            },
        }


@dataclass(frozen=True)
class ServingPlan:
    name: str
    description: str
    team: str
    owner: str
    maintainers: tuple[Maintainer, ...]
    icon: str  # Chart.yaml icon URL, "" for none
    runtime: RuntimeProfile
    platform: PlatformProfile
    kube_version: str
    image: ImagePlan
    image_pull_secrets: tuple[str, ...]  # Secret names
    model: ModelPlan
    command: list[str]
    args: list[str]
    env: tuple[EnvVar, ...]
    env_from_secrets: tuple[str, ...]  # Secrets exposed whole as environment
    ports: dict[str, int]
    gpu: GpuPlan
    resources: ResourcesPlan
    shm_gib: float
    cache: CachePlan
    writable_dirs: tuple[WritableDir, ...]
    download: DownloadPlan
    workload_kind: str  # Deployment | StatefulSet | LeaderWorkerSet
    probes: ProbePlan
    drain: DrainPlan
    scaling: ScalingPlan
    service: ServicePlan
    ingress: IngressPlan
    http_route: HttpRoutePlan
    route: RoutePlan
    gateway_backend: GatewayBackendPlan
    monitoring: MonitoringPlan
    network_policy: NetworkPolicyPlan
    pod_security: PodSecurityPlan
    container_security: ContainerSecurityPlan
    service_account: ServiceAccountPlan
    node_selector: dict[str, str]
    extra_tolerations: tuple[RawObject, ...]  # the spec's own, after the GPU ones
    affinity: AffinityPlan
    priority_class: str
    common_labels: dict[str, str]
    common_annotations: dict[str, str]
    pod_annotations: dict[str, str]
    credentials_file: CredentialsFile | None = None
    extra_volumes: tuple[RawObject, ...] = ()
    extra_volume_mounts: tuple[RawObject, ...] = ()
    extra_objects: tuple[RawObject, ...] = ()
    auth: AuthPlan | None = None
    multinode: MultiNodePlan | None = None  # set with workload_kind LeaderWorkerSet
    loras: tuple[LoraPlan, ...] = ()
    inference_pool: InferencePoolPlan | None = None
