"""Runtime options read back from a container's command, args and env: parallelism, model source.

Commands are often a shell line (`sh -c "vllm serve ... --tensor-parallel-size 2"`); such words
are split like a shell would, and each resulting token keeps the pointer of the word it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from chartgen import catalog
from chartgen.rules.support.objects import Container
from chartgen.rules.support.quantities import integer


@dataclass(frozen=True)
class Knob:
    """One runtime option and every spelling the catalog runtimes use for it."""

    flags: tuple[str, ...]
    env: tuple[str, ...] = ()


def catalog_knob(key: str) -> Knob:
    """Every flag (with its aliases) and env name any catalog runtime maps the option `key` to."""
    flags: list[str] = []
    env: list[str] = []
    for name in catalog.runtime_names():
        mapping = catalog.runtime(name).args.get(key)
        if mapping is None:
            continue
        if mapping.flag and mapping.style != "positional":
            flags.append(mapping.flag)
        flags += mapping.aliases
        env += [mapping.env] if mapping.env else []
    return Knob(tuple(dict.fromkeys(flags)), tuple(dict.fromkeys(env)))


TENSOR_PARALLEL = catalog_knob("tensor_parallel")
PIPELINE_PARALLEL = catalog_knob("pipeline_parallel")
DATA_PARALLEL = catalog_knob("data_parallel")
MODEL = catalog_knob("model")
SHUTDOWN_TIMEOUT = catalog_knob("drain_timeout")


@dataclass(frozen=True)
class Setting:
    value: str
    pointer: str


def tokens(container: Container) -> list[tuple[str, str]]:
    """(pointer, token) for every word of command + args, shell lines split into words."""
    return container.words


def flag_setting(container: Container, knob: Knob) -> Setting | None:
    """The last value given to any spelling of the knob (`--flag v` or `--flag=v`), env included."""
    found: Setting | None = None
    words = tokens(container)
    for index, (pointer, word) in enumerate(words):
        name, _, inline = word.partition("=")
        if name not in knob.flags:
            continue
        if inline:
            found = Setting(inline, pointer)
        elif index + 1 < len(words):
            found = Setting(words[index + 1][1], words[index + 1][0])
    return found or env_setting(container, knob)


def env_setting(container: Container, knob: Knob) -> Setting | None:
    for index, item in container.env:
        if item.get("name") in knob.env and "value" in item:
            return Setting(str(item["value"]), f"{container.pointer}/env/{index}/value")
    return None


def int_setting(container: Container, knob: Knob) -> tuple[int, str] | None:
    setting = flag_setting(container, knob)
    number = integer(setting.value) if setting else None
    return (number, setting.pointer) if setting and number is not None else None


def positional_model(container: Container) -> Setting | None:
    """`vllm serve <model>`: the word after `serve` when it is not an option."""
    words = tokens(container)
    for index, (_, word) in enumerate(words[:-1]):
        pointer, following = words[index + 1]
        if word == "serve" and not following.startswith("-"):
            return Setting(following, pointer)
    return None


def model_reference(container: Container) -> Setting | None:
    return flag_setting(container, MODEL) or positional_model(container)
