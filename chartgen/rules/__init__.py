"""ML/GPU and general best-practice rules over the objects of one chart or manifest set.

The lint command calls `run_rules(objects, RuleContext(...))` once per rendered chart (values
variant) or manifest set; `all_rules()` describes every rule for reporters and `chartgen rules`.
"""

from __future__ import annotations

from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.engine import all_rules, run_rules

__all__ = ["RuleContext", "all_rules", "run_rules"]
