"""ML/GPU and general best-practice rules over the objects of one chart or manifest set.

The lint command calls `run_rules(objects, RuleContext(...))` once per rendered chart (values
variant) or manifest set; `all_rules()` describes every rule for reporters and `chartgen rules`.
The rule modules load on first use of these names, not with the package: lint imports them
while Helm renders the first chart (chartgen.lint.engine.collect_here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chartgen.rules.support.context import RuleContext
    from chartgen.rules.support.engine import all_rules, run_rules

__all__ = ["RuleContext", "all_rules", "run_rules"]


def __getattr__(name: str) -> Any:
    if name == "RuleContext":
        from chartgen.rules.support.context import RuleContext

        return RuleContext
    if name in ("all_rules", "run_rules"):
        from chartgen.rules.support import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'chartgen.rules' has no attribute {name!r}")
