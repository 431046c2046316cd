"""Lint the third-party corpus (tests/corpus/<chart>/) and read or write its expected findings.

Each chart is linted as a user would: `chartgen lint --fail-on info --format json <chart>`, which
renders it with its values.yaml and every ci/*-values.yaml. Findings are keyed by rule, object and
JSON pointer; `at` is the template file and line the report points at.

    python tests/corpus/findings.py            # rewrite expected/*.yaml from a fresh run,
                                               # keeping every verdict and why already judged
New findings get `verdict: UNREVIEWED`, which the corpus test refuses: judge each one by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent
EXPECTED = CORPUS / "expected"
REPO = CORPUS.parents[1]
VERDICTS = ("real", "opinion", "false-positive")
UNREVIEWED = "UNREVIEWED"

Key = tuple[str, str, str]  # rule, Kind/name, JSON pointer (one finding per values variant's
# distinct message can share a key: entries compare as a multiset)


def charts() -> list[str]:
    return sorted(p.parent.name for p in CORPUS.glob("*/Chart.yaml"))


def lint(chart: str) -> list[dict[str, Any]]:
    """The findings `chartgen lint` draws on one corpus chart, in report order."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", "lint", "--fail-on", "info", "--format", "json", chart],
        cwd=CORPUS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"chartgen lint {chart}: exit {done.returncode}: {done.stderr}")
    results: list[dict[str, Any]] = json.loads(done.stdout)["results"]
    return [drawn(r) for r in results]


def drawn(result: dict[str, Any]) -> dict[str, Any]:
    resource = result.get("resource") or {}
    location = result["location"]
    return {
        "rule": result["ruleId"],
        "level": result["level"],
        "object": f"{resource.get('kind')}/{resource.get('name')}",
        "pointer": result.get("jsonPointer") or "",
        "at": f"{location['file']}:{location['line']}",
        "message": result["message"],
    }


def key(entry: dict[str, Any]) -> Key:
    return (str(entry["rule"]), str(entry["object"]), str(entry["pointer"]))


def expected(chart: str) -> list[dict[str, Any]]:
    path = EXPECTED / f"{chart}.yaml"
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return entries


def write(chart: str, found: list[dict[str, Any]]) -> None:
    judged: dict[Key, list[dict[str, Any]]] = {}
    for old in expected(chart):
        judged.setdefault(key(old), []).append(old)
    entries = []
    for item in sorted(found, key=lambda f: (f["at"].rsplit(":", 1)[0], key(f), f["message"])):
        same = judged.get(key(item)) or [{}]
        before = same.pop(0) if len(same) > 1 else same[0]
        entry = {k: item[k] for k in ("rule", "level", "object", "pointer", "at")}
        entry["verdict"] = before.get("verdict", UNREVIEWED)
        if before.get("owner"):
            entry["owner"] = before["owner"]
        entry["why"] = before.get("why", item["message"])
        entries.append(entry)
    header = (
        f"# Expected findings of `chartgen lint` on tests/corpus/{chart} (see its SOURCE), each judged\n"
        "# by hand: verdict real (a defect), opinion (a best practice the chart does not follow),\n"
        "# false-positive (the rule is wrong here; owner fixes it). Regenerate with\n"
        "# `python tests/corpus/findings.py`, then judge every UNREVIEWED entry.\n"
    )
    text = yaml.safe_dump(entries, sort_keys=False, width=100, allow_unicode=True)
    (EXPECTED / f"{chart}.yaml").write_text(header + text, encoding="utf-8")


def main() -> int:
    EXPECTED.mkdir(exist_ok=True)
    for chart in sys.argv[1:] or charts():
        found = lint(chart)
        write(chart, found)
        print(f"{chart}: {len(found)} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
