"""The generated catalog snapshot (chartgen/catalog/_snapshot.py) holds exactly what the YAML
files give, and is only used while it matches them."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartgen import catalog
from chartgen.catalog import snapshot


def test_the_snapshot_is_current() -> None:
    """Fails after a catalog edit until `python -m chartgen.catalog.snapshot` is run."""
    assert snapshot.SNAPSHOT.read_text(encoding="utf-8") == snapshot.render()
    assert snapshot.load() is not None


def test_the_snapshot_holds_the_records_the_yaml_files_give() -> None:
    tables = snapshot.load()
    assert tables is not None
    assert dict(tables) == snapshot.tables_from_yaml()
    assert set(tables) == set(catalog.TABLE_NAMES)


def test_catalog_lookups_read_the_snapshot() -> None:
    tables = snapshot.load()
    assert tables is not None
    assert catalog.runtime("vllm") is tables["runtimes"]["vllm"]  # not an equal record from YAML
    assert catalog.platform_names() == tuple(tables["platforms"])


def test_a_catalog_edit_makes_the_snapshot_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited data file (or reader code) changes the digest: the YAML is read instead, so a
    stale snapshot never shadows the catalog."""
    for name in snapshot.sources():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((snapshot.ROOT / name).read_bytes())
    monkeypatch.setattr(snapshot, "ROOT", tmp_path)
    assert snapshot.load() is not None  # same bytes, same digest
    hub = tmp_path / "hub.yaml"
    hub.write_text(hub.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert snapshot.load() is None
