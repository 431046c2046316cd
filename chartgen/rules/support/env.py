"""Environment variables as the processes inside read them."""

from __future__ import annotations

from chartgen.rules.support.objects import Container

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})  # huggingface_hub's _is_true()


def is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in TRUE_WORDS


def names(container: Container) -> set[str]:
    """Env names the container sets, by value or by reference."""
    return {str(item.get("name")) for _, item in container.env if item.get("name")}


def env_index(container: Container, name: str) -> int | None:
    return next((i for i, item in container.env if item.get("name") == name), None)


def takes_env_from_secret(container: Container) -> bool:
    """`envFrom` a Secret: any name may come from it (HF_TOKEN, cloud keys)."""
    items = container.data.get("envFrom")
    return isinstance(items, list) and any(
        isinstance(item, dict) and "secretRef" in item for item in items
    )
