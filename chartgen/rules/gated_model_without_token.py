"""A gated Hugging Face repository downloaded without a token."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chartgen import catalog
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.env import is_true, names, takes_env_from_secret
from chartgen.rules.support.objects import Container, ObjectSet
from chartgen.rules.support.runtime_flags import Setting, model_reference, tokens

ID = "gated-model-without-token"
SEVERITY = Severity.ERROR
SUMMARY = "Gated hub models (meta-llama, mistralai, google/gemma) need an HF token"
RATIONALE = (
    "Llama, Mistral and Gemma repositories are gated: every file request needs a token of an "
    "account that accepted the licence, otherwise the hub answers 401/403 ('Cannot access gated "
    "repo') and the download - in the server or a pre-download Job - fails. The gated repository "
    "prefixes (hub.yaml) and the token variables (model_stores.yaml) are catalog data."
)
REFERENCES = ("IBM/unitxt#837", "hiyouga/LlamaFactory#4543", "vllm-project/semantic-router#817")
FIX = "Add `HF_TOKEN` from a Secret (`valueFrom.secretKeyRef`) to the container that downloads."
EXAMPLE = """\
env:
  - name: HF_TOKEN
    valueFrom:
      secretKeyRef: {name: hf-token, key: token}
"""
TAGS = ("kubernetes", "ml", "model-download", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
_REPO = re.compile(r"^(?:hf://)?([A-Za-z0-9][\w.-]*/[\w.-]+)")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    stores = catalog.model_stores()
    for workload, container in objects.containers():
        if any(is_true(container.env_value(v)) for v in stores.hub_offline_env):
            continue  # reads a cache someone else filled
        if names(container) & set(stores.hub_token_env) or takes_env_from_secret(container):
            continue
        prefixes = tuple(gated.prefix.casefold() for gated in catalog.hub().gated)
        reference = _gated_reference(container, prefixes)
        if reference is not None:
            message = (
                f"container {container.name!r} downloads gated {reference.value!r} without "
                f"{' or '.join(stores.hub_token_env)}: the hub answers 401"
            )
            yield Issue(ID, reference.pointer, message, obj=workload.obj)


def _gated_reference(container: Container, prefixes: tuple[str, ...]) -> Setting | None:
    candidates = [model_reference(container)]
    words = tokens(container)
    candidates += [
        Setting(words[i + 1][1], words[i + 1][0])
        for i, (_, word) in enumerate(words[:-1])
        if word == "download"
    ]
    for candidate in candidates:
        match = _REPO.match(candidate.value) if candidate else None
        if candidate and match and match.group(1).casefold().startswith(prefixes):
            return Setting(match.group(1), candidate.pointer)
    return None
