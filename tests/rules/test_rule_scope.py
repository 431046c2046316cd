"""Object-scoped rules (SCOPE "object") run once per distinct object of a chart's values variants
(chartgen.rules.support.memo): that is only right if what they report about an object depends on
that object alone. Checked here on every object the rule fixtures, the generated charts and the
third-party corpus render, and in the rule modules' source."""

from __future__ import annotations

import collections
import inspect
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chartgen.findings import Issue
from chartgen.lint.documents import parse_stream
from chartgen.lint.engine import collect_here
from chartgen.lint.inputs import classify
from chartgen.lint.options import LintOptions
from chartgen.manifests import ManifestObject
from chartgen.rules import RuleContext
from chartgen.rules.support.memo import RuleMemo
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.registry import RULES
from chartgen.rules.support.rule import Rule
from chartgen.validate.store import SchemaStore
from tests.rules.fixture_files import FIXTURES, load

REPO = Path(__file__).resolve().parents[2]
OBJECT_RULES = [rule for rule in RULES if rule.SCOPE == "object"]
CONTEXTS = [RuleContext(), RuleContext(platform="gke"), RuleContext(platform="openshift")]
# ObjectSet look-ups that read other objects than the one a rule is looking at
CROSS_OBJECT = re.compile(
    r"\.(find|workload_named|selected_by|selected_by_map|services_for|autoscalers_for|"
    r"autoscaler_target|pdbs_for)\(|default_values"
)


def test_every_rule_declares_its_scope() -> None:
    assert {rule.SCOPE for rule in RULES} == {"object", "set"}
    assert len(OBJECT_RULES) >= 50


@pytest.mark.parametrize("rule", OBJECT_RULES, ids=lambda rule: rule.ID)
def test_object_rules_look_at_no_other_object(rule: Rule) -> None:
    assert not CROSS_OBJECT.findall(inspect.getsource(rule))  # type: ignore[arg-type]


def _sets() -> list[list[ManifestObject]]:
    """Every rule fixture, and every values variant of the generated and corpus charts."""
    sets = [load(path) for path in sorted(FIXTURES.glob("*/*.yaml"))]
    charts = sorted(REPO.glob("generated-charts/*")) + sorted(REPO.glob("tests/corpus/*/"))
    options = LintOptions(jobs=1, rules=False)
    store = SchemaStore(options.kube_version, options.strict, [])
    with tempfile.TemporaryDirectory() as scratch:
        inputs = classify([str(c) for c in charts if (c / "Chart.yaml").is_file()])
        units = collect_here(inputs, options, store, Path(scratch), threads=1)
    return sets + [[item.obj for item in unit.objects] for unit in units if unit.objects]


def _keys(issues: Iterator[Issue]) -> collections.Counter[tuple[int, str, str]]:
    return collections.Counter((id(i.obj), i.pointer, i.message) for i in issues)


def test_object_rules_report_the_same_on_one_object_as_on_the_whole_set() -> None:
    differ: list[str] = []
    fired: collections.Counter[str] = collections.Counter()
    for objects in _sets():
        whole = ObjectSet(objects)
        alone = [ObjectSet([obj], among=objects) for obj in objects]
        for context in CONTEXTS:
            for rule in OBJECT_RULES:
                together = _keys(rule.check(whole, context))
                separately: collections.Counter[Any] = collections.Counter()
                for view in alone:
                    separately.update(_keys(rule.check(view, context)))
                fired[rule.ID] += sum(together.values())
                if together != separately:
                    differ.append(f"{rule.ID} on {objects[0].file}")
    assert differ == []
    assert sum(1 for rule in OBJECT_RULES if fired[rule.ID]) >= 45  # the check saw them report


class _Seen:
    """A real object-scoped rule that records which objects it was asked about."""

    ID = "seen"
    SCOPE = "object"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def check(self, objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
        for obj in objects.objects:
            self.asked.append(obj.name)
            yield Issue(self.ID, "/metadata/name", f"saw {obj.name}", obj=obj)


def _objects(text: str) -> list[ManifestObject]:
    return parse_stream(text, "x.yaml").objects


def test_the_memo_checks_each_object_once_across_variants() -> None:
    a, b, c = _objects(
        "kind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\nmetadata: {name: b}\n"
        "---\nkind: ConfigMap\nmetadata: {name: c}\n"
    )
    rule, memo = _Seen(), RuleMemo()
    rules: list[Any] = [rule]
    first = memo.issues([a, b], RuleContext(), rules)
    second = memo.issues([a, b, c], RuleContext(default_values=False), rules)
    assert rule.asked == ["a", "b", "c"]
    assert [issue.message for _, issue in second] == ["saw a", "saw b", "saw c"]
    assert second[:2] == first
    memo.issues([a], RuleContext(platform="gke"), rules)  # another context: checked again
    assert rule.asked == ["a", "b", "c", "a"]


CLAIMED = """\
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {{name: gpus}}
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {{deviceClassName: gpu.nvidia.com, count: {count}}}
"""
SERVER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm}}
    spec:
      resourceClaims: [{name: gpus, resourceClaimTemplateName: gpus}]
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.11.0
          args: [--model, m, --tensor-parallel-size, "2"]
          resources: {claims: [{name: gpus}]}
"""


def test_objects_whose_pods_claim_devices_are_checked_with_each_variants_claims() -> None:
    """The Deployment is the same object in both variants; the claim template it names is not:
    what the rules say about it depends on that template, so it is not remembered."""
    (server,) = _objects(SERVER)
    (one,) = _objects(CLAIMED.format(count=1))
    (two,) = _objects(CLAIMED.format(count=2))
    rules = [rule for rule in OBJECT_RULES if rule.ID == "gpu-parallelism-mismatch"]
    memo = RuleMemo()
    with_one = memo.issues([server, one], RuleContext(), rules)
    with_two = memo.issues([server, two], RuleContext(), rules)
    assert [issue.obj for _, issue in with_one] == [server]  # 2-way parallel on 1 GPU
    assert with_two == []
