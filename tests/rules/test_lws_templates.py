"""Rules see both pod templates of a LeaderWorkerSet (rules/support/objects.py
CRD_POD_SPEC_POINTERS) and count a group's GPUs together: a model sharded over TP x PP of the
whole group is not a mismatch, a Service on the leader's labels has pods behind it, and the
worker template (which serves nothing) is not asked for probes."""

from __future__ import annotations

from pathlib import Path

from tests.rules.fixture_files import findings

GROUP = Path(__file__).parent / "lws" / "group.yaml"


def ids_after(tmp_path: Path, old: str, new: str) -> list[tuple[str, int]]:
    path = tmp_path / "group.yaml"
    path.write_text(GROUP.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return sorted((f.rule_id, f.location.line) for f in findings(path))


def test_group_gpus_shard_the_model(tmp_path: Path) -> None:
    found = ids_after(tmp_path, "", "")
    assert not [f for f in found if f[0] == "gpu-parallelism-mismatch"], found
    assert not [f for f in found if f[0] == "service-selects-no-pods"], found


def test_a_group_of_one_pod_cannot_hold_pipeline_parallel_two(tmp_path: Path) -> None:
    found = ids_after(tmp_path, "size: 2", "size: 1")
    assert [line for rule, line in found if rule == "gpu-parallelism-mismatch"] == [19, 30]


def test_a_service_on_no_template_label_selects_nothing(tmp_path: Path) -> None:
    found = ids_after(tmp_path, "selector: {app: vllm, role: leader}", "selector: {role: head}")
    assert ("service-selects-no-pods", 39) in found


def test_only_the_serving_template_needs_probes(tmp_path: Path) -> None:
    found = ids_after(tmp_path, "", "")
    probe_lines = {line for rule, line in found if "probe" in rule}
    assert probe_lines and all(line < 22 for line in probe_lines), found
