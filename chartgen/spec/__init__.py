"""chartgen.spec: the ModelService v1 spec format. Load, validate and describe specs.

documents = load_specs([Path("specs/")])          # raises SpecErrors with every problem
documents, warnings = check_specs([Path("a.yaml")])
documents[0].location_of("$.spec.resources.gpu.count")  # Location(file, line, column)
"""

from __future__ import annotations

from chartgen.findings import Severity
from chartgen.spec.loader import SpecDocument, check_specs, load_specs, spec_files
from chartgen.spec.positions import PositionMap
from chartgen.spec.schema import API_VERSION, KIND, schema, schema_id, schema_text
from chartgen.spec.yamlread import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

__all__ = [
    "API_VERSION",
    "KIND",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "PositionMap",
    "Severity",
    "SpecDocument",
    "check_specs",
    "load_specs",
    "schema",
    "schema_id",
    "schema_text",
    "spec_files",
]
