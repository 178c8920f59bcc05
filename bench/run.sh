#!/usr/bin/env bash
# The one benchmark command (see bench/README.md):
#   bench/run.sh                       both engines, default sizes
#   bench/run.sh --only postgres       one engine
#   bench/run.sh --payments 5000       any other option goes to the load generator's `run`
# Builds Release, starts a private PostgreSQL with its normal durability settings (fsync, full page
# writes and synchronous commit all on), runs the load generator against the real server process on
# each engine (fresh SQLite file / fresh PostgreSQL database each time), writes the latest-run
# section of bench/RESULTS.md, and cleans up. Exits non-zero if any request failed or any
# exactly-once check was violated. On PostgreSQL it also sends the Stripe deliveries to the Node.js
# peer in bench/node-peer (installed with npm ci) for the "vs Node.js" ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh

command_line="bench/run.sh${*:+ $*}"
engines=(sqlite postgres)
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) engines=("$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

ensure_postgres
# The Node.js peer (bench/node-peer: Express + stripe + pg) that the PostgreSQL run compares the
# webhook apply rate with; its dependencies come pinned from its package-lock.json.
node_peer=()
if [[ " ${engines[*]} " == *" postgres "* ]]; then
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  echo "Installing the Node.js peer's packages (node $(node --version))..." >&2
  (cd bench/node-peer && npm ci --no-audit --no-fund --loglevel=error >&2)
  node_peer=(--node-peer "$PWD/bench/node-peer/server.js")
fi
echo "Building (Release)..." >&2
# The server as it should be deployed: published with ReadyToRun (its own code and its NuGet
# dependencies precompiled), which halves the JIT work at start (see docs/decisions.md).
rid=$(dotnet --info | awk '/ RID:/ {print $2; exit}')
publish="$PWD/src/Payments.Server/bin/Release/net10.0/$rid/publish"
dotnet publish src/Payments.Server -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$publish" -v quiet -nologo >&2
dotnet build bench/LoadGen -c Release -v quiet -nologo >&2
server_dll="$publish/Payments.Server.dll"
loadgen="$PWD/bench/LoadGen/bin/Release/net10.0/Payments.LoadGen.dll"

work=$(mktemp -d /tmp/payments-bench.XXXXXX)
cleanup() { pg_stop; rm -rf "$work"; }
trap cleanup EXIT
# A PostgreSQL that has been running recycles its WAL segments; a brand-new cluster instead creates
# and zero-fills a 16 MB file at every segment switch, which stalls the commits of that moment for
# 60-80 ms every second or two under this load (seen with log_min_duration_statement). So the cluster
# keeps up to 1 GB of WAL for reuse (min_wal_size, a normal setting for a write-heavy service), and
# writes and checkpoints ~600 MB of WAL once before the run: the figures are steady state, not first
# start. Durability settings stay at their defaults (fsync, full_page_writes, synchronous_commit on).
for engine in "${engines[@]}"; do
  if [ "$engine" = postgres ]; then
    pg_start min_wal_size=1GB max_wal_size=2GB
    echo "Pre-allocating PostgreSQL's WAL..." >&2
    "${PG_RUN[@]}" "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U payments -d postgres -v ON_ERROR_STOP=1 -c \
      "CREATE TABLE wal_fill AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 2000000) g" \
      -c "DROP TABLE wal_fill" -c "CHECKPOINT" >&2
  fi
done

status=0
results=()
for engine in "${engines[@]}"; do
  extra=()
  [ "$engine" = postgres ] && extra=(--pg-url "$PG_URL" "${node_peer[@]}")
  mkdir -p "$work/$engine"
  dotnet "$loadgen" run --engine "$engine" --server "$server_dll" --work "$work/$engine" \
    --out "$work/$engine.json" "${extra[@]}" "${args[@]}" || status=1
  [ -f "$work/$engine.json" ] && results+=("$work/$engine.json")
  if [ "$status" -ne 0 ] && [ -f "$work/$engine/server-$engine.log" ]; then
    echo "--- last lines of the $engine server log ---" >&2
    tail -n 30 "$work/$engine/server-$engine.log" >&2
  fi
done

if [ ${#results[@]} -gt 0 ]; then
  dotnet "$loadgen" report --results "${results[@]}" --markdown bench/RESULTS.md --command "$command_line"
  echo "Wrote bench/RESULTS.md" >&2
fi
exit $status
