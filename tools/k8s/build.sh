#!/usr/bin/env bash
# Builds the real kube-apiserver, kube-controller-manager, kube-scheduler and etcd pinned by
# tools/k8s/go.mod into a cache directory outside the repo, keyed by version, and reuses them
# when they already report that version.
# Usage: tools/k8s/build.sh          (prints the bin directory on its last line)
#        tools/k8s/build.sh --check  (builds nothing: exit 0 when every binary reports its version)
# Needs Go >= 1.24 and the Go module proxy (or a warm module cache). Fails loudly otherwise.
set -euo pipefail

K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.4
BUILD_DATE=1970-01-01T00:00:00Z
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_DIR="${CHARTGEN_TOOLS_DIR:-$HOME/.cache/chartgen-tools}"
BIN="$TOOLS_DIR/k8s-$K8S_VERSION"

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath

fail() { echo "tools/k8s/build.sh: $*" >&2; exit 1; }

# Version checks capture the whole output before matching: `cmd | grep -q` under pipefail races,
# because grep exits at the first match and the tool dies of SIGPIPE while printing its next line.
reports() {  # reports BINARY EXPECTED-LINE
  local out
  [ -x "$1" ] || return 1
  out=$("$1" --version 2>/dev/null) || return 1
  grep -qx -- "$2" <<<"$out"
}

# The Kubernetes components built from the wrapper module, all stamped like kube-apiserver.
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler)

have_component() { reports "$BIN/$1" "Kubernetes $K8S_VERSION"; }

have_etcd() { reports "$BIN/etcd" "etcd Version: ${ETCD_VERSION#v}"; }

have_all() {  # the four version checks run side by side: this runs before every test session
  local c pid ok=0 pids=()
  for c in "${COMPONENTS[@]}"; do have_component "$c" & pids+=($!); done
  have_etcd & pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || ok=1; done
  return "$ok"
}

check_go() {
  command -v go >/dev/null || fail "go is required (Go >= 1.24) to build the Kubernetes components and etcd"
  (cd "$HERE" && go mod download k8s.io/kubernetes go.etcd.io/etcd/server/v3) \
    || fail "cannot download the pinned modules from the Go module proxy ($(go env GOPROXY))"
}

build_component() {  # build_component NAME   (k8s.io/kubernetes/cmd/NAME)
  local name=$1 p=k8s.io/component-base/version minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  echo "build $name $K8S_VERSION into $BIN (cold: ~5-20 min each on 2 cores)" >&2
  (cd "$HERE" && go build -o "$BIN/$name.tmp" -ldflags "-s -w \
    -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor \
    -X $p.gitTreeState=clean -X $p.buildDate=$BUILD_DATE" "k8s.io/kubernetes/cmd/$name")
  mv "$BIN/$name.tmp" "$BIN/$name"
}

build_etcd() {
  echo "build etcd $ETCD_VERSION into $BIN" >&2
  (cd "$HERE" && go build -o "$BIN/etcd.tmp" -ldflags "-s -w" go.etcd.io/etcd/server/v3)
  mv "$BIN/etcd.tmp" "$BIN/etcd"
}

main() {
  local c
  if [ "${1:-}" = --check ]; then
    have_all
    return
  fi
  if have_all; then
    echo "reuse $BIN" >&2
  else
    check_go
    mkdir -p "$BIN"
    have_etcd || build_etcd
    for c in "${COMPONENTS[@]}"; do
      have_component "$c" || build_component "$c"
      have_component "$c" || fail "$BIN/$c does not report Kubernetes $K8S_VERSION"
    done
    have_etcd || fail "$BIN/etcd does not report etcd Version: ${ETCD_VERSION#v}"
  fi
  echo "$BIN"
}

main "$@"
