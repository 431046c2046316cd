"""Acceptance: a third-party-style bad GPU chart, rendered by the real helm 3 CLI, then linted.

Each deliberate mistake must be reported at the template line that causes it (the templates keep
one rendered line per template line, so the template file can be checked directly).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from chartgen.helm.engine import split_helm_output
from chartgen.manifests import ManifestObject, parse_documents
from chartgen.rules import RuleContext, run_rules

CHART = Path(__file__).parent / "bad-gpu-chart"
TEMPLATE = "bad-gpu/templates/deployment.yaml"
# rule id -> (template line, text on that line of templates/deployment.yaml)
EXPECTED = {
    "floating-image-tag": (27, 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"'),
    "ml-secret-in-env": (35, "value: {{ .Values.hfToken | quote }}"),
    "gpu-parallelism-mismatch": (32, '- "{{ .Values.tensorParallelSize }}"'),
    "multi-gpu-without-shm": (26, "- name: vllm"),
    "gpu-toleration-missing": (24, "spec:"),
    "liveness-without-startup-budget": (39, "livenessProbe:"),
    "gpu-rolling-update-needs-spare": (13, "maxSurge: {{ .Values.rollout.maxSurge }}"),
}


def render(helm: Path) -> list[ManifestObject]:
    done = subprocess.run(
        [str(helm), "template", "bad", str(CHART)], capture_output=True, text=True, check=True
    )
    return [
        obj
        for doc in split_helm_output(done.stdout)
        for obj in parse_documents(doc.text, doc.source)
    ]


def test_every_planted_mistake_is_found_at_its_template_line(helm3: Path) -> None:
    findings = run_rules(render(helm3), RuleContext())
    found = {(f.rule_id, f.location.file, f.location.line) for f in findings}
    template_lines = (CHART / "templates" / "deployment.yaml").read_text().splitlines()
    for rule_id, (line, text) in EXPECTED.items():
        assert (rule_id, TEMPLATE, line) in found, rule_id
        assert template_lines[line - 1].strip() == text, rule_id


def test_messages_name_the_numbers_that_are_wrong(helm3: Path) -> None:
    messages = {f.rule_id: f.message for f in run_rules(render(helm3), RuleContext())}
    assert messages["gpu-parallelism-mismatch"] == (
        "container 'vllm' shards the model over tensor parallel 2 = 2 GPUs but gets 4"
    )
    assert "'latest'" in messages["floating-image-tag"]
    assert "150s" in messages["liveness-without-startup-budget"]
    assert "4 spare GPUs" in messages["gpu-rolling-update-needs-spare"]
