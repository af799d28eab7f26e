# syntax=docker/dockerfile:1
#
# One image for every segflow role: `segflow collect` (node agent), `segflow enrich`,
# `segflow api`, `segflow inventory sync`. It runs exactly what a checkout runs: bin/segflow.js,
# which runs the JavaScript that `npm run build` compiles from src/ into dist/ (esbuild, a
# production dependency; tsx stays as the fallback for a stale dist/, which the image never has).
#
#   docker build -t segflow .
#
# deploy/image/build-oci-image.sh builds this same file without Docker (buildah), see
# docs/install.md.

ARG NODE_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build: production dependencies and the eBPF probe --------------------------------------
FROM ${NODE_IMAGE} AS build

# What ebpf/Makefile needs (clang for the BPF object, bpftool for vmlinux.h and the skeleton,
# gcc + libbpf for the loader).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config make gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the only production package with one is esbuild, whose script merely
# checks the platform binary that its optional dependency (@esbuild/linux-x64) already brings.
# Behind a TLS-intercepting proxy, hand npm the proxy's CA for this step only (never stored in
# a layer): docker build --secret id=ca-bundle,src=/path/to/ca-bundle.pem .
RUN --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-bundle; fi \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund

COPY bin ./bin
COPY src ./src
COPY ebpf ./ebpf
COPY conntrack-reader ./conntrack-reader
COPY examples ./examples
COPY kibana ./kibana
COPY scripts/build-cli.js ./scripts/
# npm ci above skipped `prepare`; compile src/ to dist/ here. The runtime stage's copy keeps
# the sources' mtimes, so bin/segflow.js finds dist/ current.
RUN npm run build

# The probe is CO-RE: vmlinux.h only has to describe *a* BTF kernel (the build host's, by
# default); the object relocates itself on the node's kernel at load time. A build host
# without /sys/kernel/btf/vmlinux passes another kernel's BTF file: --build-arg BTF=PATH.
# The collector looks for the loader in .local/ebpf/ and rebuilds it only when a source in
# ebpf/ is newer, which never happens in the image (both are copied together below).
ARG BTF=/sys/kernel/btf/vmlinux
RUN npm run build:ebpf -- BTF=${BTF} \
 && find .local/ebpf -mindepth 1 ! -name segflow-ebpf -delete \
 && test -x .local/ebpf/segflow-ebpf

# The netlink conntrack reader (the collector's default way to read conntrack): gcc and the
# Linux uapi headers only; found in .local/conntrack-reader/ like the eBPF loader.
RUN npm run build:conntrack-reader \
 && find .local/conntrack-reader -mindepth 1 ! -name segflow-conntrack-reader -delete \
 && test -x .local/conntrack-reader/segflow-conntrack-reader

# ---- runtime: slim Debian, Node.js, the app ------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# conntrack: the collector's conntrack reader with --conntrack-reader cli; iproute2: `ip netns exec` for --netns;
# libbpf1/libelf1/zlib1g: the eBPF loader's shared libraries.
RUN apt-get update \
 && apt-get install -y --no-install-recommends conntrack iproute2 libbpf1 libelf1 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 segflow \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin segflow

# Only the node binary from the Node image: no npm, corepack or yarn at run time.
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /app /app
RUN ln -s /app/bin/segflow.js /usr/local/bin/segflow \
 && segflow --version \
 && node --input-type=module -e "import { builtCliIsCurrent } from '/app/scripts/build-cli.js'; if (!builtCliIsCurrent()) throw new Error('dist/ is not current in the image')"

WORKDIR /app
# Non-root by default. The collector's DaemonSet runs it as root with a few capabilities
# (deploy/kustomize/base/collector/daemonset.yaml says why).
USER 65532:65532
EXPOSE 8080 9464 9465 9466
ENTRYPOINT ["/usr/local/bin/segflow"]
CMD ["--help"]
