# Source this file (`. scripts/use-node-24.sh`) to run segflow's commands on Node.js 24 LTS.
#
# When the `node` on PATH is already 24 or newer it changes nothing. Otherwise it installs the
# pinned Node.js 24 binary from the npm registry (the node-linux-<arch> package, checked against
# the registry's integrity hash by npm) into .local/node once, and puts .local/node/bin first on
# PATH for this shell, so npm itself, npm scripts, `npx segflow` and every child process that
# uses process.execPath or `#!/usr/bin/env node` run on it. Sourced rather than run because only
# a sourced script can change the caller's PATH.

# The Node.js 24 LTS release installed when the system's Node is older.
SEGFLOW_NODE_VERSION=24.22.3
# The checkout this file belongs to (bash sets BASH_SOURCE when sourcing, zsh sets $0).
SEGFLOW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)

segflow_use_node_24() {
  local dir arch current
  dir="$SEGFLOW_ROOT/.local/node"
  current=$(node -p 'process.versions.node' 2>/dev/null || echo none)
  if [ "${current%%.*}" != none ] && [ "${current%%.*}" -ge 24 ]; then
    echo "node: using Node.js $current from $(command -v node)"
    return 0
  fi
  if [ "$("$dir/bin/node" -p 'process.versions.node' 2>/dev/null)" != "$SEGFLOW_NODE_VERSION" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) arch=x64 ;;
      Linux-aarch64 | Linux-arm64) arch=arm64 ;;
      *) echo "node: Node.js $current is older than 24 and no Node.js 24 package exists for $(uname -s) $(uname -m); install Node.js 24 LTS yourself" >&2; return 1 ;;
    esac
    echo "node: Node.js ${current} is older than 24; installing node-linux-$arch@$SEGFLOW_NODE_VERSION from the npm registry into $dir"
    rm -rf "$dir" && mkdir -p "$dir/bin" || return 1
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@$SEGFLOW_NODE_VERSION" || return 1
    ln -s "../node_modules/node-linux-$arch/bin/node" "$dir/bin/node" || return 1
  fi
  export PATH="$dir/bin:$PATH"
  hash -r
  echo "node: using Node.js $(node -p 'process.versions.node') from $dir/bin/node"
}

segflow_use_node_24
