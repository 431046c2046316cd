"""Template line mapping: from a rendered object's JSON pointer to the template line."""

from __future__ import annotations

import pytest

from chartgen.lint.documents import split_stream
from chartgen.lint.locate import TemplateText

TEMPLATE = """\
{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: first
          image: "a:1"
          ports:
            - name: http
              containerPort: 80
            - name: metrics
              containerPort: 9090
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
        - name: second
          image: "b:1"
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
    targetPort: http
"""


@pytest.mark.parametrize(
    ("pointer", "doc", "line"),
    [
        ("", 0, 2),
        ("/spec/replicas", 0, 9),
        ("/metadata/labels/app", 0, 6),
        ("/spec/template/spec/containers/0/image", 0, 14),
        ("/spec/template/spec/containers/1/image", 0, 23),
        ("/spec/template/spec/containers/0/ports/1/containerPort", 0, 19),
        ("/spec/template/spec/containers/0/resources/limits/cpu", 0, 20),
        ("/spec/ports/0/targetPort", 1, 33),
        ("/metadata/name", 1, 29),
        ("/spec/nothing/here", 1, 30),
    ],
)
def test_pointer_to_template_line(pointer: str, doc: int, line: int) -> None:
    assert TemplateText(TEMPLATE).line_for(pointer, doc) == line


def test_rendered_text_search() -> None:
    assert TemplateText(TEMPLATE).line_of_text("  targetPort: http", 1) == 33


def test_split_stream_keeps_exact_lines() -> None:
    docs = split_stream("a: 1\n---\n\n# c\nb: 2\n--- # end\n---\n")
    assert [(d.line, d.text) for d in docs] == [(1, "a: 1\n"), (3, "\n# c\nb: 2\n")]


def test_a_template_is_analysed_when_a_finding_first_needs_a_line_in_it() -> None:
    """Most templates locate nothing (an operator's 1.9 MB of CRDs took 11 ms to split and
    classify per lint): the analysis waits for the first line asked for."""
    template = TemplateText("apiVersion: v1\nkind: Service\n---\nkind: Pod\nspec:\n  a: 1\n")
    assert not {"lines", "doc_starts", "producing", "kinds"} & set(vars(template))
    document = template.document_of(0, "Pod")
    assert (document, template.line_for("/spec/a", document)) == (1, 6)
    assert {"lines", "doc_starts", "producing", "kinds"} <= set(vars(template))
