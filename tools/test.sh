#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs chartgen and its test tools, builds the
# pinned real binaries (Helm 3, Helm 4, kubeconform, helm-docs, KWOK, cyclonus; kube-apiserver,
# kube-controller-manager, kube-scheduler + etcd) and chartgen's own render worker
# (chartgen-render), then runs the code checks (ruff, mypy, gofmt, go vet), render-worker's Go tests and pytest.
# Re-runs reuse everything already built.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
TOOLS_DIR=$(tools/install-tools.sh | tail -n 1)
export CHARTGEN_TOOLS_DIR="$TOOLS_DIR"
tools/build-render-worker.sh
if [ -x tools/k8s/build.sh ]; then
  tools/k8s/build.sh | tail -n 1
fi

ruff check chartgen tests tools bench
mypy
unformatted=$(gofmt -l render-worker)
[ -z "$unformatted" ] || { echo "gofmt: $unformatted" >&2; exit 1; }
(cd render-worker && export GOTOOLCHAIN=local GOFLAGS=-mod=readonly && go vet ./... && go test ./...)
set +e
python3 -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$status"
