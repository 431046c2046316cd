"""Checks of a replica spread over several nodes (resources.gpu.nodes / perNode): the shape
multiplies out, the runtime has a multi-node mode, tensor parallelism stays within a node, and
the options that cannot hold for a LeaderWorkerSet group are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue
from chartgen.spec.issues import ERROR, get, issue

NODES = "$.spec.resources.gpu.nodes"
# Why runtimes without a `multinode` catalog profile are refused, where upstream says more.
NO_MULTINODE = {
    "triton": "TensorRT-LLM across nodes needs an image built with its MPI launcher and a"
    " service account that may list pods (kubernetes-sigs/lws docs/examples/tensorrt-llm), not"
    " the stock Triton image chartgen deploys",
}


def check_multinode(doc: dict[str, Any]) -> Iterator[Issue]:
    gpu = get(doc, "spec.resources.gpu", {})
    if "nodes" not in gpu and "perNode" not in gpu:
        return
    count = int(gpu.get("count", 0))
    shape = _shape_problem(gpu, count)
    if shape is not None:
        yield issue(ERROR, shape[0], shape[1])
        return
    nodes = int(gpu.get("nodes", count // int(gpu.get("perNode", count or 1))))
    if nodes <= 1:
        return
    yield from _runtime_supports(doc)
    yield from _tensor_within_node(doc, count // nodes)
    yield from _refused_options(doc, gpu)


def _shape_problem(gpu: dict[str, Any], count: int) -> tuple[str, str] | None:
    nodes, per_node = gpu.get("nodes"), gpu.get("perNode")
    if count == 0:
        return NODES if nodes is not None else "$.spec.resources.gpu.perNode", (
            "resources.gpu.nodes/perNode need GPUs: set resources.gpu.count"
        )
    if nodes is not None and per_node is not None and int(nodes) * int(per_node) != count:
        return "$.spec.resources.gpu.count", (
            f"nodes x perNode = {int(nodes) * int(per_node)} must equal resources.gpu.count"
            f" ({count})"
        )
    if nodes is not None and count % int(nodes):
        return NODES, f"resources.gpu.nodes {nodes} does not divide resources.gpu.count ({count})"
    if per_node is not None and count % int(per_node):
        return "$.spec.resources.gpu.perNode", (
            f"resources.gpu.perNode {per_node} does not divide resources.gpu.count ({count})"
        )
    return None


def _runtime_supports(doc: dict[str, Any]) -> Iterator[Issue]:
    from chartgen import catalog

    name = str(get(doc, "spec.runtime"))
    if name != "custom" and catalog.runtime(name).multinode is not None:
        return
    able = sorted(n for n in catalog.runtime_names() if catalog.runtime(n).multinode is not None)
    why = NO_MULTINODE.get(name, "the catalog has no multi-node mode for it")
    yield issue(
        ERROR,
        NODES,
        f"runtime {name} cannot serve one replica across nodes ({why});"
        f" use {' or '.join(able)}, or one node",
    )


def _tensor_within_node(doc: dict[str, Any], per_node: int) -> Iterator[Issue]:
    tensor = get(doc, "spec.engine.tensorParallel")
    if tensor is not None and int(tensor) > per_node:
        yield issue(
            ERROR,
            "$.spec.engine.tensorParallel",
            f"tensorParallel {tensor} exceeds the {per_node} GPUs per node: tensor parallelism"
            " needs the GPUs of one node; parallelise across nodes with pipelineParallel",
        )


def _refused_options(doc: dict[str, Any], gpu: dict[str, Any]) -> Iterator[Issue]:
    for field in ("mig", "sharing"):
        if gpu.get(field, "none") != "none":
            yield issue(
                ERROR,
                f"$.spec.resources.gpu.{field}",
                f"resources.gpu.{field} with nodes > 1: a multi-node replica takes whole GPUs",
            )
    if get(doc, "spec.autoscaling.enabled", False):
        yield issue(
            ERROR,
            "$.spec.autoscaling.enabled",
            "autoscaling a multi-node replica (LeaderWorkerSet) is not supported yet; set"
            " replicas instead",
        )
    cache = get(doc, "spec.model.cache", {})
    if cache.get("type") == "pvc" and cache.get("accessMode", "ReadWriteOnce") != "ReadWriteMany":
        yield issue(
            ERROR,
            "$.spec.model.cache.type",
            "a shared pvc cache must be ReadWriteMany for a multi-node replica (its pods run on"
            " different nodes); use type per-replica (one claim per pod) or accessMode"
            " ReadWriteMany",
        )
