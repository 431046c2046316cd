"""API field paths become the JSON pointers chartgen locates lines with (no cluster needed)."""

from __future__ import annotations

import pytest

from chartgen.validate.server import field_pointer


@pytest.mark.parametrize(
    ("field_path", "pointer"),
    [
        ("spec.ports[0].port", "/spec/ports/0/port"),
        ("metadata.labels", "/metadata/labels"),
        ("metadata.labels[app.kubernetes.io/name]", "/metadata/labels/app.kubernetes.io~1name"),
        (
            ".spec.template.spec.containers[1].env[0].value",
            "/spec/template/spec/containers/1/env/0/value",
        ),
        ("spec", "/spec"),
    ],
)
def test_field_pointer(field_path: str, pointer: str) -> None:
    assert field_pointer(field_path) == pointer
