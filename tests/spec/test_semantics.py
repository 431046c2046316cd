"""Cross-field checks: each case changes a valid spec and expects one problem at one path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.errors import SpecErrors
from chartgen.findings import Finding
from chartgen.spec import check_specs
from tests.spec.conftest import VALID_SPEC

Edit = Callable[[dict[str, Any]], None]


def problems_after(tmp_path: Path, edit: Edit) -> list[Finding]:
    data = yaml.safe_load(VALID_SPEC)
    edit(data["spec"])
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    try:
        return check_specs([path])[1]
    except SpecErrors as errors:
        return [p for p in errors.problems if isinstance(p, Finding)]


def gpu(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["resources"]["gpu"]
    return result


CASES: dict[str, tuple[Edit, str, str, str]] = {  # edit, severity, path, message fragment
    "tp-mismatch": (
        lambda s: s["engine"].update(tensorParallel=4),
        "error",
        "$.spec.engine.tensorParallel",
        "must equal resources.gpu.count (2)",
    ),
    "pp-does-not-divide": (
        lambda s: (s["engine"].pop("tensorParallel"), s["engine"].update(pipelineParallel=3)),
        "error",
        "$.spec.engine.pipelineParallel",
        "does not divide",
    ),
    "parallel-without-gpus": (
        lambda s: s["resources"].pop("gpu"),
        "error",
        "$.spec.engine",
        "needs GPUs",
    ),
    "unknown-product": (
        lambda s: gpu(s).update(product="l4"),
        "error",
        "$.spec.resources.gpu.product",
        "did you mean 'L4'",
    ),
    "product-vendor": (
        lambda s: gpu(s).update(product="MI300X"),
        "error",
        "$.spec.resources.gpu.vendor",
        "made by amd",
    ),
    "mig-not-capable": (
        lambda s: gpu(s).update(mig="1g.10gb"),
        "error",
        "$.spec.resources.gpu.mig",
        "L4 does not support MIG",
    ),
    "mig-without-product": (
        lambda s: (gpu(s).pop("product"), gpu(s).update(mig="1g.10gb")),
        "warning",
        "$.spec.resources.gpu.mig",
        "set resources.gpu.product",
    ),
    "gke-time-sharing": (
        lambda s: gpu(s).update(sharing="time-slicing"),
        "error",
        "$.spec.resources.gpu.count",
        "at most 1 GPU per container",
    ),
    "sharing-default-util": (
        lambda s: (s.update(platform="openshift"), gpu(s).update(sharing="mps")),
        "warning",
        "$.spec.resources.gpu.sharing",
        "set engine.gpuMemoryUtilization",
    ),
    "memory-below-model": (
        lambda s: s["resources"].update(memory="10Gi"),
        "warning",
        "$.spec.resources.memory",
        "below model.sizeGiB",
    ),
    "cpu-limit-below": (
        lambda s: s["resources"].update(cpuLimit="4"),
        "error",
        "$.spec.resources.cpuLimit",
        "below the cpu request",
    ),
    "min-zero": (
        lambda s: s["autoscaling"].update(minReplicas=0),
        "error",
        "$.spec.autoscaling.minReplicas",
        "needs scaleToZero",
    ),
    "scale-to-zero-disabled": (
        lambda s: s["autoscaling"].update(
            enabled=False, engine="keda", scaleToZero=True, activation={"query": "up"}
        ),
        "warning",
        "$.spec.autoscaling.scaleToZero",
        "no effect",
    ),
    "surge-rwo": (
        lambda s: (
            s.update(autoscaling={"enabled": False}, rollout={"spareGpus": 2}),
            s["model"].update(cache={"type": "pvc", "accessMode": "ReadWriteOnce"}),
        ),
        "error",
        "$.spec.model.cache.accessMode",
        "surge rollout",
    ),
    "existing-claim-emptydir": (
        lambda s: s["model"].update(cache={"type": "emptyDir", "existingClaim": "c"}),
        "error",
        "$.spec.model.cache.existingClaim",
        "needs cache type pvc",
    ),
    "download-job-emptydir": (
        lambda s: s["model"].update(cache={"type": "emptyDir", "download": "job"}),
        "error",
        "$.spec.model.cache.download",
        "persistent cache",
    ),
    "download-job-s3": (
        lambda s: s["model"].update(
            source="s3://bucket/m", cache={"type": "per-replica", "download": "job"}
        ),
        "warning",
        "$.spec.model.cache.download",
        "only pre-downloads hf://",
    ),
    "custom-no-image": (
        lambda s: s.update(
            runtime="custom",
            custom={"ports": {"http": 80}, "health": {"readiness": "/r", "liveness": "/l"}},
            engine={},
        ),
        "error",
        "$.spec.image",
        "needs image.repository",
    ),
    "exposure-ignored": (
        lambda s: s["exposure"].update(gateway={"name": "g"}),
        "warning",
        "$.spec.exposure.gateway",
        "ignored with exposure type ingress",
    ),
    "proxy-timeout": (
        lambda s: (
            s["exposure"].update(timeoutSeconds=60),
            s.update(drain={"maxRequestSeconds": 600}),
        ),
        "warning",
        "$.spec.exposure.timeoutSeconds",
        "cuts requests",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_one_problem(tmp_path: Path, name: str) -> None:
    edit, severity, path, fragment = CASES[name]
    found = problems_after(tmp_path, edit)
    assert len(found) == 1, [str(p) for p in found]
    (problem,) = found
    assert (problem.severity.label, problem.json_path) == (severity, path)
    assert fragment in problem.message
    assert problem.location.line > 0


def test_statefulset_name_limit(tmp_path: Path) -> None:
    data = yaml.safe_load(VALID_SPEC)
    data["metadata"]["name"] = "n" * 53
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SpecErrors, match="StatefulSet, whose name must be at most 52"):
        check_specs([path])


def test_valid_spec_has_no_problems(valid_spec: Path) -> None:
    docs, warnings = check_specs([valid_spec])
    assert len(docs) == 1 and warnings == []
