"""A container that downloads from the model hub while its env forbids network access."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import catalog
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.env import is_true
from chartgen.rules.support.objects import Container, ObjectSet

ID = "download-inherits-offline-env"
SEVERITY = Severity.ERROR
SUMMARY = "A model download runs with HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) set"
RATIONALE = (
    "Charts commonly copy the model server's environment into the pre-download Job or init "
    "container. The server is meant to run offline once the weights are cached, but with "
    "`HF_HUB_OFFLINE=1` `hf download` refuses every HTTP call ('offline mode is enabled'): the Job "
    "fails and the server, waiting for the weights, never starts."
)
REFERENCES = (
    "https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables",
)
FIX = "Give the download container its own env without the offline switches (keep HF_TOKEN)."
EXAMPLE = """\
containers:
  - name: download
    command: [sh, -c, "hf download meta-llama/Llama-3.1-8B-Instruct --cache-dir /cache/hub"]
    env:
      - name: HF_HOME
        value: /cache
"""
TAGS = ("kubernetes", "ml", "model-download", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def downloads_from_hub(container: Container) -> bool:
    text = " ".join(word for _, word in container.argv)
    return any(command in text for command in catalog.model_stores().hub_download_commands)


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    offline = catalog.model_stores().hub_offline_env
    for workload, container in objects.containers():
        if not downloads_from_hub(container):
            continue
        for index, item in container.env:
            if item.get("name") in offline and is_true(str(item.get("value", ""))):
                message = (
                    f"container {container.name!r} downloads from the hub but sets "
                    f"{item['name']}={item.get('value')}: the download refuses to start"
                )
                yield Issue(ID, f"{container.pointer}/env/{index}", message, obj=workload.obj)
