#!/usr/bin/env bash
# Builds the pinned real tools the tests use (Helm 3, Helm 4, kubeconform) with `go install`,
# into a cache outside the repo, and reuses them when the right version is already there.
# Usage: tools/install-tools.sh            (prints the tool directory on its last line)
set -euo pipefail

HELM3_VERSION=v3.22.0
HELM4_VERSION=v4.3.1
KUBECONFORM_VERSION=v0.7.0
TOOLS_DIR="${CHARTGEN_TOOLS_DIR:-$HOME/.cache/chartgen-tools}"

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath

build() {  # build NAME VERSION PACKAGE LDFLAGS EXPECT
  local name=$1 version=$2 pkg=$3 ldflags=$4 expect=$5
  local dir="$TOOLS_DIR/$name-$version"
  local bin="$dir/${pkg##*/}"
  if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q -- "$expect" || { [ -x "$bin" ] && "$bin" -v 2>/dev/null | grep -q -- "$expect"; }; then
    echo "reuse $bin" >&2
    return
  fi
  echo "build $name $version (go install)" >&2
  mkdir -p "$dir"
  GOBIN="$dir" go install -ldflags "-s -w $ldflags" "$pkg@$version"
}

command -v go >/dev/null || { echo "go is required to build helm and kubeconform" >&2; exit 1; }
build helm "$HELM3_VERSION" helm.sh/helm/v3/cmd/helm \
  "-X helm.sh/helm/v3/internal/version.version=$HELM3_VERSION" "$HELM3_VERSION"
build helm "$HELM4_VERSION" helm.sh/helm/v4/cmd/helm \
  "-X helm.sh/helm/v4/internal/version.version=$HELM4_VERSION" "$HELM4_VERSION"
build kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform \
  "-X main.version=$KUBECONFORM_VERSION" "$KUBECONFORM_VERSION"
echo "$TOOLS_DIR"
