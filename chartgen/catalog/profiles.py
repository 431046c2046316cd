"""Typed runtime, platform and GPU profiles. The knowledge itself lives in the YAML data files
beside this module (runtimes/*.yaml, platforms/*.yaml, gpus.yaml); every fact carries a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ports:
    http: int
    grpc: int | None = None
    metrics: int | None = None  # None: metrics are served on the http port


@dataclass(frozen=True)
class Endpoint:
    path: str
    port: str = "http"  # container port name: http | grpc | metrics


@dataclass(frozen=True)
class ArgMapping:
    """How one spec option reaches the runtime: a CLI flag, an env var, or not at all."""

    flag: str | None = None  # e.g. "--tensor-parallel-size"
    env: str | None = None  # e.g. "NUM_SHARD"
    # "separate": ["--flag", "v"]; "equals": ["--flag=v"]; "bool": ["--flag"];
    # "positional": ["v"] (the flag then only names the position, e.g. "model_tag");
    # "list": ["--flag", "v1", "v2", ...] (nargs="+"); "switch": `true_args` or `false_args` as the setting is
    # true or false (an empty one: that is the runtime's default, nothing is passed)
    style: str = "separate"
    values: tuple[str, ...] = ()  # the values the runtime accepts; () = any
    aliases: tuple[str, ...] = ()  # other spellings the runtime accepts for the same flag
    true_args: tuple[str, ...] = ()  # switch: the arguments that turn the setting on
    false_args: tuple[str, ...] = ()  # switch: the arguments that turn it off


@dataclass(frozen=True)
class ApiKeyAuth:
    """How the runtime takes an API key and which paths it then guards."""

    env: str = ""  # variable the runtime reads the key from itself (vLLM VLLM_API_KEY)
    flag: str = ""  # else the flag that takes it, fed as `$(VAR)` from a Secret-backed variable
    # Request paths the key guards: by prefix (`guarded`), or everything but the `open` prefixes.
    guarded: tuple[str, ...] = ()
    open: tuple[str, ...] = ()

    def guards(self, path: str) -> bool:
        """Whether a request to `path` needs the key."""
        if self.guarded:
            return path.startswith(self.guarded)
        return not path.startswith(self.open)


@dataclass(frozen=True)
class MultiNode:
    """How the runtime serves one model across several nodes (a LeaderWorkerSet group): the
    arguments the leader and the workers add to the runtime's own. Placeholders: {nodes} (pods in
    the group), {port} (this profile's rendezvous_port); $(LWS_LEADER_ADDRESS) and
    $(LWS_WORKER_INDEX) are the variables LeaderWorkerSet injects, expanded by the kubelet."""

    leader_args: tuple[str, ...]
    worker_args: tuple[str, ...]
    join_seconds: int  # startup budget added for the workers to join the leader
    rendezvous_port: int | None = None  # port the workers dial on the leader, when fixed


@dataclass(frozen=True)
class RuntimeProfile:
    name: str  # vllm | sglang | triton | tgi | torchserve | tfserving | custom
    title: str
    llm: bool  # autoscale on queue depth, stream responses, long generation times
    image_repository: str
    image_tag: str
    command: tuple[str, ...]  # container command; () keeps the image entrypoint
    base_args: tuple[str, ...]  # args always passed (before derived ones)
    ports: Ports
    startup: Endpoint  # startup probe endpoint (model loaded)
    readiness: Endpoint
    liveness: Endpoint
    never_liveness: tuple[str, ...]  # endpoints that must never back liveness (readiness paths)
    metrics: Endpoint
    queue_metric: str | None  # Prometheus metric for queue-depth autoscaling
    latency_metric: str | None  # histogram base name for TTFT / request latency alerts
    running_metric: str | None  # requests being processed now
    cache_usage_metric: str | None  # KV cache usage ratio 0..1
    args: dict[str, ArgMapping]  # keys: model, served_name, tensor_parallel, pipeline_parallel,
    #   max_model_len, dtype, quantization, gpu_memory_utilization, drain_timeout, port, host,
    #   model_repository, download_dir, revision, metrics_enable
    shm_default_gib: float  # /dev/shm size when the spec does not set one (single GPU)
    shm_multi_gpu_gib: float  # minimum /dev/shm when more than one GPU
    cache_env: dict[str, str]  # env vars pointing caches at the cache mount, value uses {cache}
    cache_dir: str  # mount path of the model cache volume
    writable_paths: tuple[str, ...]  # paths needing an emptyDir under readOnlyRootFilesystem
    runs_as_non_root: bool  # image works with runAsNonRoot + an arbitrary UID
    run_as_user: int | None  # UID to run as on platforms that allow fixing it
    startup_base_seconds: int  # engine warm-up beyond loading weights (CUDA graphs, compile)
    load_throughput_mib_s: int  # assumed weights load throughput from the cache volume
    drain_seconds: int  # default in-flight drain budget
    model_formats: tuple[str, ...]
    gpu_memory_fraction: float  # share of GPU memory the runtime uses by default (weights + KV)
    sources: dict[str, str]  # fact name -> source reference; every fact above has one
    notes: str = ""
    cpu_image_tag: str = ""  # image tag for CPU-only specs when the default tag is a CUDA build
    # Images for non-NVIDIA GPUs, vendor -> "repository:tag" of the same runtime version; a vendor
    # missing here has no image, and a spec asking for it is an error.
    vendor_images: dict[str, str] = field(default_factory=dict)
    # Source schemes the runtime reads itself (Triton's s3:// repositories, TF Serving's gs://):
    # no cache volume is made for them, it would stay empty and pin pods to a volume's zone.
    native_schemes: tuple[str, ...] = ()
    # Request API `helm test` speaks: openai (completion + streamed chat), kserve-v2 (Triton),
    # tfserving (REST predict API), torchserve (inference API); "" = readiness only.
    api: str = ""
    config_files: dict[str, str] = field(default_factory=dict)  # file name -> content, mounted
    #   read-only at /etc/chartgen from a ConfigMap (settings the runtime only takes from a file)
    # What the linter needs to recognise and judge this runtime in any chart:
    image_families: tuple[str, ...] = ()  # other image repositories running this server
    #   (vendor builds, forks); matched as a path suffix, like image_repository
    image_cache_dir: str = ""  # where the image caches downloaded models when nothing is set
    image_uid: int | None = None  # a UID the image has a passwd entry for
    pytorch: bool = False  # Python server importing torch: getpass.getuser() needs a user name
    early_readiness: tuple[str, ...] = ()  # endpoints that answer before the model is served
    parallel_default_one: bool = False  # tensor/pipeline parallel default to 1, not all GPUs
    maintenance: str = ""  # "" = maintained | "maintenance-mode" | "limited" | "archived"
    api_key: ApiKeyAuth | None = None  # None: the runtime takes no API key
    multinode: MultiNode | None = None  # None: the runtime does not serve across nodes
    lists_adapters: bool = False  # its model list names the loaded LoRA adapters


@dataclass(frozen=True)
class GpuVendor:
    name: str  # nvidia | amd | intel
    resource: str  # nvidia.com/gpu | amd.com/gpu | gpu.intel.com/i915
    shared_resource: str | None  # renamed resource under time-slicing (nvidia.com/gpu.shared)
    visible_devices_env: str  # NVIDIA_VISIBLE_DEVICES | HIP_VISIBLE_DEVICES | ...
    source: str


@dataclass(frozen=True)
class GpuProduct:
    key: str  # catalog key used in specs: "H100-80GB", "A100-40GB", "L4", ...
    vendor: str
    memory_gib: int  # vendor's stated capacity (GB)
    memory_mib: int  # total the driver reports (nvidia-smi / rocm-smi): what fit checks use
    operator_label: str  # value of nvidia.com/gpu.product (GPU feature discovery)
    gke_accelerator: str | None  # cloud.google.com/gke-accelerator value
    eks_gpu_name: str | None  # karpenter.k8s.aws/instance-gpu-name value
    aks_gpu_name: str | None  # karpenter.azure.com/sku-gpu-name value (AKS node auto-provisioning)
    mig_profiles: tuple[str, ...]  # valid MIG profiles ("1g.10gb", ...); () when not MIG-capable
    source: str
    sources: dict[str, str] = field(default_factory=dict)  # fact name -> source, beside `source`
    notes: str = ""
    # EC2 instance type -> GPUs of this product on it (node.kubernetes.io/instance-type values on
    # EKS managed node groups, which carry no GPU-name label)
    aws_instance_types: dict[str, int] = field(default_factory=dict)
    # Azure VM size -> GPUs of this product on it (node.kubernetes.io/instance-type on AKS pools)
    azure_vm_sizes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StorageFacts:
    """The platform's default StorageClass as a fresh cluster of this node-pool variant has it."""

    default_class: str | None  # name of the class marked default; None: no default class
    provisioner: str | None  # its CSI provisioner; None when there is no default class
    access_modes: tuple[str, ...]  # access modes the default class can provision
    binding_mode: str | None  # volumeBindingMode: WaitForFirstConsumer | Immediate
    zonal: bool  # volumes live in one zone (attach only to nodes of that zone)
    rwx_class: str | None = None  # a ReadWriteMany class the platform installs, if any
    # without a default class: the class the platform's docs create, for specs to name
    documented_class: str | None = None


@dataclass(frozen=True)
class NodePool:
    """One way GPU nodes come to exist on a platform (a node-pool variant), as its nodes look.

    Label values may hold placeholders, filled per GPU product by chartgen.catalog.nodes:
    {gke_accelerator}, {eks_gpu_name}, {aks_gpu_name} (GpuProduct fields), {gfd_product} (the
    GPU feature discovery product label, with its -MIG-<profile> and -SHARED suffixes),
    {gpu_count}, {instance_type}, {mig_profile}, {sharing_clients}. A label whose placeholder has
    no value for the product is absent from the node.
    """

    name: str  # e.g. standard | autopilot | managed-node-group | karpenter | auto-mode
    title: str
    default: bool  # the variant a spec targets when it names none: the most common setup
    labels: dict[str, str]  # labels on every GPU node of the pool (placeholders allowed)
    gpu_selector: dict[str, str]  # labels GPU pods select on this pool (a subset of `labels`)
    product_label: str | None  # label whose value pins the GPU product; None: instance types
    instance_types: str | None  # "aws" | "azure": pin by node.kubernetes.io/instance-type
    taints: tuple[dict[str, str], ...]  # taints on the pool's GPU nodes (key, value?, effect)
    tolerations_automatic: bool  # the platform adds the GPU toleration to GPU pods itself
    device_plugin: str  # "gke" (GKE-managed) | "nvidia" (NVIDIA device plugin / GPU Operator)
    mig: str  # "none" | "gke" (nvidia.com/gpu + partition-size label) | "operator"
    sharing: tuple[str, ...]  # GPU sharing the pool can be configured for: time-slicing, mps
    rename_by_default: bool  # device plugin renameByDefault as the platform ships it
    product_required: bool  # pods must name the product or no GPU node is provisioned
    fixed_uid_allowed: bool  # pods may set runAsUser (False: the platform assigns the UID)
    storage: StorageFacts
    sources: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    spot_labels: dict[str, str] = field(default_factory=dict)  # labels on the pool's spot nodes
    spot_taints: tuple[dict[str, str], ...] = ()  # taints on the pool's spot nodes
    # admission refuses pods that tolerate or select GPU nodes without requesting a GPU, so no
    # helper pod (the download Job) can share the GPU nodes
    rejects_gpu_helpers: bool = False


@dataclass(frozen=True)
class NetworkPeers:
    """Who a release's NetworkPolicy must admit or reach on a platform: NetworkPolicy peers
    (namespaceSelector/podSelector mappings) of the ingress controller and the Prometheus that
    scrapes user workloads, and the cluster DNS pods with the port they listen on."""

    ingress: tuple[dict[str, Any], ...]
    monitoring: tuple[dict[str, Any], ...]
    dns: tuple[dict[str, Any], ...]
    dns_port: int
    # where a cloud load balancer behind a Gateway connects from (ipBlock peers): its proxies
    # are not pods of any namespace, so the Gateway's namespace admits nothing
    gateway: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class RouterFacts:
    """How the platform's own router serves a route.openshift.io/v1 Route: the annotation that
    sets its server timeout (HAProxy duration, "{t}" the seconds) and the timeout it applies
    without one, which cuts streamed generations."""

    timeout_annotation: str
    timeout_value: str  # annotation value, "{t}" placeholder for seconds
    default_timeout_seconds: int


@dataclass(frozen=True)
class GatewayBackendFacts:
    """What the platform's Gateway controller gives a Service's load-balancer backend unless a
    policy object says otherwise (GKE: GCPBackendPolicy, HealthCheckPolicy)."""

    default_timeout_seconds: int  # backend service timeout: a response must finish within it
    default_health_check_path: str  # the load balancer's HTTP health check path


@dataclass(frozen=True)
class PlatformProfile:
    name: str  # generic | gke | eks | aks | openshift
    title: str
    gpu_node_selector: dict[str, str]  # always added for GPU pods
    product_selector_key: str | None  # node label that pins the GPU product, value from GpuProduct
    product_selector_attr: str | None  # GpuProduct attribute giving the label value
    mig_mode: str  # "operator" (nvidia.com/mig-<profile> resources) | "gke" (partition-size label)
    mig_selector_key: str | None  # node label for the MIG partition (gke) or mig config (operator)
    gpu_tolerations: tuple[dict[str, str], ...]  # GPU pods' tolerations (explicit, even if auto)
    tolerations_automatic: bool  # platform adds it itself (ExtendedResourceToleration)
    runtime_class: str | None  # runtimeClassName for GPU pods; None = never set one
    spot_selector: dict[str, str]
    spot_tolerations: tuple[dict[str, str], ...]
    fixed_uid_allowed: bool  # False on OpenShift: runAsUser is left to the SCC
    sources: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    # MIG slice resource under the operator's mixed strategy, "{profile}" placeholder
    # ("nvidia.com/mig-{profile}"); None: MIG slices use the vendor resource (GKE)
    mig_resource_template: str | None = None
    # value of mig_selector_key for a MIG request: "{profile}" (gke) or
    # "{operator_label}-MIG-{profile}" (operator single strategy)
    mig_selector_value: str | None = None
    node_pools: dict[str, NodePool] = field(default_factory=dict)  # variants, one is default
    network: NetworkPeers | None = None
    # Ingress annotations of the platform's own ingress controllers that lift their request /
    # idle timeouts for streamed generations; "{t}" is the timeout in seconds
    ingress_timeout_annotations: dict[str, str] = field(default_factory=dict)
    router: RouterFacts | None = None  # None: no Route API (exposure type route refused)
    # the platform's managed Prometheus collects from monitoring.googleapis.com/v1 PodMonitoring
    pod_monitoring: bool = False
    # the Gateway controller's backend defaults; None: HTTPRoute timeouts are the only setting
    gateway_backend: GatewayBackendFacts | None = None


@dataclass(frozen=True)
class Precision:
    """Bytes one parameter takes in GPU memory under a dtype or quantization method."""

    bytes_per_parameter: float
    source: str


@dataclass(frozen=True)
class WeightsTable:
    """What GPU-fit checks assume: widths of dtypes and quantizations, and the KV-cache headroom
    used when a spec does not describe the model's architecture."""

    dtypes: dict[str, Precision]
    quantizations: dict[str, Precision]
    headroom_fraction: float  # KV cache + activations as a share of the weights on each GPU
    reserve_gib: float  # least headroom per GPU (CUDA context, activations, one sequence of KV)
    sources: dict[str, str]
    # engine.kvCacheDtype -> bytes one KV-cache element takes; "auto" is absent (the model's dtype)
    kv_cache_dtypes: dict[str, Precision] = field(default_factory=dict)
    lora_adapter_gib: float = 0.0  # GPU memory one LoRA adapter slot takes when the spec gives none


@dataclass(frozen=True)
class ModelStores:
    """How model servers and download tools reach the model hub and object storage
    (model_stores.yaml): what makes them offline, where tokens go."""

    hub_offline_env: tuple[str, ...]  # env vars that forbid huggingface_hub any network call
    hub_token_env: tuple[str, ...]  # env vars huggingface_hub reads a token from
    hub_download_commands: tuple[str, ...]  # command fragments that download from the hub
    gcs_uri_prefix: str  # object URIs read through Google Cloud Storage clients
    gcs_credentials_file_env: str  # env var naming the credentials *file* (not its content)
    download_mib_s: int  # assumed weight download throughput (startup budgets, deadlines)
    sources: dict[str, str]


@dataclass(frozen=True)
class IngressNginx:
    """ingress-nginx facts (ingress_nginx.yaml): the per-Ingress timeouts that cut streamed
    responses, their default, and the streaming settings chartgen writes."""

    annotation_prefix: str  # nginx.ingress.kubernetes.io/
    timeout_annotations: tuple[str, ...]  # names after the prefix; values in seconds
    default_timeout_seconds: int
    streaming_annotations: dict[str, str]  # names after the prefix -> value chartgen writes
    sources: dict[str, str]


@dataclass(frozen=True)
class GatedRepo:
    """Hub repositories (by org/name prefix) whose download needs an accepted licence and token."""

    prefix: str
    source: str


@dataclass(frozen=True)
class HubTable:
    gated: tuple[GatedRepo, ...]


@dataclass(frozen=True)
class PodTemplateSite:
    """One pod template inside a workload kind (workloads.yaml): JSON pointers, `*` for every
    list item or map value on the way."""

    pod: str
    metadata: str = ""
    labels: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    replicas: str = ""
    added_labels: dict[str, str] = field(default_factory=dict)
    added_probes: tuple[str, ...] = ()  # probes the controller adds where the template has none
    probes_target: str = "first"  # first: containers[0]; serving: the only one, or those with ports
    resources_elsewhere: bool = (
        False  # the pods' resources come from the objects using the template
    )
    # the template's pods serve (when the kind does) only where this pointer is absent: an LWS
    # worker template is the leader's too when there is no leaderTemplate, else it joins it
    serves_without: str = ""
    claim_templates: str = ""  # volumeClaimTemplates giving each of these pods its claims
    group_size: str = ""  # pods that shard one model together (a GPU count multiplies by it)


@dataclass(frozen=True)
class WorkloadKind:
    kind: str
    groups: tuple[str, ...]  # API groups of apiVersion ("" for core v1)
    serves: bool  # long-running server (False: runs to completion)
    templates: tuple[PodTemplateSite, ...]
    source: str


@dataclass(frozen=True)
class DeviceClass:
    name: str
    source: str


@dataclass(frozen=True)
class WorkloadTable:
    """Where pods live in each workload kind, and which DRA device classes are accelerators."""

    kinds: tuple[WorkloadKind, ...]
    accelerator_device_classes: tuple[DeviceClass, ...]

    def kind(self, group: str, kind: str) -> WorkloadKind | None:
        return next((k for k in self.kinds if k.kind == kind and group in k.groups), None)


@dataclass(frozen=True)
class InferenceExtension:
    """Gateway API Inference Extension (inference_extension.yaml): the InferencePool API and the
    endpoint picker deployment, as the pinned upstream release documents them."""

    api_version: str  # group/version of InferencePool
    epp_image: str  # repository:tag of the endpoint picker
    ext_proc_port: int  # gRPC ext-proc port the gateway calls
    health_port: int  # gRPC health port (probes)
    metrics_port: int
    health_service: str  # gRPC health service name checked by the probes
    failure_mode: str  # FailOpen | FailClose
    run_as_user: int  # the image's non-root UID
    termination_grace_seconds: int
    resources: dict[str, dict[str, str]]
    config: str  # EndpointPickerConfig with {metrics_path} and {engine} placeholders
    model_servers: dict[str, tuple[str, ...]]  # runtime -> extra EPP flags for its metrics
    sources: dict[str, str]
