"""Model downloaded from a hub on every start, with no persistent cache."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.downloads import download_dir, hub_download
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.volumes import is_persistent

ID = "model-download-without-cache"
SEVERITY = Severity.WARNING
SUMMARY = "Models pulled from a hub at start should land on a persistent cache volume"
RATIONALE = (
    "Without a persistent volume at the download directory (HF_HOME, HF_HUB_CACHE, --download-dir), "
    "every restart, reschedule and scale-up downloads the weights again: Llama-3-70B takes 15-20 "
    "minutes instead of about 1 minute from a cache (kserve/kserve#3869), hub rate limits and "
    "outages block start-up, and the pod's disk fills (kaito-project/kaito#1023, "
    "defilantech/LLMKube#52). Pin a revision and set HF_HUB_OFFLINE=1 once the cache is filled."
)
REFERENCES = (
    "kserve/kserve#3869",
    "kaito-project/kaito#1023",
    "defilantech/LLMKube#52",
    "vectorize-io/hindsight#860",
)
FIX = "Mount a PersistentVolumeClaim (or a volumeClaimTemplate, or an image volume) at the model cache directory."
EXAMPLE = """\
env:
  - name: HF_HOME
    value: /cache
volumeMounts:
  - name: cache
    mountPath: /cache
volumes:
  - name: cache
    persistentVolumeClaim:
      claimName: llama-cache
"""
TAGS = ("kubernetes", "ml", "storage", "startup")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            model = hub_download(workload, container)
            if model is None:
                continue
            target = download_dir(workload, container, ctx)
            if not is_persistent(workload, container, target):
                message = f"container {container.name!r} downloads {model.value} into {target} on every start: no persistent volume there"
                yield Issue(ID, model.pointer, message, obj=workload.obj)
