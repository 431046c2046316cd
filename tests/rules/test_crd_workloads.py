"""Pods inside custom resources (chartgen/catalog/workloads.yaml): every container, GPU and Service
rule reaches them, at their own JSON path and line; the labels their controllers add select them;
GPUs claimed through DRA count as GPUs. Each manifest is the shape the real chart of tests/corpus
renders (llm-d LeaderWorkerSet, vllm production-stack and KubeRay RayCluster, ollama Knative Service
and DRA claim template, KServe runtimes)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from chartgen import catalog
from chartgen.catalog.profiles import WorkloadKind
from chartgen.findings import Finding
from chartgen.manifests import parse_documents
from chartgen.rules import RuleContext, run_rules
from chartgen.rules.support.objects import ObjectSet
from chartgen.validate.crds import bundled_crds

LWS = """\
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: decode
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 2
    workerTemplate:
      metadata:
        labels: {app: decode}
      spec:
        containers:
          - name: vllm
            image: ghcr.io/llm-d/llm-d-cuda:latest
            resources:
              limits: {nvidia.com/gpu: 1}
---
apiVersion: v1
kind: Service
metadata:
  name: decode
spec:
  selector:
    leaderworkerset.sigs.k8s.io/name: decode
  ports: [{port: 8000}]
"""

RAY = """\
apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: ray
spec:
  headGroupSpec:
    template:
      metadata:
        labels: {model: llama}
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.52.0
            ports: [{containerPort: 8000, name: serve}]
  workerGroupSpecs:
    - groupName: cpu
      replicas: 1
      template:
        spec:
          containers:
            - {name: ray-worker, image: rayproject/ray:2.52.0}
    - groupName: gpu
      replicas: 2
      template:
        spec:
          containers:
            - name: ray-worker
              image: rayproject/ray:2.52.0
              resources:
                limits: {nvidia.com/gpu: 1}
---
apiVersion: v1
kind: Service
metadata:
  name: serve
spec:
  selector:
    ray.io/cluster: ray
    ray.io/node-type: head
  ports: [{port: 8000, targetPort: serve}]
---
apiVersion: v1
kind: Service
metadata:
  name: gpu-workers
spec:
  selector:
    ray.io/group: gpu
  ports: [{port: 8000}]
"""

KNATIVE = """\
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ollama
spec:
  template:
    spec:
      containers:
        - name: ollama
          image: ollama/ollama:0.12.0
          ports: [{containerPort: 11434}]
---
apiVersion: v1
kind: Service
metadata:
  name: ollama-direct
spec:
  selector:
    serving.knative.dev/service: ollama
  ports: [{port: 11434}]
"""

ISVC = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama
  labels: {team: ml}
spec:
  predictor:
    minReplicas: 2
    model:
      modelFormat: {name: huggingface}
      image: kserve/huggingfaceserver:latest
      resources:
        limits: {nvidia.com/gpu: 1}
---
apiVersion: v1
kind: Service
metadata:
  name: llama-direct
spec:
  selector:
    serving.kserve.io/inferenceservice: llama
    component: predictor
    team: ml
  ports: [{port: 8080}]
"""

DRA = """\
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: two-gpus
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com, count: 2}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: decode
spec:
  selector:
    matchLabels: {app: decode}
  template:
    metadata:
      labels: {app: decode}
    spec:
      tolerations:
        - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
      resourceClaims:
        - {name: gpus, resourceClaimTemplateName: two-gpus}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.11.0
          args: [serve, Qwen/Qwen3-8B, --tensor-parallel-size, "TP"]
          resources:
            claims: [{name: gpus}]
"""


def lint(text: str) -> list[Finding]:
    return run_rules(list(parse_documents(text, "chart.yaml")), RuleContext())


def at(found: list[Finding], rule_id: str) -> list[tuple[str, int]]:
    return sorted((f.json_path, f.location.line) for f in found if f.rule_id == rule_id)


def test_leaderworkerset_templates_get_container_and_gpu_rules_at_their_line() -> None:
    found = lint(LWS)
    pod = "/spec/leaderWorkerTemplate/workerTemplate/spec"
    assert at(found, "floating-image-tag") == [(f"{pod}/containers/0/image", 15)]
    assert at(found, "gpu-toleration-missing") == [(pod, 12)]
    assert at(found, "service-selects-no-pods") == []


def test_raycluster_head_and_every_worker_group_is_a_workload() -> None:
    workloads = ObjectSet(list(parse_documents(RAY, "ray.yaml"))).workloads
    assert [(w.pod_pointer, w.replicas, w.labels["ray.io/group"]) for w in workloads] == [
        ("/spec/headGroupSpec/template/spec", 1, "headgroup"),
        ("/spec/workerGroupSpecs/0/template/spec", 1, "cpu"),
        ("/spec/workerGroupSpecs/1/template/spec", 2, "gpu"),
    ]
    assert workloads[0].labels["model"] == "llama"
    assert workloads[0].labels["ray.io/cluster"] == "ray"


def test_services_selecting_kuberay_labels_select_pods() -> None:
    found = lint(RAY)
    assert at(found, "service-selects-no-pods") == []
    assert at(found, "gpu-toleration-missing") == [("/spec/workerGroupSpecs/1/template/spec", 25)]


def test_kuberay_probes_count_as_probes() -> None:
    """KubeRay gives the Ray container liveness and readiness probes when it has none."""
    found = lint(RAY)
    assert at(found, "readiness-probe-missing") == []
    assert at(found, "serving-container-without-probes") == []


def test_knative_service_pods_are_selected_by_the_service_label() -> None:
    found = lint(KNATIVE)
    assert at(found, "service-selects-no-pods") == []
    assert at(found, "readiness-probe-missing") == []  # Knative adds a TCP readiness probe
    assert at(found, "container-resources-missing") == [("/spec/template/spec/containers/0", 9)]


def test_inferenceservice_predictor_model_container_is_linted() -> None:
    found = lint(ISVC)
    assert at(found, "floating-image-tag") == [("/spec/predictor/model/image", 11)]
    assert at(found, "gpu-toleration-missing") == [("/spec/predictor", 7)]
    assert at(found, "service-selects-no-pods") == []
    (predictor,) = ObjectSet(list(parse_documents(ISVC, "isvc.yaml"))).workloads
    assert predictor.replicas == 2 and predictor.gpus == 1


def test_gpus_claimed_through_dra_count_as_gpus() -> None:
    assert at(lint(DRA.replace("TP", "2")), "gpu-parallelism-mismatch") == []
    assert at(lint(DRA.replace("TP", "2")), "gpu-toleration-without-gpu") == []
    mismatch = lint(DRA.replace("TP", "4"))
    assert [f.message for f in mismatch if f.rule_id == "gpu-parallelism-mismatch"] == [
        "container 'vllm' shards the model over tensor parallel 4 = 4 GPUs but gets 2"
    ]


def test_a_claim_the_chart_does_not_define_is_not_zero_gpus() -> None:
    external = DRA.replace("two-gpus}", "cluster-gpus}").replace('"TP"', '"2"')
    (workload,) = ObjectSet(list(parse_documents(external, "x.yaml"))).workloads
    assert not workload.gpus_known
    assert at(lint(external), "gpu-parallelism-mismatch") == []
    assert at(lint(external), "gpu-toleration-without-gpu") == []


def test_a_claim_of_a_non_gpu_device_class_is_no_gpu() -> None:
    nic = DRA.replace("gpu.nvidia.com", "rdma.example.com").replace('"TP"', '"2"')
    (workload,) = ObjectSet(list(parse_documents(nic, "x.yaml"))).workloads
    assert workload.gpus == 0 and workload.gpus_known


def test_serving_runtime_resources_come_from_the_inferenceservice() -> None:
    runtime = """\
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: kserve-vllmserver
spec:
  supportedModelFormats: [{name: vllm}]
  containers:
    - name: kserve-container
      image: vllm/vllm-openai:v0.11.0
"""
    found = lint(runtime)
    assert at(found, "cuda-image-without-gpu") == []
    assert at(found, "floating-image-tag") == []


def test_every_kind_of_the_table_names_a_source_and_known_groups() -> None:
    table = catalog.workloads()
    kinds = {(group, kind.kind) for kind in table.kinds for group in kind.groups}
    for expected in [
        ("leaderworkerset.x-k8s.io", "LeaderWorkerSet"),
        ("ray.io", "RayCluster"),
        ("ray.io", "RayService"),
        ("serving.kserve.io", "InferenceService"),
        ("serving.kserve.io", "ServingRuntime"),
        ("kubeflow.org", "PyTorchJob"),
        ("trainer.kubeflow.org", "TrainingRuntime"),
        ("jobset.x-k8s.io", "JobSet"),
        ("serving.knative.dev", "Service"),
        ("argoproj.io", "Rollout"),
    ]:
        assert expected in kinds
    assert ("", "Service") not in kinds  # a core Service has no pods


def _schema_at(schema: dict[str, Any], pattern: str) -> dict[str, Any] | None:
    """The sub-schema a pointer pattern reaches (`*`: array items or map values)."""
    node: Any = schema
    for token in (t for t in pattern.split("/") if t):
        if token == "*":
            node = node.get("items") or node.get("additionalProperties")
        else:
            node = (node.get("properties") or {}).get(token)
        if not isinstance(node, dict):
            return None
    return dict(node)


@pytest.mark.parametrize(
    "kind",
    [k for k in catalog.workloads().kinds if k.groups != ("",) and "apps" not in k.groups],
    ids=lambda k: k.kind,
)
def test_every_pointer_of_the_table_is_in_the_bundled_crd(kind: WorkloadKind) -> None:
    """The table's paths read against the projects' own CRDs (bundled, see schemas/crds)."""
    if kind.groups == ("batch",):
        pytest.skip("built-in kind")
    (group,) = kind.groups
    versions = [c for c in bundled_crds(group) if c.kind == kind.kind and c.openapi]
    assert versions, f"no bundled CRD for {group}/{kind.kind}"
    schema = dict(versions[0].openapi or {})
    for site in kind.templates:
        pod = _schema_at(schema, site.pod)
        assert pod is not None and "containers" in pod.get("properties", {}), site.pod
        if site.metadata:
            assert _schema_at(schema, site.metadata) is not None, site.metadata
        for pointer in site.containers:
            container = _schema_at(schema, pointer)
            assert container is not None and "image" in container.get("properties", {}), pointer
        for pointer in (*site.labels, *site.annotations):
            if not pointer.startswith("/metadata/"):
                assert _schema_at(schema, pointer) is not None, pointer
        if site.replicas:
            replicas = _schema_at(schema, site.replicas)
            assert replicas is not None and replicas.get("type") == "integer", site.replicas


def _schema_findings(text: str) -> list[tuple[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", "lint", "--schema-only", "--format", "json", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    results = json.loads(done.stdout)["results"]
    return sorted((r["ruleId"], r.get("jsonPointer") or "") for r in results)


def test_bundled_crds_validate_the_custom_resources() -> None:
    """RayCluster, Knative Service and InferenceService validate against their projects' CRDs."""
    assert _schema_findings(RAY + "---\n" + KNATIVE + "---\n" + ISVC) == []
    typo = RAY.replace("      replicas: 2\n", "      replica: 2\n")
    assert ("schema-unknown-field", "/spec/workerGroupSpecs/1/replica") in _schema_findings(typo)


BATCH = """\
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: finetune
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers: [{name: pytorch, image: pytorch/pytorch:2.5.1}]
    Worker:
      replicas: 3
      template:
        spec:
          containers: [{name: pytorch, image: pytorch/pytorch:2.5.1}]
---
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: tpu
spec:
  replicatedJobs:
    - name: workers
      template:
        spec:
          template:
            spec:
              containers: [{name: jax, image: python:3.12}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  replicas: 4
  template:
    metadata:
      labels: {app: canary}
    spec:
      containers: [{name: server, image: vllm/vllm-openai:v0.11.0}]
"""


def test_batch_and_rollout_kinds_carry_their_controllers_labels() -> None:
    workloads = ObjectSet(list(parse_documents(BATCH, "batch.yaml"))).workloads
    shown = [(w.kind, w.pod_pointer, w.replicas, w.serves) for w in workloads]
    assert shown == [
        ("PyTorchJob", "/spec/pytorchReplicaSpecs/Master/template/spec", 1, False),
        ("PyTorchJob", "/spec/pytorchReplicaSpecs/Worker/template/spec", 3, False),
        ("JobSet", "/spec/replicatedJobs/0/template/spec/template/spec", 1, False),
        ("Rollout", "/spec/template/spec", 4, True),
    ]
    assert workloads[1].labels == {
        "training.kubeflow.org/job-name": "finetune",
        "training.kubeflow.org/replica-type": "worker",
    }
    assert workloads[2].labels == {
        "jobset.sigs.k8s.io/jobset-name": "tpu",
        "jobset.sigs.k8s.io/replicatedjob-name": "workers",
    }
    assert workloads[3].labels == {"app": "canary"}


def test_suppressions_on_a_crd_pod_template_apply() -> None:
    annotated = LWS.replace(
        "        labels: {app: decode}\n",
        "        labels: {app: decode}\n"
        "        annotations:\n"
        "          chartgen.dev/ignore: floating-image-tag\n"
        "          chartgen.dev/ignore-reason: pinned by the registry mirror\n",
    )
    (found,) = [f for f in lint(annotated) if f.rule_id == "floating-image-tag"]
    assert found.suppressed_by == "chartgen.dev/ignore: pinned by the registry mirror"
