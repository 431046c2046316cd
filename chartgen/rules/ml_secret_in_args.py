"""Credentials passed on the command line."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.runtime_flags import tokens
from chartgen.rules.support.secrets import SECRET_FLAGS, holds_secret, looks_like_token

ID = "ml-secret-in-args"
SEVERITY = Severity.ERROR
SUMMARY = "Tokens and API keys must not appear in command or args"
RATIONALE = (
    "Arguments are visible in the manifest, in `ps` on the node and in the runtime's own start-up "
    "log (vLLM and TGI print their arguments). `--api-key sk-...` or `--hf-token hf_...` leak the "
    "credential; no generic linter inspects args."
)
REFERENCES = (
    "https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/",
)
FIX = "Pass the credential through an env var from a Secret; reference it as `$(VAR)` if the flag is required."
EXAMPLE = """\
env:
  - name: VLLM_API_KEY
    valueFrom:
      secretKeyRef: {name: vllm-api-key, key: key}
args: [serve, my-org/my-model]   # vLLM reads VLLM_API_KEY
"""
TAGS = ("kubernetes", "ml", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        words = tokens(container)
        consumed = -1  # the value word of a reported flag: not reported twice
        for index, (pointer, word) in enumerate(words):
            flag, _, inline = word.partition("=")
            following = words[index + 1] if index + 1 < len(words) else (pointer, "")
            value, at = (inline, pointer) if inline else (following[1], following[0])
            if (
                flag in SECRET_FLAGS
                and not value.startswith("-")
                and holds_secret(flag.strip("-"), value)
            ):
                consumed = index if inline else index + 1
                yield Issue(
                    ID,
                    at,
                    f"container {container.name!r} passes a credential to {flag}",
                    obj=workload.obj,
                )
            elif index != consumed and not word.startswith("-") and looks_like_token(word):
                yield Issue(
                    ID,
                    pointer,
                    f"container {container.name!r} has a token on its command line",
                    obj=workload.obj,
                )
