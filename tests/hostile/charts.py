"""Small hostile charts and archives, made on the fly (nothing binary is committed)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-x
data:
  a: {{ .Values.a | quote }}
"""


def make_chart(
    root: Path,
    name: str = "demo",
    *,
    template: str = CONFIGMAP,
    schema: dict[str, Any] | None = None,
    values: str = "a: b\n",
) -> Path:
    chart = root / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n", encoding="utf-8"
    )
    (chart / "values.yaml").write_text(values, encoding="utf-8")
    (chart / "templates" / "cm.yaml").write_text(template, encoding="utf-8")
    if schema is not None:
        (chart / "values.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return chart


def pack(archive: Path, members: dict[str, bytes], *, big: dict[str, int] | None = None) -> Path:
    """A .tgz with these files; `big` adds files of that many zero bytes (compress to little)."""
    with tarfile.open(archive, "w:gz") as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        for name, size in (big or {}).items():
            info = tarfile.TarInfo(name)
            info.size = size
            bundle.addfile(info, _Zeros(size))
    return archive


def chart_members(
    name: str, template: str = CONFIGMAP, extra: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    return {
        f"{name}/Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n".encode(),
        f"{name}/values.yaml": b"a: b\n",
        f"{name}/templates/cm.yaml": template.encode(),
        **(extra or {}),
    }


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count
