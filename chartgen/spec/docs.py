"""docs/spec.md, generated from the JSON Schema: `python -m chartgen.spec.docs` rewrites it,
`python -m chartgen.spec.docs --check` exits 1 when the committed file is stale."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chartgen.spec.schema import schema
from chartgen.spec.yamlread import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "spec.md"
Row = tuple[str, str, str, str, str]  # path, type, default, allowed, description

INTRO = f"""# ModelService spec v1 reference

<!-- Generated from schemas/modelservice-v1.schema.json by `python -m chartgen.spec.docs`;
     do not edit by hand. -->

A spec file holds one or more YAML documents (separated by `---`), each
`apiVersion: chartgen/v1`, `kind: ModelService`. Start one with
`chartgen init NAME --runtime vllm`; validate with `chartgen lint FILE...` (schema and cross-field checks at their line, then the
chart it builds); print the
JSON Schema (draft 2020-12) with `chartgen schema` or save it for your editor with
`chartgen schema -o modelservice-v1.schema.json` and point the file's first line at it:
`# yaml-language-server: $schema=./modelservice-v1.schema.json`.

## Loading rules

- YAML 1.2: `on`, `yes`, `no` stay strings; dates stay strings. Quote versions (`"1.30"`).
- Rejected: duplicate keys, unknown keys, custom tags, infinity/NaN, invalid UTF-8, empty files,
  documents that are not mappings, files over {MAX_FILE_BYTES} bytes (1 MiB), documents that
  expand to more than {MAX_NODES} nodes through aliases, nesting deeper than {MAX_DEPTH} levels.
- A directory argument means every `*.yaml`/`*.yml` file below it (recursive, sorted, hidden
  directories skipped) with a top-level line `apiVersion: chartgen/...`; other YAML files are
  skipped. Files named explicitly are always loaded.
- Every problem of every file is reported at once as `file:line:col: message (at $.json.path)`;
  cross-field checks (parallelism vs GPUs, MIG profiles, replica ranges, caches ...) run on
  documents that pass the schema. Errors exit 2; warnings are printed and do not fail.

## Model size and GPU fit

- `model.sizeGiB` is required unless `model.parametersBillion` is given; then the size is
  parameters x the width of `engine.quantization` (awq/gptq 0.5 bytes, fp8 1 byte ...) or of
  `engine.dtype` (2 bytes for auto/float16/bfloat16), from chartgen's catalog (weights.yaml).
  There is no default: the size drives the startup budget, memory, the cache volume and GPU fit.
- GPU fit: per GPU the model needs weights / GPU count plus KV-cache headroom; it has the
  GPU's memory (the total the driver reports, or the MIG slice) x `engine.gpuMemoryUtilization`
  (default: the runtime's own, 0.9 for vLLM). The headroom is the KV cache of one full-length
  sequence (2 x layers x kvHeads x headDim x dtype width x `engine.maxModelLen` or
  `model.architecture.contextLength`) plus 1 GiB when `model.architecture` is set, otherwise 20%
  of the weights per GPU (at least 1 GiB). A model that does not fit is an error at
  `resources.gpu.count` naming the GPU counts and products that would; without
  `resources.gpu.product` a warning names the smallest product assumed.
"""


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """The node with its `$ref` (into $defs) merged under its own keys."""
    reference = node.get("$ref")
    if not reference:
        return node
    target: dict[str, Any] = schema()["$defs"][reference.rsplit("/", 1)[1]]
    return {**resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}


def rows(node: dict[str, Any], path: str) -> Iterator[Row]:
    node = resolve(node)
    yield (
        path,
        type_text(node),
        default_text(node),
        allowed_text(node),
        str(node.get("description", "")),
    )
    for key, child in node.get("properties", {}).items():
        yield from rows(child, f"{path}.{key}" if path else key)
    items = resolve(node.get("items", {}))
    if items.get("additionalProperties") is False:
        for key, child in items.get("properties", {}).items():
            yield from rows(child, f"{path}[].{key}")


def type_text(node: dict[str, Any]) -> str:
    kind = node.get("type", "any")
    text = " or ".join(kind) if isinstance(kind, list) else str(kind)
    if kind == "array":
        item = resolve(node.get("items", {}))
        return f"list of {type_text(item)}"
    if kind == "object" and "properties" not in node:
        return "map" if isinstance(node.get("additionalProperties"), dict) else "object (raw)"
    return text


def default_text(node: dict[str, Any]) -> str:
    return f"`{_json(node['default'])}`" if "default" in node else ""


def allowed_text(node: dict[str, Any]) -> str:
    parts: list[str] = []
    if "const" in node:
        parts.append(f"`{node['const']}`")
    if "enum" in node:
        parts.append(", ".join(f"`{value}`" for value in node["enum"]))
    bounds = (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("maxLength", "length <="),
    )
    parts += [f"{word} {node[key]}" for key, word in bounds if key in node]
    if "required" in node:
        parts.append("requires " + ", ".join(f"`{key}`" for key in node["required"]))
    return "; ".join(parts)


def _json(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if value == "" else str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The whole reference page."""
    lines = [INTRO, "## Fields", "", "| Path | Type | Default | Allowed | Description |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for path, kind, default, allowed, description in rows(schema(), ""):
        if path:
            cells = (f"`{path}`", kind, default, allowed, description)
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if current != text:
            print(f"{DOC_PATH} is stale: run python -m chartgen.spec.docs", file=sys.stderr)
            return 1
        return 0
    DOC_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
