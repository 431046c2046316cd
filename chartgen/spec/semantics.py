"""Checks across fields that JSON Schema cannot express, run on schema-valid documents.

Each check is a small function in CHECKS yielding Issues; the loader turns them into Findings (chartgen.findings.spec_problem)
with file positions. Errors stop generation; warnings are returned to the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from chartgen.findings import Issue
from chartgen.spec import (
    gpu_checks,
    model_checks,
    multinode_checks,
    serving_checks,
    workload_checks,
)
from chartgen.spec.issues import ERROR, Check, issue

CHECKS: dict[str, Check] = {
    "parallelism-matches-gpus": gpu_checks.check_parallelism,
    "parallelism-supported": gpu_checks.check_parallelism_supported,
    "engine-option-values": gpu_checks.check_engine_values,
    "gpu-product-known": gpu_checks.check_gpu_product,
    "mig-profile-valid": gpu_checks.check_mig,
    "gpu-fields-need-count": gpu_checks.check_gpu_fields_need_count,
    "shared-gpu-memory": gpu_checks.check_shared_gpu,
    "multi-node-group": multinode_checks.check_multinode,
    "gpu-node-pool": gpu_checks.check_node_pool,
    "model-size-known": model_checks.check_model_size,
    "gated-repository": model_checks.check_gated_repository,
    "gpu-fit": gpu_checks.check_gpu_fit,
    "vendor-image": gpu_checks.check_vendor_image,
    "replica-range": workload_checks.check_replica_range,
    "scale-to-zero": workload_checks.check_scale_to_zero,
    "utilization-target-integer": workload_checks.check_utilization_target,
    "queue-signal-metric": workload_checks.check_queue_signal,
    "memory-holds-model": workload_checks.check_memory_holds_model,
    "cpu-limit": workload_checks.check_cpu_limit,
    "shared-rwo-cache": workload_checks.check_shared_rwo_cache,
    "cache-storage-class": workload_checks.check_cache_storage_class,
    "cache-options": workload_checks.check_cache_options,
    "download-job-placement": workload_checks.check_download_job_placement,
    "custom-runtime": workload_checks.check_custom_runtime,
    "run-as-root": workload_checks.check_run_as_root,
    "exposure": workload_checks.check_exposure,
    "api-key-supported": serving_checks.check_auth,
    "engine-settings-supported": serving_checks.check_engine_settings,
    "lora-adapters": serving_checks.check_loras,
    "inference-pool-runtime": serving_checks.check_inference_pool,
}


def semantic_issues(document: dict[str, Any]) -> Iterator[Issue]:
    """Every issue of one schema-valid document, check by check."""
    for check in CHECKS.values():
        yield from check(document)


def duplicate_names(documents: Sequence[tuple[str, dict[str, Any]]]) -> Iterator[tuple[int, Issue]]:
    """(document number, issue) for every service name already used by an earlier document.

    `documents` holds (where, data) pairs; `where` names the first use in the message.
    """
    first: dict[str, str] = {}
    for number, (where, data) in enumerate(documents):
        name = str(data["metadata"]["name"])
        if name in first:
            message = (
                f"metadata.name {name!r} is already used by {first[name]}; charts would collide"
            )
            yield number, issue(ERROR, "$.metadata.name", message)
        else:
            first[name] = where
