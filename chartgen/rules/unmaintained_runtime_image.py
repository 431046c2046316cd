"""Images of serving runtimes their maintainers archived or no longer maintain."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import chart_facts
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.runtimes import runtime_of

ID = "unmaintained-runtime-image"
SEVERITY = Severity.WARNING
SUMMARY = "The serving runtime is archived or in maintenance mode upstream"
RATIONALE = (
    "Text Generation Inference is in maintenance mode (only minor fixes, new models land in vLLM "
    "and SGLang) and TorchServe is in limited maintenance (no planned updates or security fixes). "
    "A chart on such an image gets no CVE fixes and no support for new model architectures. Which "
    "runtimes are affected, with the maintainers' own statement, is catalog data (`maintenance`)."
    f" A chart that keeps the runtime knowingly says so on the pod: `{chart_facts.RUNTIME_MAINTENANCE}`"
    " set to the status it acknowledges."
)
REFERENCES = (
    "huggingface/text-generation-inference/README.md",
    "https://docs.pytorch.org/serve/",
)
FIX = (
    "Plan a move to a maintained runtime (vLLM, SGLang, Triton, KServe), or acknowledge the "
    f"status with the pod annotation `{chart_facts.RUNTIME_MAINTENANCE}: <status>`."
)
EXAMPLE = """\
containers:
  - name: server
    image: vllm/vllm-openai:v0.25.0
"""
TAGS = ("kubernetes", "ml", "supply-chain")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        acknowledged = workload.annotations.get(chart_facts.RUNTIME_MAINTENANCE)
        for container in workload.containers:
            runtime = runtime_of(workload, container, ctx)
            if runtime is None or not runtime.maintenance or acknowledged == runtime.maintenance:
                continue
            message = (
                f"container {container.name!r} runs {runtime.title}, {runtime.maintenance} upstream "
                f"({runtime.sources.get('maintenance', '')})"
            )
            yield Issue(ID, f"{container.pointer}/image", message, obj=workload.obj)
