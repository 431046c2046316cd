"""The README values table exactly as helm-docs renders it from values.yaml.

Mirrors norwoodj/helm-docs v1.14.2 (pkg/document/values.go, pkg/helm/chart_info.go and
comment.go): gopkg.in/yaml.v3 reads the scalars (YAML 1.2 rules, resolve.go), `# --` head
comments describe a key, `# key -- text` comment lines anywhere describe `key`, a described
object or list is one row (its JSON from Go's encoding/json, keys sorted), rows sorted by key.
tests/chart/test_helm_docs.py runs the real helm-docs over every generated chart and diffs.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

# Go's regexp \s is ASCII whitespace only.
_S = r"[\t\n\f\r ]"
KEYED_DESCRIPTION = re.compile(rf"^{_S}*#{_S}*(.*){_S}+--{_S}*(.*)$")
DEFAULT_COMMENT = re.compile(r"^[\t\n\f\r ]*# @default -- (.*)$")
SECTION_COMMENT = re.compile(r"^[\t\n\f\r ]*# @section -- (.*)$")
CONTINUATION = re.compile(rf"^{_S}*#({_S}?)(.*)$")
VALUE_TYPE = re.compile(rf"^\((.*?)\){_S}*(.*)$")
_GO_INT = re.compile(r"^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT = re.compile(r"^\.[0-9]+(?:[eE][-+]?[0-9]+)?$")
_FIXED = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
}
_SPECIAL_FLOATS = {
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
_INT64 = 2**63


@dataclass(frozen=True)
class Row:
    key: str
    type: str
    default: str
    description: str


def values_table(values_yaml: str, descriptions: dict[str, tuple[str, str]]) -> str:
    """helm-docs' `chart.valuesSection`: `descriptions` maps each top-level key to the text of its
    `# --` comment and its `# @default --` override ("" for none), as values.yaml writes them."""
    rows = _rows(values_yaml, descriptions)
    if not rows:
        return ""
    lines = ["## Values", "", "| Key | Type | Default | Description |"]
    lines.append("|-----|------|---------|-------------|")
    lines += [f"| {r.key} | {r.type} | {r.default} | {r.description} |" for r in rows]
    return "\n".join(lines)


def default_override(value: Any) -> str:
    """A `# @default --` text where helm-docs' own rendering would break the Markdown table."""
    text = go_json(value)
    if "|" not in text and "`" not in text:
        return ""
    escaped = text.replace("|", "\\|")
    return f"`` {escaped} ``" if "`" in text else f"`{escaped}`"


def go_json(value: Any) -> str:
    """encoding/json's compact output with SetEscapeHTML(false): sorted keys, Go floats."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        quoted = json.dumps(value, ensure_ascii=False)
        return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if isinstance(value, dict):
        items = (f"{go_json(str(k))}:{go_json(v)}" for k, v in sorted(value.items()))
        return "{" + ",".join(items) + "}"
    return "[" + ",".join(go_json(item) for item in value) + "]"


def _go_float(number: float) -> str:
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"helm-docs cannot encode {number} as JSON")
    if number != 0 and (abs(number) < 1e-6 or abs(number) >= 1e21):
        text = repr(number)
        return re.sub(r"e-0(\d)$", r"e-\1", text)
    text = format(Decimal(repr(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- values.yaml as gopkg.in/yaml.v3 reads it --------------------------------------------------


def go_scalar(text: str) -> Any:
    """A plain scalar resolved like yaml.v3's resolve(); timestamps stay text, as helm-docs shows them."""
    if text in _FIXED:
        return _FIXED[text]
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if not text:
        return text
    first = text[0]
    if first == "." and _DOT_FLOAT.match(text):
        return float(text)
    if not (first.isdigit() and first.isascii()) and first not in "+-":
        return text
    plain = text.replace("_", "")
    if _GO_INT.match(plain):
        number = int(plain, 0) if not re.match(r"^[-+]?0[0-7]+$", plain) else int(plain, 8)
        if -_INT64 <= number < 2**64:
            return number
    if _GO_FLOAT.match(plain):
        number_f = float(plain)
        if number_f not in (float("inf"), float("-inf")):
            return number_f
    return text


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class GoYamlLoader(base):  # type: ignore[valid-type,misc]
        """Plain scalars resolved by yaml.v3's rules, quoted ones always text, keys as written."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode and implicit[0]:
                return PLAIN_TAG
            return str(super().resolve(kind, value, implicit))

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            return _construct(node)

    return GoYamlLoader


PLAIN_TAG = "!chartgen-plain"


def _construct(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {str(key.value): _construct(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item) for item in node.value]
    return go_scalar(node.value) if node.tag == PLAIN_TAG else node.value


def _go_int_in_list(value: Any) -> Any:
    """yaml.v3 decodes into Go's int: helm-docs writes 0 for integers beyond int64."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -_INT64 <= value < _INT64 else 0
    if isinstance(value, dict):
        return {k: _go_int_in_list(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_int_in_list(v) for v in value]
    return value


# --- rows ---------------------------------------------------------------------------------------


def _rows(values_yaml: str, descriptions: dict[str, tuple[str, str]]) -> list[Row]:
    document = yaml.load(values_yaml, Loader=_loader())
    if not isinstance(document, dict):
        return []
    keyed = keyed_descriptions(values_yaml)
    rows: list[Row] = []
    for key, value in document.items():
        text, override = descriptions.get(key, ("", ""))
        rows += _field_rows(_prefix("", key), value, _described(text, override), keyed, True)
    return sorted(rows, key=lambda row: row.key.encode())


@dataclass(frozen=True)
class _Description:
    text: str = ""
    default: str = ""
    type: str = ""


def _described(text: str, override: str) -> _Description:
    typed = VALUE_TYPE.match(text)
    if typed and typed.group(1):
        return _Description(typed.group(2), override, typed.group(1))
    return _Description(text, override)


def _field_rows(
    prefix: str, value: Any, auto: _Description, keyed: dict[str, _Description], leaves: bool
) -> list[Row]:
    own = keyed.get(prefix)
    described = own is not None or bool(auto.text)
    if isinstance(value, (dict, list)):
        if not value:
            return [_row(prefix, value, own, auto)] if leaves or described else []
        rows = [_row(prefix, value, own, auto)] if described else []
        children = (
            value.items()
            if isinstance(value, dict)
            else ((f"[{i}]", v) for i, v in enumerate(value))
        )
        for name, child in children:
            path = prefix + name if name.startswith("[") else _prefix(prefix, name)
            rows += _field_rows(path, child, _Description(), keyed, leaves and not described)
        return rows
    return [_row(prefix, value, own, auto)] if leaves or described else []


def _row(key: str, value: Any, own: _Description | None, auto: _Description) -> Row:
    """createValueRow / parseNilValueType: an explicit default wins, else the JSON or `nil`."""
    mine = own or _Description()
    if mine.default or auto.default:
        shown = mine.default or auto.default
    else:
        shown = "`nil`" if value is None else f"`{go_json(_go_int_in_list(value))}`"
    value_type = mine.type or auto.type or _type_name(value)
    return Row(key, value_type, shown, mine.text or auto.text)


def _type_name(value: Any) -> str:
    if value is None:
        return "string"
    for kind, name in ((bool, "bool"), (float, "float"), (int, "int"), (str, "string")):
        if isinstance(value, kind):
            return name
    return "object" if isinstance(value, dict) else "list"


def _prefix(prefix: str, key: str) -> str:
    escaped = f'"{key}"' if "." in key or " " in key else key
    return f"{prefix}.{escaped}" if prefix else escaped


def keyed_descriptions(values_yaml: str) -> dict[str, _Description]:
    """parseChartValuesFileComments: `# key -- text` lines (even inside block scalars)."""
    found: dict[str, _Description] = {}
    block: list[str] = []
    for line in values_yaml.split("\n"):
        if not block:
            match = KEYED_DESCRIPTION.match(line)
            if match and match.group(1):
                block = [line]
            continue
        if DEFAULT_COMMENT.match(line) or SECTION_COMMENT.match(line) or CONTINUATION.match(line):
            block.append(line)
            continue
        key, description = _parse_comment(block)
        if key:
            found[key] = description
        block = []
    return found


def _parse_comment(lines: list[str]) -> tuple[str, _Description]:
    """comment.go ParseComment, for the parts chartgen's values can reach."""
    last = max((i for i, line in enumerate(lines) if line.startswith("# --")), default=0)
    if last > 0:
        return _parse_comment(lines[last:])
    key, text, start = "", "", 0
    for index, line in enumerate(lines):
        match = KEYED_DESCRIPTION.match(line)
        if match:
            key, text, start = match.group(1), match.group(2), index
            break
    value_type = ""
    typed = VALUE_TYPE.match(text)
    if typed and typed.group(1):
        value_type, text = typed.group(1), typed.group(2)
    default = ""
    for line in lines[start + 1 :]:
        if match := DEFAULT_COMMENT.match(line):
            default = match.group(1)
        elif SECTION_COMMENT.match(line) or re.match(r"^\s*#\s+@(raw|notationType)", line):
            continue
        elif match := CONTINUATION.match(line):
            text += " " + match.group(2)
    return key, _Description(text, default, value_type)
