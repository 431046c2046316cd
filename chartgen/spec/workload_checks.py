"""Semantic checks of replicas, autoscaling, memory, cache, custom runtime, security, exposure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue
from chartgen.spec.issues import (
    ERROR,
    STATEFULSET_NAME_LIMIT,
    WARNING,
    get,
    gib,
    issue,
    max_replicas,
)


def check_replica_range(doc: dict[str, Any]) -> Iterator[Issue]:
    low = get(doc, "spec.autoscaling.minReplicas")
    high = get(doc, "spec.autoscaling.maxReplicas")
    if low is not None and high is not None and high < low:
        yield issue(
            ERROR,
            "$.spec.autoscaling.maxReplicas",
            f"maxReplicas ({high}) is below minReplicas ({low})",
        )
    if low == 0 and not get(doc, "spec.autoscaling.scaleToZero", False):
        yield issue(
            ERROR,
            "$.spec.autoscaling.minReplicas",
            "minReplicas 0 needs scaleToZero: true (keda with an activation query)",
        )


def check_scale_to_zero(doc: dict[str, Any]) -> Iterator[Issue]:
    if not get(doc, "spec.autoscaling.scaleToZero", False):
        return
    path = "$.spec.autoscaling.scaleToZero"
    if get(doc, "spec.autoscaling.engine") == "hpa":
        yield issue(
            ERROR,
            path,
            "scaleToZero needs engine keda: a HorizontalPodAutoscaler cannot scale to 0",
        )
    if get(doc, "spec.autoscaling.activation") is None:
        yield issue(
            ERROR,
            path,
            "scaleToZero needs autoscaling.activation (a query that wakes the service); "
            "nothing would ever scale it up again",
        )
    if not get(doc, "spec.autoscaling.enabled", False):
        yield issue(WARNING, path, "scaleToZero has no effect while autoscaling.enabled is false")


def check_utilization_target(doc: dict[str, Any]) -> Iterator[Issue]:
    """cpu and memory targets are averageUtilization, an integer percent in the HPA API."""
    signal, target = _signal(doc), get(doc, "spec.autoscaling.target")
    if signal in ("cpu", "memory") and isinstance(target, float) and not target.is_integer():
        yield issue(
            ERROR,
            "$.spec.autoscaling.target",
            f"target {target} is a utilisation percent for signal {signal}: use a whole number",
        )


def _signal(doc: dict[str, Any]) -> str:
    """The autoscaling signal, with the model's default when the spec names none."""
    from chartgen import catalog

    signal = get(doc, "spec.autoscaling.signal")
    if signal is not None:
        return str(signal)
    name = str(get(doc, "spec.runtime"))
    if name == "custom":
        return "cpu"
    runtime = catalog.runtime(name)
    return "queue-depth" if runtime.llm and runtime.queue_metric else "cpu"


def check_queue_signal(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    if get(doc, "spec.autoscaling.signal") != "queue-depth":
        return
    name = str(get(doc, "spec.runtime"))
    if name == "custom" or catalog.runtime(name).queue_metric is None:
        yield issue(
            ERROR,
            "$.spec.autoscaling.signal",
            f"runtime {name} exports no queue-depth metric; use signal cpu, memory or rps",
        )


def check_memory_holds_model(doc: dict[str, Any]) -> Iterator[Issue]:
    memory, size = get(doc, "spec.resources.memory"), get(doc, "spec.model.sizeGiB")
    memory_gib = gib(memory) if memory is not None else None
    if memory_gib is None or size is None or memory_gib >= float(size):
        return
    yield issue(
        WARNING,
        "$.spec.resources.memory",
        f"resources.memory {memory} is below model.sizeGiB "
        f"({size:g} GiB): loaders stage the weights in host memory (shmSize is added on top)",
    )


def check_cpu_limit(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen.quantity import parse_quantity

    request, limit = get(doc, "spec.resources.cpu"), get(doc, "spec.resources.cpuLimit")
    if request is None or limit is None or parse_quantity(limit) >= parse_quantity(request):
        return
    yield issue(
        ERROR, "$.spec.resources.cpuLimit", f"cpuLimit {limit} is below the cpu request {request}"
    )


def check_shared_rwo_cache(doc: dict[str, Any]) -> Iterator[Issue]:
    cache = get(doc, "spec.model.cache", {})
    if cache.get("type") != "pvc" or cache.get("accessMode", "ReadWriteOnce") != "ReadWriteOnce":
        return
    if cache.get("existingClaim"):
        return
    pods = max_replicas(doc)
    surge = int(get(doc, "spec.rollout.spareGpus", 0)) > 0
    if pods > 1 or surge:
        why = f"up to {pods} replicas" if pods > 1 else "a surge rollout (rollout.spareGpus > 0)"
        path = "accessMode" if "accessMode" in cache else "type"
        yield issue(
            ERROR,
            f"$.spec.model.cache.{path}",
            f"a ReadWriteOnce cache claim attaches to one node only, but {why} share it; use cache"
            " type per-replica, or accessMode ReadWriteMany with a storageClass that provides it",
        )


def check_cache_storage_class(doc: dict[str, Any]) -> Iterator[Issue]:
    """Claims the platform's storage can bind: ReadWriteMany only from a named class (no default
    class of a cloud provides it), and a named class where the node pool has no default one."""
    from chartgen.catalog.nodes import node_pool

    cache = get(doc, "spec.model.cache", {})
    if cache.get("existingClaim") or cache.get("storageClass"):
        return
    platform = str(get(doc, "spec.platform", "generic"))
    pool_name = get(doc, "spec.scheduling.nodePool")
    from chartgen import catalog

    if pool_name is not None and pool_name not in catalog.platform(platform).node_pools:
        return  # reported by check_node_pool
    pool = node_pool(platform, pool_name)
    storage = pool.storage
    if cache.get("accessMode") == "ReadWriteMany" and "ReadWriteMany" not in storage.access_modes:
        default = f"class {storage.default_class}" if storage.default_class else "no default class"
        offer = f" ({storage.rwx_class} on this platform)" if storage.rwx_class else ""
        yield issue(
            ERROR,
            "$.spec.model.cache.accessMode",
            f"ReadWriteMany needs a storage class that provides it{offer}; {platform} node pool"
            f" {pool.name} has {default} (ReadWriteOnce): set model.cache.storageClass, or use"
            " cache type per-replica",
        )
    elif storage.default_class is None and _creates_claim(doc):
        yield issue(
            ERROR,
            "$.spec.model.cache",
            f"{platform} node pool {pool.name} has no default StorageClass, so the cache claim"
            " would stay Pending: set model.cache.storageClass (or cache type emptyDir)",
        )


def _creates_claim(doc: dict[str, Any]) -> bool:
    """The chart would create a PersistentVolumeClaim for the cache (as chartgen/model decides)."""
    from chartgen.model.source import parse_source
    from chartgen.model.storage import plan_cache

    source = parse_source(str(get(doc, "spec.model.source")))
    cache = plan_cache(get(doc, "spec.model.cache", {}), source, 1.0, max_replicas(doc), "")
    return cache.type in ("pvc", "per-replica")


def check_cache_options(doc: dict[str, Any]) -> Iterator[Issue]:
    cache = get(doc, "spec.model.cache", {})
    cache_type = cache.get("type")
    if "existingClaim" in cache and cache_type not in (None, "pvc"):
        yield issue(
            ERROR,
            "$.spec.model.cache.existingClaim",
            f"existingClaim needs cache type pvc, not {cache_type}",
        )
    if cache.get("download") == "job" and cache_type in ("emptyDir", "none"):
        yield issue(
            ERROR,
            "$.spec.model.cache.download",
            f"a download job needs a persistent cache (type pvc or per-replica), not {cache_type}",
        )
    source = str(get(doc, "spec.model.source", ""))
    if cache.get("download") == "job" and not source.startswith("hf://"):
        yield issue(
            WARNING,
            "$.spec.model.cache.download",
            "download: job only pre-downloads hf:// sources; it is ignored for this source",
        )
    name = str(get(doc, "metadata.name", ""))
    if cache_type == "per-replica" and len(name) > STATEFULSET_NAME_LIMIT:
        yield issue(
            ERROR,
            "$.metadata.name",
            f"cache type per-replica makes a StatefulSet, whose name must "
            f"be at most {STATEFULSET_NAME_LIMIT} characters (got {len(name)})",
        )


def check_custom_runtime(doc: dict[str, Any]) -> Iterator[Issue]:
    runtime, custom = get(doc, "spec.runtime"), get(doc, "spec.custom")
    if runtime != "custom":
        if custom is not None:
            yield issue(
                ERROR,
                "$.spec.custom",
                f"the custom block is only for runtime: custom (runtime is "
                f"{runtime}); remove it or use engine.extraArgs",
            )
        return
    if get(doc, "spec.image.repository") is None:
        yield issue(
            ERROR, "$.spec.image", "runtime custom needs image.repository (and a tag or digest)"
        )
    elif get(doc, "spec.image.tag") is None and get(doc, "spec.image.digest") is None:
        yield issue(ERROR, "$.spec.image", "runtime custom needs image.tag or image.digest")
    for field, what in (("ports", "the serving ports"), ("health", "the health endpoints")):
        if get(doc, f"spec.custom.{field}") is None:
            yield issue(
                ERROR,
                "$.spec.custom" if custom else "$.spec",
                f"runtime custom needs custom.{field} "
                f"({what}): chartgen cannot know them for your image",
            )


def check_run_as_root(doc: dict[str, Any]) -> Iterator[Issue]:
    if (
        get(doc, "spec.security.runAsUser") == 0
        and get(doc, "spec.security.podSecurity", "restricted") == "restricted"
    ):
        yield issue(
            ERROR,
            "$.spec.security.runAsUser",
            "runAsUser 0 (root) is not allowed by podSecurity "
            "restricted; use a non-zero UID or podSecurity baseline",
        )


def check_exposure(doc: dict[str, Any]) -> Iterator[Issue]:
    exposure = get(doc, "spec.exposure", {})
    kind = exposure.get("type", "none")
    unused = {
        "none": ("host", "className", "tlsSecret", "gateway", "timeoutSeconds"),
        "ingress": ("gateway",),
        "httproute": ("className", "tlsSecret"),
        "route": ("className", "tlsSecret", "gateway"),
        "inferencepool": ("className", "tlsSecret"),
    }[kind]
    for field in unused:
        if field in exposure:
            yield issue(
                WARNING,
                f"$.spec.exposure.{field}",
                f"exposure.{field} is ignored with exposure type {kind}",
            )
    if kind == "ingress" and "tlsSecret" in exposure and "host" not in exposure:
        yield issue(
            ERROR,
            "$.spec.exposure.tlsSecret",
            "exposure.tlsSecret needs exposure.host (the name the certificate is served for)",
        )
    yield from _route_issues(doc, exposure, kind)
    if kind in ("httproute", "inferencepool") and "gateway" not in exposure:
        yield issue(
            ERROR,
            "$.spec.exposure",
            f"exposure type {kind} needs exposure.gateway (the parent Gateway)",
        )
    drain = get(doc, "spec.drain.maxRequestSeconds")
    timeout = exposure.get("timeoutSeconds")
    if kind != "none" and timeout is not None and drain is not None and timeout < drain:
        yield issue(
            WARNING,
            "$.spec.exposure.timeoutSeconds",
            f"the proxy timeout ({timeout}s) cuts requests "
            f"shorter than drain.maxRequestSeconds ({drain}s)",
        )


def _route_issues(doc: dict[str, Any], exposure: dict[str, Any], kind: str) -> Iterator[Issue]:
    """A Route needs the platform's router; `termination` is a Route setting."""
    from chartgen import catalog

    if kind != "route" and "termination" in exposure:
        yield issue(
            WARNING,
            "$.spec.exposure.termination",
            f"exposure.termination is ignored with exposure type {kind}",
        )
    platform = catalog.platform(str(get(doc, "spec.platform", "generic")))
    if kind == "route" and platform.router is None:
        yield issue(
            ERROR,
            "$.spec.exposure.type",
            f"exposure type route needs the OpenShift router (route.openshift.io/v1); platform"
            f" {platform.name} has none: use ingress or httproute",
        )


def check_download_job_placement(doc: dict[str, Any]) -> Iterator[Issue]:
    """The download Job shares the GPU nodes (the zonal ReadWriteOnce volume must be filled where
    the server runs, issue 11 finding 5) without requesting a GPU: a variant whose admission
    refuses such pods can never run it."""
    from chartgen import catalog
    from chartgen.catalog.nodes import node_pool

    if get(doc, "spec.model.cache.download") != "job" or not get(doc, "spec.resources.gpu.count"):
        return
    platform = catalog.platform(str(get(doc, "spec.platform", "generic")))
    name = get(doc, "spec.scheduling.nodePool")
    if name is not None and name not in platform.node_pools:
        return  # check_node_pool reports it
    pool = node_pool(platform, None if name is None else str(name))
    if pool.rejects_gpu_helpers:
        yield issue(
            ERROR,
            "$.spec.model.cache.download",
            f"a download Job cannot run on {pool.title}: it must share the GPU nodes without"
            " requesting a GPU, and the platform refuses such pods; let the server download the"
            " model (omit cache.download)",
        )
