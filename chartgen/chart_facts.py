"""Pod annotations through which a generated chart tells `chartgen lint` what the plan decided.

The generator writes them (chartgen/model/resolve.py), the rules read them back, so a chart
linted without its spec is judged by the same facts.
"""

from __future__ import annotations

RUNTIME = "chartgen.dev/runtime"  # "" on a helper workload: it runs no model server
MODEL_SIZE_GIB = "chartgen.dev/model-size-gib"
SPARE_GPUS = "chartgen.dev/spare-gpus"
RUNTIME_MAINTENANCE = "chartgen.dev/runtime-maintenance"  # the status the chart acknowledges
PUBLIC_EXPOSURE = "chartgen.dev/public-exposure"  # a Service published on purpose
PLATFORM = "chartgen.dev/platform"  # a Chart.yaml annotation: the platform the chart targets
NODE_POOL = "chartgen.dev/node-pool"  # a Chart.yaml annotation: the node-pool variant targeted
GPU_NODE_HELPER = "chartgen.dev/gpu-node-helper"  # a GPU-less pod placed beside GPU pods knowingly
