"""Model weights (per tensor-parallel shard) larger than the pinned GPU's memory."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import catalog
from chartgen.catalog.profiles import GpuProduct
from chartgen.findings import Issue, Severity
from chartgen.model.fit import footprint, gpu_fit
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.gpus import gpu_entries
from chartgen.rules.support.objects import Container, ObjectSet, Workload
from chartgen.rules.support.quantities import quantity
from chartgen.rules.support.runtime_flags import catalog_knob, flag_setting
from chartgen.rules.support.runtimes import model_size_gib, runtime_of
from chartgen.rules.support.scheduling import node_labels

ID = "gpu-model-exceeds-memory"
SEVERITY = Severity.ERROR
SUMMARY = "The model's weights and KV headroom must fit the memory of the GPUs the pod pins"
RATIONALE = (
    "Weights are split over the container's GPUs (tensor parallelism); each GPU also needs KV "
    "cache and activation headroom, within the share of memory the runtime takes "
    "(--gpu-memory-utilization, 0.9 by default for vLLM). A 140 GiB model on one 24 GB L4 "
    "schedules, downloads for an hour, then dies with CUDA out of memory and crash-loops. The size "
    "comes from the `chartgen.dev/model-size-gib` annotation (or the spec), the GPU product from "
    "the node selector's product label, the memory from the GPU catalog."
)
REFERENCES = (
    "https://docs.vllm.ai/en/stable/configuration/conserving_memory.html",
    "vllm-project/vllm#2248",
)
FIX = "Give the container more GPUs (and the matching tensor-parallel size), a larger GPU, or a quantized model."
EXAMPLE = """\
metadata:
  annotations:
    chartgen.dev/model-size-gib: "140"
spec:
  nodeSelector:
    cloud.google.com/gke-accelerator: nvidia-h100-80gb
  containers:
    - args: [serve, meta-llama/Llama-3.1-70B-Instruct, --tensor-parallel-size, "4"]
      resources:
        limits: {nvidia.com/gpu: 4}
"""
TAGS = ("kubernetes", "gpu", "ml", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
_PRODUCT_FIELDS = ("operator_label", "gke_accelerator", "eks_gpu_name", "aks_gpu_name")
_MIG_RESOURCE = "nvidia.com/mig-"
UNKNOWN_RUNTIME = "custom"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        size = model_size_gib(workload, ctx)
        product = pinned_product(workload)
        if size is None or product is None:
            continue
        for container in workload.containers:
            violation = _check_container(workload, container, ctx, size, product)
            if violation is not None:
                yield violation


def _check_container(
    workload: Workload, container: Container, ctx: RuleContext, size: float, product: GpuProduct
) -> Issue | None:
    gpus = int(container.gpus) * workload.group_size
    fp = footprint(size)
    if gpus <= 0 or fp is None:
        return None
    fit = gpu_fit(
        fp,
        gpus=gpus,
        utilization=_utilization(workload, container, ctx),
        product=product,
        mig=_mig_profile(workload, container),
        vendor=product.vendor,
    )
    if fit.fits:
        return None
    message = (
        f"container {container.name!r} needs {fit.needed_gib:.1f} GiB per GPU for a {size:g} GiB "
        f"model over {gpus} GPU(s), but {fit.product} offers {fit.available_gib or 0:.1f} GiB; "
        f"fits on {fit.needs()}"
    )
    limits = gpu_entries(container.resources.get("limits"))
    name = next(iter(limits), "")
    pointer = (
        f"{container.pointer}/resources/limits/{name.replace('/', '~1')}"
        if name
        else container.pointer
    )
    return Issue(ID, pointer, message, obj=workload.obj)


def pinned_product(workload: Workload) -> GpuProduct | None:
    """The catalog GPU product a node label value of the pod pins (any platform's label); when a
    value names several (EKS `a100`: 40 and 80 GB), the largest, so a guess never fires."""
    values = {value for _, value in node_labels(workload)}
    matching = [
        product
        for product in catalog.gpu_products()
        if any(getattr(product, f) in values for f in _PRODUCT_FIELDS if getattr(product, f))
    ]
    return max(matching, key=lambda p: p.memory_mib, default=None)


def _mig_profile(workload: Workload, container: Container) -> str | None:
    """The MIG slice: the operator's mixed-strategy resource, or a platform's partition label."""
    limits = gpu_entries(container.resources.get("limits"))
    names = [n for n in limits if n.startswith(_MIG_RESOURCE)]
    if names:
        return names[0].removeprefix(_MIG_RESOURCE)
    keys = {
        p.mig_selector_key
        for p in map(catalog.platform, catalog.platform_names())
        if p.mig_mode == "gke" and p.mig_selector_key
    }
    return next((value for key, value in node_labels(workload) if key in keys), None)


def _utilization(workload: Workload, container: Container, ctx: RuleContext) -> float:
    setting = flag_setting(container, catalog_knob("gpu_memory_utilization"))
    value = quantity(setting.value) if setting else None
    if value is not None and 0 < value <= 1:
        return value
    runtime = runtime_of(workload, container, ctx) or catalog.runtime(UNKNOWN_RUNTIME)
    return runtime.gpu_memory_fraction
