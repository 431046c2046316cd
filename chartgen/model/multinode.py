"""One replica across several nodes: a LeaderWorkerSet group of one leader and nodes - 1 workers.

Tensor parallelism stays within a node (NVLink), pipeline parallelism crosses nodes, as vLLM's
parallelism guide says (catalog runtimes/*.yaml `multinode` and its source). The group is the unit
of everything: LeaderWorkerSet recreates all its pods when one restarts, a rollout replaces whole
groups, and only the leader serves requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chartgen.catalog.profiles import MultiNode, RuntimeProfile
from chartgen.model.plan import LwsRollout, MultiNodePlan

LWS_API = "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet"
# Workers must start beside the leader, not after it is ready: the leader's server becomes ready
# only once every worker joined (kubernetes-sigs/lws leaderworkerset_types.go StartupPolicy).
STARTUP_POLICY = "LeaderCreated"
# A pod that restarts alone cannot rejoin a running collective: restart the whole group.
RESTART_POLICY = "RecreateGroupOnPodRestart"


@dataclass(frozen=True)
class GroupShape:
    nodes: int
    per_node: int
    total: int


def group_shape(spec: dict[str, Any]) -> GroupShape:
    """nodes and GPUs per node as the spec states them (count, nodes, perNode); a shape that does
    not multiply out is reported by the spec checks, this only divides."""
    gpu = spec.get("resources", {}).get("gpu", {})
    total = int(gpu.get("count", 0))
    nodes, per_node = gpu.get("nodes"), gpu.get("perNode")
    if nodes is None and per_node is None:
        return GroupShape(1, total, total)
    if nodes is None:
        nodes = max(1, total // int(per_node))
    if per_node is None:
        per_node = total // int(nodes)
    return GroupShape(int(nodes), int(per_node), total)


def is_multinode(spec: dict[str, Any]) -> bool:
    return group_shape(spec).nodes > 1


def plan_multinode(
    runtime: RuntimeProfile, shape: GroupShape, *, spare_gpus: int, port: int
) -> MultiNodePlan:
    profile = runtime.multinode
    if profile is None:  # the spec check refuses this; resolve() never gets here
        raise ValueError(f"runtime {runtime.name} has no multi-node mode")
    return MultiNodePlan(
        size=shape.nodes,
        gpus_per_node=shape.per_node,
        tensor_parallel=shape.per_node,
        pipeline_parallel=shape.nodes,
        leader_args=_args(profile.leader_args, profile, shape.nodes, port),
        worker_args=_args(profile.worker_args, profile, shape.nodes, port),
        join_seconds=profile.join_seconds,
        startup_policy=STARTUP_POLICY,
        restart_policy=RESTART_POLICY,
        rollout=_rollout(spare_gpus, shape.total),
    )


def _args(template: tuple[str, ...], profile: MultiNode, nodes: int, port: int) -> tuple[str, ...]:
    rendezvous = profile.rendezvous_port or port
    return tuple(
        arg.replace("{nodes}", str(nodes)).replace("{port}", str(rendezvous)) for arg in template
    )


def _rollout(spare_gpus: int, group_gpus: int) -> LwsRollout:
    """No surge unless spare GPUs for a whole group are declared: a surge group would wait
    Pending for GPUs that do not exist (LWS defaults: maxSurge 0, maxUnavailable 1)."""
    if spare_gpus >= group_gpus:
        return LwsRollout(max_surge=1, max_unavailable=0, reason="spare GPUs for a whole group")
    return LwsRollout(
        max_surge=0, max_unavailable=1, reason="no spare GPUs: replace one group at a time"
    )
