"""What the rule modules of chartgen.rules share: object views, runtime and platform look-ups in
the catalog, probe and rollout arithmetic, the rule context, the registry and the engine.

chartgen/rules/ itself holds only rules, one module per rule id.
"""
