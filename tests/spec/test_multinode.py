"""Issue 16 part A: a replica across nodes. The spec checks refuse shapes that cannot run (exit 2,
file:line), the plan derives tensor parallel within a node and pipeline parallel across nodes,
and the LeaderWorkerSet chart serves from its leader only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.model.resolve import resolve
from tests.chart.helpers import EXAMPLES
from tests.spec.conftest import run_cli

EXAMPLE = EXAMPLES / "vllm-llama-405b-multinode-gke.yaml"


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def build(tmp_path: Path, data: dict[str, Any]) -> tuple[int, str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, _, err = run_cli("build", str(spec), "-o", str(tmp_path / "out"))
    return code, err


def gpu(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = data["spec"]["resources"]["gpu"]
    return found


REFUSED = {  # edit of the example -> (key of the line the error names, message fragment)
    "nodes-times-per-node": (
        lambda d: gpu(d).update(perNode=4),
        "count:",
        "nodes x perNode = 8 must equal resources.gpu.count (16)",
    ),
    "nodes-do-not-divide": (
        lambda d: gpu(d).update(nodes=3),
        "nodes:",
        "resources.gpu.nodes 3 does not divide resources.gpu.count (16)",
    ),
    "tensor-beyond-a-node": (
        lambda d: d["spec"]["engine"].update(tensorParallel=16, pipelineParallel=1),
        "tensorParallel:",
        "tensorParallel 16 exceeds the 8 GPUs per node",
    ),
    "node-size-of-the-product": (  # p5.48xlarge: 8 H100 (catalog gpus.yaml)
        lambda d: (
            d["spec"].update(platform="eks"),
            d["spec"]["model"]["cache"].pop("storageClass"),
            gpu(d).update(count=32, nodes=2),
        ),
        "count:",
        "no AWS instance has 16 H100-80GB GPUs",
    ),
    "triton-has-no-multinode": (
        lambda d: d["spec"].update(runtime="triton"),
        "nodes:",
        "runtime triton cannot serve one replica across nodes (TensorRT-LLM",
    ),
    "autoscaling": (
        lambda d: d["spec"].update(autoscaling={"enabled": True, "maxReplicas": 2}),
        "enabled:",
        "autoscaling a multi-node replica",
    ),
    "rwo-shared-cache": (
        lambda d: d["spec"]["model"]["cache"].update(type="pvc"),
        "type: pvc",
        "must be ReadWriteMany for a multi-node replica",
    ),
    "whole-group-fit": (
        lambda d: gpu(d).update(count=8, nodes=1),
        "count:",
        "the model does not fit 8 x H100-80GB",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_exit_2_at_the_line(tmp_path: Path, name: str) -> None:
    edit, key, fragment = REFUSED[name]
    data = example()
    edit(data)
    code, err = build(tmp_path, data)
    assert code == 2, err
    assert fragment in err, err
    lines = (tmp_path / "spec.yaml").read_text(encoding="utf-8").splitlines()
    reported = next(row for row in err.splitlines() if fragment in row)
    line = int(reported.split("spec.yaml:", 1)[1].split(":", 1)[0])
    assert key in lines[line - 1], (line, err)
    assert "Traceback" not in err


def test_fit_is_judged_over_the_whole_group(tmp_path: Path) -> None:
    code, err = build(tmp_path, example())
    assert code == 0, err


def test_plan_splits_tensor_within_and_pipeline_across_nodes() -> None:
    plan = resolve(example())
    group = plan.multinode
    assert plan.workload_kind == "LeaderWorkerSet" and group is not None
    assert (group.size, group.gpus_per_node) == (2, 8)
    assert plan.gpu.count == 8  # per pod: one node's GPUs
    assert plan.args[plan.args.index("--tensor-parallel-size") + 1] == "8"
    assert plan.args[plan.args.index("--pipeline-parallel-size") + 1] == "2"
    assert list(group.leader_args) == [
        "--nnodes", "2", "--node-rank", "0", "--master-addr", "$(LWS_LEADER_ADDRESS)",
    ]  # fmt: skip
    assert group.worker_args[-1] == "--headless"
    assert "$(LWS_WORKER_INDEX)" in group.worker_args
    assert (group.startup_policy, group.restart_policy) == (
        "LeaderCreated",
        "RecreateGroupOnPodRestart",
    )
    assert (group.rollout.max_surge, group.rollout.max_unavailable) == (0, 1)
    assert "+ 300s for the workers to join" in plan.probes.budget_explanation
    assert plan.cache.type == "per-replica"


def test_spare_gpus_for_a_whole_group_allow_a_surge() -> None:
    data = example()
    data["spec"]["rollout"] = {"spareGpus": 16}
    group = resolve(data).multinode
    assert group is not None and (group.rollout.max_surge, group.rollout.max_unavailable) == (1, 0)


def test_sglang_dials_the_leader_rendezvous_port() -> None:
    data = example()
    data["spec"]["runtime"] = "sglang"
    group = resolve(data).multinode
    assert group is not None
    assert "$(LWS_LEADER_ADDRESS):20000" in group.leader_args
    assert group.worker_args[group.worker_args.index("--node-rank") + 1] == "$(LWS_WORKER_INDEX)"


def test_per_node_shape_from_per_node() -> None:
    data = example()
    gpu(data).pop("nodes")
    gpu(data)["perNode"] = 8
    group = resolve(data).multinode
    assert group is not None and (group.size, group.gpus_per_node) == (2, 8)
