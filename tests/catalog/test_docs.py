"""The committed catalog pages equal what `python -m chartgen.catalog.docs` generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartgen import catalog
from chartgen.catalog import docs

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "out of date: run `python -m chartgen.catalog.docs` from the repository root"


@pytest.mark.parametrize("page", sorted(docs.DOCS))
def test_committed_page_matches_the_catalog(page: str) -> None:
    committed = (DOCS_DIR / page).read_text(encoding="utf-8")
    assert committed == docs.DOCS[page](), f"docs/{page} {REGENERATE}"


def test_runtime_page_lists_every_runtime_with_its_sources() -> None:
    page = docs.render_runtimes_md()
    for name in catalog.runtime_names():
        runtime = catalog.runtime(name)
        assert f"(`{name}`)" in page
        assert runtime.sources["liveness"] in page


def test_platform_page_lists_every_platform_and_product() -> None:
    page = docs.render_platforms_md()
    assert all(f"(`{name}`)" in page for name in catalog.platform_names())
    assert all(f"`{key}`" in page for key in catalog.gpu_product_keys())


def test_main_writes_both_pages(tmp_path: Path) -> None:
    assert docs.main([str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == set(docs.DOCS)
    assert (tmp_path / "runtimes.md").read_text(encoding="utf-8") == docs.render_runtimes_md()
