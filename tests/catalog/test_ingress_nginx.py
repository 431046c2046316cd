"""ingress-nginx facts live once, in catalog/ingress_nginx.yaml: the generator writes its
streaming annotations from them and the streaming-timeout rule judges Ingresses by them."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from chartgen import catalog
from chartgen.catalog.load import CatalogError, parse_ingress_nginx
from chartgen.manifests import ManifestObject, parse_documents
from chartgen.model.surface import nginx_streaming
from chartgen.rules import RuleContext, run_rules

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: llm, annotations: {%s}}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: llm, port: {number: 80}}}}
"""


def test_every_fact_has_a_source() -> None:
    nginx = catalog.ingress_nginx()
    facts = {f.name for f in dataclasses.fields(nginx)} - {"sources"}
    assert set(nginx.sources) == facts
    data = yaml.safe_load(yaml.safe_dump(dataclasses.asdict(nginx)))
    del data["sources"]["default_timeout_seconds"]
    with pytest.raises(CatalogError, match="no source for default_timeout_seconds"):
        parse_ingress_nginx(data, "ingress_nginx.yaml")


def test_generator_writes_the_catalog_timeout_annotations() -> None:
    nginx = catalog.ingress_nginx()
    written = nginx_streaming()
    for name in nginx.timeout_annotations:
        assert written[nginx.annotation_prefix + name] == "{t}"
    assert written[nginx.annotation_prefix + "proxy-buffering"] == "off"


def test_rule_assumes_the_catalog_default_where_the_ingress_sets_none() -> None:
    nginx = catalog.ingress_nginx()
    ingress = next(iter(parse_documents(INGRESS % "", "ingress.yaml")))
    objects = [ingress, *_llm_backend()]
    found = run_rules(objects, RuleContext(max_request_seconds=300))
    messages = sorted(
        f.message for f in found if f.rule_id == "ingress-timeout-too-short-for-streaming"
    )
    assert messages == [
        f"{name} is {nginx.default_timeout_seconds}s; streamed generations need 300s"
        for name in sorted(nginx.timeout_annotations)
    ]


def _llm_backend() -> list[ManifestObject]:
    text = """\
apiVersion: v1
kind: Service
metadata: {name: llm}
spec: {selector: {app: llm}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm}}
    spec:
      containers:
        - {name: vllm, image: "vllm/vllm-openai:v0.25.0"}
"""
    return list(parse_documents(text, "backend.yaml"))
