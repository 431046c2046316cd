"""Image without a pinned tag or digest."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.images import parse_image
from chartgen.rules.support.objects import ObjectSet

ID = "floating-image-tag"
SEVERITY = Severity.ERROR
SUMMARY = "Images must be pinned to a version tag or digest, not latest/nightly/main or no tag"
RATIONALE = (
    "A floating tag deploys whatever was pushed last: replicas started on different days run "
    "different engines, rollbacks do not roll back, and serving images move fast (nightlies) and "
    "weigh 10-30 GB, so a surprise re-pull on a fresh GPU node costs minutes. Same check as "
    "kube-linter `latest-tag`, Polaris `tagNotSpecified`, kube-score `container-image-tag`, Checkov "
    "CKV_K8S_14; a digest (CKV_K8S_43) makes rollouts reproducible."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/containers/images/#image-names",)
FIX = "Pin a release tag (`vllm/vllm-openai:v0.25.0`) or, better, a digest (`@sha256:...`)."
EXAMPLE = """\
image: vllm/vllm-openai:v0.25.0@sha256:<digest>
"""
TAGS = ("kubernetes", "ml", "reproducibility")
DEFAULTS: dict[str, object] = {
    "floating-tags": ["latest", "nightly", "main", "master", "dev", "edge", "stable"]
}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    floating = {str(tag).lower() for tag in ctx.options(ID, DEFAULTS)["floating-tags"]}
    for workload, container in objects.containers():
        image = parse_image(container.image)
        if not container.image or image.digest:
            continue
        if not image.tag or image.tag.lower() in floating:
            shown = f"tag {image.tag!r}" if image.tag else "no tag (latest)"
            message = f"container {container.name!r} image {container.image!r} has {shown}"
            yield Issue(ID, f"{container.pointer}/image", message, obj=workload.obj)
