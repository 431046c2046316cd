"""CRD openAPIV3Schema -> JSON Schema: kubeconform's openapi2jsonschema rules, valid 2020-12."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chartgen.validate.crds import all_bundled_crds
from chartgen.validate.k8s import definitions
from chartgen.validate.openapi import OBJECT_META_REF, convert, crd_json_schema
from chartgen.validate.store import crd_schema
from chartgen.validate.versions import newest_bundled

OBJECT = {"type": "object", "properties": {"a": {"type": "string"}}}


def test_strict_closes_objects_with_properties() -> None:
    assert convert(OBJECT, strict=True)["additionalProperties"] is False
    assert "additionalProperties" not in convert(OBJECT, strict=False)
    assert "additionalProperties" not in convert({"type": "object"}, strict=True)


def test_existing_additional_properties_and_preserve_unknown_fields_are_kept() -> None:
    as_map = {"type": "object", "properties": {}, "additionalProperties": {"type": "string"}}
    assert convert(as_map, strict=True)["additionalProperties"] == {"type": "string"}
    preserved = {**OBJECT, "x-kubernetes-preserve-unknown-fields": True}
    assert "additionalProperties" not in convert(preserved, strict=True)


def test_junctor_branches_stay_open() -> None:
    schema = {**OBJECT, "anyOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]}]}
    converted = convert(schema, strict=True)
    assert converted["additionalProperties"] is False
    assert "additionalProperties" not in converted["anyOf"][0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"format": "int-or-string"}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        (
            {"x-kubernetes-int-or-string": True},
            {
                "x-kubernetes-int-or-string": True,
                "oneOf": [{"type": "string"}, {"type": "integer"}],
            },
        ),
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            {"type": "integer", "exclusiveMinimum": 1},
        ),
        (
            {"type": "integer", "maximum": 9, "exclusiveMaximum": False},
            {"type": "integer", "maximum": 9},
        ),
    ],
)
def test_openapi_keywords(source: dict[str, Any], expected: dict[str, Any]) -> None:
    assert convert(source, strict=True) == expected


def test_property_names_are_not_mistaken_for_keywords() -> None:
    schema = {
        "type": "object",
        "properties": {"format": {"type": "string"}, "nullable": {"type": "boolean"}},
    }
    assert convert(schema, strict=False)["properties"] == schema["properties"]


def test_embedded_resources_accept_object_fields() -> None:
    embedded = {**OBJECT, "x-kubernetes-embedded-resource": True}
    assert {"apiVersion", "kind", "metadata", "a"} <= set(
        convert(embedded, strict=True)["properties"]
    )


def test_root_gets_api_version_kind_and_object_meta() -> None:
    schema = crd_json_schema(
        {"type": "object", "properties": {"spec": {"type": "object"}}}, strict=True
    )
    assert schema["properties"]["metadata"] == {"$ref": OBJECT_META_REF}
    assert schema["properties"]["kind"] == {"type": "string"}
    assert schema["additionalProperties"] is False


def test_every_bundled_crd_converts_to_a_valid_2020_12_schema() -> None:
    crds = all_bundled_crds()
    kinds = {(c.group, c.version, c.kind) for c in crds}
    for expected in [
        ("monitoring.coreos.com", "v1", "ServiceMonitor"),
        ("monitoring.coreos.com", "v1", "PodMonitor"),
        ("monitoring.coreos.com", "v1", "PrometheusRule"),
        ("keda.sh", "v1alpha1", "ScaledObject"),
        ("gateway.networking.k8s.io", "v1", "HTTPRoute"),
    ]:
        assert expected in kinds
    version = newest_bundled()
    for crd in crds:
        for strict in (True, False):
            schema = crd_schema(crd, version, strict)
            Draft202012Validator.check_schema(schema)
            assert "/api/_definitions.json" not in str(schema)
    assert definitions(version, True)
