#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from the Go module proxy into OUT (default
# .local/kube/bin) for the tests and the k8s-sync bench. Nothing else ships them on a machine
# without Docker: Debian has no kube-apiserver, and its etcd (3.4) lacks the watch-progress
# requests the apiserver needs. Skips a binary whose --version already matches.
set -euo pipefail
KUBE_VERSION="${SEGFLOW_KUBE_VERSION:-v1.37.2}"
ETCD_VERSION="${SEGFLOW_ETCD_VERSION:-v3.6.16}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/.local/kube/bin}"
WORK="${SEGFLOW_KUBE_BUILD_DIR:-$ROOT/.local/kube/build}"
mkdir -p "$OUT" "$WORK"
command -v go >/dev/null || { echo "build-kube: go is not on PATH (Go >= 1.26 builds kube-apiserver $KUBE_VERSION)" >&2; exit 1; }

staging="${KUBE_VERSION/v1./v0.}" # k8s.io/kubernetes v1.N.M pins its staging modules at v0.N.M
minor="$(echo "$KUBE_VERSION" | cut -d. -f2)"

# Versions are read into variables first: `grep -q` closing a pipe early would SIGPIPE the binary,
# and with pipefail a current binary would look stale.
have_api="$([ -x "$OUT/kube-apiserver" ] && "$OUT/kube-apiserver" --version 2>/dev/null || true)"
have_etcd="$([ -x "$OUT/etcd" ] && "$OUT/etcd" --version 2>/dev/null || true)"
have_kubectl="$([ -x "$OUT/kubectl" ] && "$OUT/kubectl" version --client 2>/dev/null | head -1 || true)"
if [ "$have_api" = "Kubernetes $KUBE_VERSION" ] && [ "$have_kubectl" = "Client Version: $KUBE_VERSION" ]; then
  echo "build-kube: kube-apiserver and kubectl $KUBE_VERSION already built"
else
  # kubectl too: the install test compares segflow's kustomize renderer with `kubectl kustomize`.
  echo "build-kube: building kube-apiserver and kubectl $KUBE_VERSION (about 10 min on 2 cores, once)"
  mod="$WORK/apiserver"
  rm -rf "$mod"; mkdir -p "$mod"; cd "$mod"
  go mod init segflow.local/kube-apiserver-build >/dev/null 2>&1
  gomod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [ -f "$gomod" ] || { echo "build-kube: could not download k8s.io/kubernetes@$KUBE_VERSION's go.mod" >&2; exit 1; }
  # Every staging module k8s.io/kubernetes replaces with a local path gets its published version.
  awk '/^replace \(/{r=1;next} r&&/^\)/{r=0} r&&/=>/{print $1}' "$gomod" | while read -r m; do
    go mod edit "-replace=$m=$m@$staging"
  done
  go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" "k8s.io/kubernetes/cmd/kubectl@$KUBE_VERSION"
  ldv="k8s.io/component-base/version"
  go build -trimpath -ldflags "-s -w -X $ldv.gitVersion=$KUBE_VERSION -X $ldv.gitMajor=1 -X $ldv.gitMinor=$minor" \
    -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
  go build -trimpath -ldflags "-s -w -X $ldv.gitVersion=$KUBE_VERSION -X $ldv.gitMajor=1 -X $ldv.gitMinor=$minor" \
    -o "$OUT/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl
  mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"
  mv "$OUT/kubectl.tmp" "$OUT/kubectl"
fi

if printf '%s\n' "$have_etcd" | grep -qx "etcd Version: ${ETCD_VERSION#v}"; then
  echo "build-kube: etcd $ETCD_VERSION already built"
else
  echo "build-kube: building etcd $ETCD_VERSION"
  mod="$WORK/etcd"
  rm -rf "$mod"; mkdir -p "$mod"; cd "$mod"
  go mod init segflow.local/etcd-build >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$OUT/etcd.tmp" "$OUT/etcd"
fi
"$OUT/kube-apiserver" --version
etcd_version="$("$OUT/etcd" --version)"
printf '%s\n' "${etcd_version%%$'\n'*}"
