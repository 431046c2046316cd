"""The nesting pre-check (chartgen.limits.shallow) keeps its verdict when it skips short lines:
a line no longer than the room the brackets leave cannot exceed it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chartgen.limits import shallow


def every_line(text: str, limit: int) -> bool:
    """The bound as first written: every line looked inside."""
    lines = text.splitlines()
    brackets = text.count("[") + text.count("{") + 1
    deepest = max(
        (len(ln) - len(ln.lstrip(" ")) + ln.count("- ") + ln.count(": ") for ln in lines),
        default=0,
    )
    return deepest + brackets <= limit


yaml_ish = st.text(alphabet=" -:ab[]{}\n", max_size=300)


@settings(max_examples=500, deadline=None)
@given(yaml_ish, st.integers(min_value=0, max_value=80))
def test_the_verdict_is_the_bound_over_every_line(text: str, limit: int) -> None:
    assert shallow(text, limit) == every_line(text, limit)


def test_long_lines_decide() -> None:
    deep_list = "x:\n" + "".join(" " * i + "- \n" for i in range(0, 40, 2))
    assert shallow(deep_list, 64)
    assert not shallow(deep_list, 30)
    assert not shallow("a: " + "[" * 70 + "]" * 70, 64)
