"""Semantic checks of the model block: a size chartgen can plan with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.spec.issues import ERROR, Issue, get


def check_model_size(doc: dict[str, Any]) -> Iterator[Issue]:
    """No silent default: the size drives the startup budget, memory, cache and GPU fit."""
    from chartgen.model.fit import spec_footprint

    model = get(doc, "spec.model", {})
    if "sizeGiB" in model:
        return
    if "parametersBillion" not in model:
        yield Issue(
            ERROR,
            "$.spec.model",
            "set model.sizeGiB (size of the weights) or model.parametersBillion: the startup "
            "budget, memory, cache volume and GPU fit are computed from it",
        )
    elif spec_footprint(doc["spec"]) is None:
        yield Issue(
            ERROR,
            "$.spec.engine.quantization",
            f"the width of quantization {get(doc, 'spec.engine.quantization')!r} is unknown, "
            "so the size cannot be derived from model.parametersBillion; set model.sizeGiB",
        )
