"""A model server exposed outside the cluster that requires no API key."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.env import names
from chartgen.rules.support.objects import ObjectSet, Workload, lookup, mapping, sequence
from chartgen.rules.support.runtime_flags import tokens
from chartgen.rules.support.runtimes import runtime_of
from chartgen.rules.support.selectors import string_map

ID = "inference-endpoint-without-api-key"
SEVERITY = Severity.INFO
SUMMARY = (
    "Model servers exposed by an Ingress, HTTPRoute or load balancer should require an API key"
)
RATIONALE = (
    "vLLM and SGLang answer any request unless an API key is configured (vLLM: VLLM_API_KEY or "
    "--api-key, which guard /v1; SGLang: --api-key, which guards all but /health and /metrics). "
    "Published through an Ingress, a Gateway route or a LoadBalancer, such a server gives its "
    "GPUs to whoever reaches the address. Reported as information: the gateway or ingress may "
    "authenticate on its own, which the chart does not show."
)
REFERENCES = (
    "https://docs.vllm.ai/en/stable/usage/security.html",
    "https://docs.sglang.io/advanced_features/server_arguments.html",
)
FIX = (
    "Give the server a key from a Secret: chartgen specs set `auth.apiKey.secretName`; otherwise "
    "set VLLM_API_KEY (vLLM) or pass `--api-key $(VAR)` from a secretKeyRef variable (SGLang)."
)
EXAMPLE = """\
env:
  - name: VLLM_API_KEY
    valueFrom:
      secretKeyRef: {name: llm-api-key, key: api-key}
"""
TAGS = ("kubernetes", "ml", "security", "network")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for exposer, pointer, workloads in _exposed(objects):
        for workload in workloads:
            open_server = _keyless_server(workload, ctx)
            if open_server:
                message = (
                    f"{exposer.kind} {exposer.name!r} exposes {open_server} server "
                    f"{workload.obj.name!r}, which requires no API key"
                )
                yield Issue(ID, pointer, message, obj=exposer)


def _exposed(objects: ObjectSet) -> Iterator[tuple[ManifestObject, str, list[Workload]]]:
    """(exposing object, pointer, the workloads it reaches) for every way out of the cluster."""
    for service in objects.of_kind("Service"):
        if str(lookup(service.data, "/spec/type") or "ClusterIP") == "LoadBalancer":
            yield service, "/spec/type", _behind_service(objects, service.name)
    for ingress in objects.of_kind("Ingress"):
        for r, rule in enumerate(sequence(lookup(ingress.data, "/spec/rules"))):
            for p, path in enumerate(sequence(lookup(rule, "/http/paths"))):
                name = str(lookup(path, "/backend/service/name") or "")
                at = f"/spec/rules/{r}/http/paths/{p}/backend"
                yield ingress, at, _behind_service(objects, name)
    for route in objects.of_kind("HTTPRoute"):
        for r, rule in enumerate(sequence(lookup(route.data, "/spec/rules"))):
            for b, ref in enumerate(sequence(mapping(rule).get("backendRefs"))):
                at = f"/spec/rules/{r}/backendRefs/{b}"
                yield route, at, _behind_ref(objects, mapping(ref))


def _behind_service(objects: ObjectSet, name: str) -> list[Workload]:
    service = objects.find("Service", name)
    if service is None:
        return []
    selector = string_map(mapping(service.data.get("spec")).get("selector"))
    return objects.selected_by_map(selector) if selector else []


def _behind_ref(objects: ObjectSet, ref: dict[str, object]) -> list[Workload]:
    kind, name = str(ref.get("kind") or "Service"), str(ref.get("name") or "")
    if kind == "Service":
        return _behind_service(objects, name)
    pool = objects.find(kind, name) if kind == "InferencePool" else None
    if pool is None:
        return []
    selector = string_map(lookup(pool.data, "/spec/selector/matchLabels"))
    return objects.selected_by_map(selector) if selector else []


def _keyless_server(workload: Workload, ctx: RuleContext) -> str:
    """The runtime's title when the workload runs a runtime that takes a key and sets none."""
    for container in workload.containers:
        runtime = runtime_of(workload, container, ctx)
        if runtime is None or runtime.api_key is None:
            continue
        keyed = runtime.api_key.env and runtime.api_key.env in names(container)
        flagged = any(word.split("=", 1)[0] == "--api-key" for _, word in tokens(container))
        if not (keyed or flagged):
            return runtime.title
    return ""
