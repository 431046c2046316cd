#!/usr/bin/env bash
# Builds the pinned real tools the tests use (Helm 3, Helm 4, kubeconform, helm-docs, KWOK,
# cyclonus) with `go install`, into a cache outside the repo, and reuses them when the right
# version is already there.
# Usage: tools/install-tools.sh            (prints the tool directory on its last line)
#        tools/install-tools.sh --check    (builds nothing: exit 0 when every pinned tool is there)
set -euo pipefail

HELM3_VERSION=v3.22.0
HELM4_VERSION=v4.3.1
KUBECONFORM_VERSION=v0.7.0
HELM_DOCS_VERSION=v1.14.2
KWOK_VERSION=v0.8.0
CYCLONUS_VERSION=v0.5.6
TOOLS_DIR="${CHARTGEN_TOOLS_DIR:-$HOME/.cache/chartgen-tools}"
CHECK_ONLY=$([ "${1:-}" = --check ] && echo 1 || echo 0)
missing=0

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath

build() {  # build NAME VERSION PACKAGE LDFLAGS
  local name=$1 version=$2 pkg=$3 ldflags=$4
  local dir="$TOOLS_DIR/$name-$version"
  local bin="$dir/${pkg##*/}"
  local recipe="$pkg@$version $ldflags"
  if [ -x "$bin" ] && [ "$(cat "$dir/.recipe" 2>/dev/null)" = "$recipe" ]; then
    [ "$CHECK_ONLY" = 1 ] || echo "reuse $bin" >&2
    return
  fi
  if [ "$CHECK_ONLY" = 1 ]; then
    echo "missing $bin ($recipe)" >&2
    missing=1
    return
  fi
  echo "build $name $version (go install)" >&2
  mkdir -p "$dir"
  GOBIN="$dir" go install -ldflags "-s -w $ldflags" "$pkg@$version"
  # From its own empty directory: `helm-docs version` would document every chart under the cwd.
  (cd "$dir" && { "$bin" version >/dev/null 2>&1 || "$bin" -v >/dev/null 2>&1 \
    || "$bin" --version >/dev/null 2>&1; }) \
    || { echo "$bin does not run" >&2; exit 1; }
  printf '%s' "$recipe" > "$dir/.recipe"
}

[ "$CHECK_ONLY" = 1 ] || command -v go >/dev/null || { echo "go is required to build the test tools" >&2; exit 1; }
# Like Helm's Makefile: the default Kubernetes version (used by `helm template`) is client-go's.
H3=helm.sh/helm/v3
build helm "$HELM3_VERSION" $H3/cmd/helm "-X $H3/internal/version.version=$HELM3_VERSION \
  -X $H3/pkg/chartutil.k8sVersionMajor=1 -X $H3/pkg/chartutil.k8sVersionMinor=37 \
  -X $H3/pkg/lint/rules.k8sVersionMajor=1 -X $H3/pkg/lint/rules.k8sVersionMinor=37"
build helm "$HELM4_VERSION" helm.sh/helm/v4/cmd/helm \
  "-X helm.sh/helm/v4/internal/version.version=$HELM4_VERSION"
build kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform \
  "-X main.version=$KUBECONFORM_VERSION"
# helm-docs renders chart READMEs from values.yaml comments: tests/chart/test_helm_docs.py.
build helm-docs "$HELM_DOCS_VERSION" github.com/norwoodj/helm-docs/cmd/helm-docs \
  "-X main.version=${HELM_DOCS_VERSION#v}"
# KWOK plays the kubelet of fake nodes in tests/cluster (its stage configs are vendored in
# tests/cluster/kwok-stages); the module's own consts.Version already says 0.8.0.
build kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok ""
# cyclonus judges NetworkPolicies offline: tests/cluster/test_connectivity.py.
build cyclonus "$CYCLONUS_VERSION" github.com/mattfenwick/cyclonus/cmd/cyclonus \
  "-X github.com/mattfenwick/cyclonus/pkg/cli.version=$CYCLONUS_VERSION"
# strace proves that lint opens no socket and no file outside its inputs (tests/hostile).
if ! command -v strace >/dev/null; then
  if [ "$CHECK_ONLY" = 1 ]; then
    echo "missing strace (apt-get install strace)" >&2
    missing=1
  else
    { apt-get install -y -qq strace || { apt-get update -qq && apt-get install -y -qq strace; }; } >&2
  fi
fi
[ "$CHECK_ONLY" = 1 ] && exit "$missing"
echo "$TOOLS_DIR"
