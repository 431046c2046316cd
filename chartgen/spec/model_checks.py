"""Semantic checks of the model block: a size chartgen can plan with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue
from chartgen.spec.issues import ERROR, WARNING, get, issue


def check_model_size(doc: dict[str, Any]) -> Iterator[Issue]:
    """No silent default: the size drives the startup budget, memory, cache and GPU fit."""
    from chartgen.model.fit import spec_footprint

    model = get(doc, "spec.model", {})
    if "sizeGiB" in model:
        return
    if "parametersBillion" not in model:
        yield issue(
            ERROR,
            "$.spec.model",
            "set model.sizeGiB (size of the weights) or model.parametersBillion: the startup "
            "budget, memory, cache volume and GPU fit are computed from it",
        )
    elif spec_footprint(doc["spec"]) is None:
        yield issue(
            ERROR,
            "$.spec.engine.quantization",
            f"the width of quantization {get(doc, 'spec.engine.quantization')!r} is unknown, "
            "so the size cannot be derived from model.parametersBillion; set model.sizeGiB",
        )


def check_gated_repository(doc: dict[str, Any]) -> Iterator[Issue]:
    """A gated Hub repository downloads only with a token. A warning, not an error: the token may
    also reach the pod through spec.env (HF_TOKEN from a Secret)."""
    from chartgen import catalog

    source = str(get(doc, "spec.model.source", ""))
    if not source.startswith("hf://") or get(doc, "spec.model.credentials") is not None:
        return
    if any(item.get("name") == "HF_TOKEN" for item in get(doc, "spec.env", [])):
        return
    repo = source.removeprefix("hf://").split("@", 1)[0]
    gated = [g for g in catalog.hub().gated if repo.casefold().startswith(g.prefix.casefold())]
    if gated:
        yield issue(
            WARNING,
            "$.spec.model.source",
            f"{repo} is a gated repository ({gated[0].source}): the download fails without a "
            "token; set model.credentials.secretName to a Secret holding an HF token of an "
            "account that accepted the licence",
        )
