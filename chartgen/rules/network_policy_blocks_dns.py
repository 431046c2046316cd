"""Egress policies that leave out the port the platform's cluster DNS listens on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen import catalog
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence
from chartgen.rules.support.quantities import integer

ID = "network-policy-blocks-dns"
SEVERITY = Severity.ERROR
SUMMARY = "An egress policy must allow the port the platform's DNS pods listen on"
RATIONALE = (
    "NetworkPolicies match the port of the destination pod, after the Service port is "
    "translated. OpenShift's DNS pods listen on 5353 behind the dns-default Service's 53, so a "
    "policy that allows only port 53 blocks every lookup: the model download cannot resolve the "
    "hub, the server cannot reach object storage. The DNS port of each platform is catalog data."
)
REFERENCES = (
    "https://docs.openshift.com/container-platform/latest/networking/dns-operator.html",
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports",
)
FIX = "Allow UDP and TCP egress on the platform's DNS port (5353 on OpenShift) to its DNS pods."
EXAMPLE = """\
egress:
  - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: openshift-dns}}
    ports:
      - {port: 5353, protocol: UDP}
      - {port: 5353, protocol: TCP}
"""
TAGS = ("kubernetes", "network", "openshift", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if ctx.platform not in catalog.platform_names():
        return
    network = catalog.platform(ctx.platform).network
    if network is None:
        return
    for policy in objects.of_kind("NetworkPolicy"):
        types = [str(t) for t in sequence(lookup(policy.data, "/spec/policyTypes"))]
        if "Egress" not in types:
            continue
        rules = sequence(lookup(policy.data, "/spec/egress"))
        if not any(_allows(mapping(rule), network.dns_port) for rule in rules):
            message = (
                f"NetworkPolicy {policy.name!r} allows no egress to port {network.dns_port}, "
                f"where {ctx.platform}'s DNS pods listen: name lookups fail"
            )
            yield Issue(ID, "/spec/egress", message, obj=policy)


def _allows(rule: dict[str, Any], port: int) -> bool:
    ports = sequence(rule.get("ports"))
    if not ports:
        return True
    for item in map(mapping, ports):
        first, last = integer(item.get("port")), integer(item.get("endPort"))
        if (
            "port" not in item
            or first == port
            or (first is not None and last and first <= port <= last)
        ):
            return True
    return False
