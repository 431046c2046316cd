#!/usr/bin/env bash
# Builds chartgen-render (render-worker/: Helm's Go packages behind chartgen's worker protocol)
# into chartgen/helm/bin/, where chartgen finds it; without it chartgen renders with the Helm
# SDK for Python, the same output, slower. Rebuilds only when the sources changed.
# Usage: tools/build-render-worker.sh [--check]   (--check: exit 1 when missing or stale)
# Needs Go and the Go module proxy (or a module cache holding render-worker/go.sum's modules).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN="$REPO/chartgen/helm/bin/chartgen-render"
cd "$REPO"
# The digest the binary reports in its hello; tests/helm/test_render_worker.py recomputes it.
SOURCE=$(find render-worker -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64)
if [ -x "$BIN" ] && [ "$(cat "$BIN.source" 2>/dev/null)" = "$SOURCE" ]; then
  [ "${1:-}" = --check ] || echo "reuse $BIN" >&2
  exit 0
fi
if [ "${1:-}" = --check ]; then
  echo "missing or stale: $BIN (tools/build-render-worker.sh)" >&2
  exit 1
fi
command -v go >/dev/null || { echo "go is required to build chartgen-render" >&2; exit 1; }
echo "build chartgen-render (go build)" >&2
mkdir -p "$(dirname "$BIN")"
# Into a temporary file, then renamed: a chartgen running meanwhile never starts half a binary.
# -trimpath and -buildvcs=false: the same sources give the same bytes in any checkout.
(cd render-worker && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-trimpath -mod=readonly -buildvcs=false" \
  go build -ldflags "-s -w -X main.source=$SOURCE" -o "$BIN.tmp" .)
mv "$BIN.tmp" "$BIN"
printf '%s' "$SOURCE" > "$BIN.source"
