#!/usr/bin/env bash
# ./bpclub bench: a throwaway PostgreSQL, one silo, one front end and the baseline service on the
# bench's own ports (so that it runs beside ./bpclub up), then bench/BpClub.Bench drives the
# scenarios on both and writes the report to bench/results/. Everything it started is stopped
# however it ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PG="$ROOT/cluster-config/postgres.sh"
DATA="$ROOT/.data/bench"
PG_PORT="${BENCH_PG_PORT:-56432}"
API_PORT="${BENCH_API_PORT:-18080}" API_MANAGEMENT_PORT="${BENCH_API_MANAGEMENT_PORT:-18081}"
SILO_PORT="${BENCH_SILO_PORT:-21111}" GATEWAY_PORT="${BENCH_GATEWAY_PORT:-22111}" SILO_HTTP_PORT="${BENCH_SILO_HTTP_PORT:-19101}"
BASELINE_PORT="${BENCH_BASELINE_PORT:-18090}"
OUT="src/BpClub.Silo/bin/Release/net10.0"
API="src/BpClub.Api/bin/Release/net10.0"
BENCH="bench/BpClub.Bench/bin/Release/net10.0/BpClub.Bench.dll"
BASELINE="bench/BpClub.Baseline/bin/Release/net10.0"
TOOLS="$HOME/.dotnet/tools"

bash "$PG" ensure-installed
dotnet build BpClub.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/BpClub.Baseline -c Release -nologo -v quiet -clp:ErrorsOnly
# The profilers (NuGet global tools); without them the report leaves their sections out.
for tool in dotnet-counters dotnet-trace; do
  [[ -x $TOOLS/$tool ]] || dotnet tool install --global "$tool" >/dev/null 2>&1 || echo "bench: could not install $tool" >&2
done

# A fresh database every run: the figures must not depend on what an earlier run left.
bash "$PG" destroy "$DATA/pg"
mkdir -p "$DATA/logs"
pids=()
cleanup() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  cp "$DATA/pg/server.log" "$DATA/logs/postgres.log" 2>/dev/null || true
  bash "$PG" destroy "$DATA/pg" || true
}
trap cleanup INT TERM EXIT
cs="$(bash "$PG" start "$DATA/pg" "$PG_PORT" bpclub)"
postmaster="$(head -n1 "$DATA/pg/postmaster.pid")"
bindir="$(dirname "$(readlink -f "/proc/$postmaster/exe" 2>/dev/null || command -v pgbench)")"
# pg_stat_statements must be loaded at server start: set it for this throwaway server and restart it.
# Checkpoints 30 min apart (the bench forces one after seeding): a checkpoint inside one 15 s run
# would charge its full-page writes to whichever service happened to be measured then.
"$bindir/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bpclub \
  -c "alter system set shared_preload_libraries = 'pg_stat_statements'" \
  -c "alter system set checkpoint_timeout = '30min'" -c "alter system set max_wal_size = '8GB'"
bash "$PG" stop "$DATA/pg"
cs="$(bash "$PG" start "$DATA/pg" "$PG_PORT" bpclub)"
baseline_cs="$(bash "$PG" start "$DATA/pg" "$PG_PORT" bpclub_baseline)"
postmaster="$(head -n1 "$DATA/pg/postmaster.pid")"

export ConnectionStrings__BpClub="$cs" DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
export BPCLUB_OPERATOR_KEY="op.bench-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
export BPCLUB_SMS_OUTBOX="$DATA/sms-outbox.jsonl"
export Cluster__ClusterId=bpclub-bench
# The bench is one station posting for thousands of tills: lift the per-caller write limit.
export RateLimits__PerCallerPerSecond=10000000 RateLimits__PerCallerBurst=10000000
dotnet "$OUT/BpClub.Silo.dll" migrate >"$DATA/logs/migrate.log" 2>&1

# Each host runs in its build output, as ./bpclub up runs it, so that its appsettings.json (log
# levels) is read: from the repository root the front end logged every request at Information.
run_in() { cd "$ROOT/$1" && shift && exec dotnet "$@"; }
Cluster__SiloPort=$SILO_PORT Cluster__GatewayPort=$GATEWAY_PORT Silo__HttpPort=$SILO_HTTP_PORT \
  run_in "$OUT" BpClub.Silo.dll >"$DATA/logs/silo.log" 2>&1 &
silo=$!; pids+=("$silo")
ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" Management__Port=$API_MANAGEMENT_PORT \
  run_in "$API" BpClub.Api.dll >"$DATA/logs/api.log" 2>&1 &
api=$!; pids+=("$api")
ConnectionStrings__Baseline="$baseline_cs" ASPNETCORE_URLS="http://127.0.0.1:$BASELINE_PORT" \
  run_in "$BASELINE" BpClub.Baseline.dll >"$DATA/logs/baseline.log" 2>&1 &
baseline=$!; pids+=("$baseline")
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$API_PORT/health/ready" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$BASELINE_PORT/health/ready" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { echo "bench: the services did not become ready in 120 s; see $DATA/logs" >&2; exit 1; }
  kill -0 "$silo" "$api" "$baseline" 2>/dev/null || { echo "bench: a process exited; see $DATA/logs" >&2; exit 1; }
  sleep 1
done

dotnet "$BENCH" --url "http://127.0.0.1:$API_PORT" --baseline-url "http://127.0.0.1:$BASELINE_PORT" \
  --operator-key "$BPCLUB_OPERATOR_KEY" --pg "$cs" --baseline-pg "$baseline_cs" --pgbench "$bindir/pgbench" \
  --api-pid "$api" --silo-pid "$silo" --baseline-pid "$baseline" --postmaster-pid "$postmaster" \
  --api-metrics "http://127.0.0.1:$API_MANAGEMENT_PORT/metrics" \
  --silo-metrics "http://127.0.0.1:$SILO_HTTP_PORT/metrics" \
  --dotnet-tools "$TOOLS" --work "$DATA" --results bench/results --rerun "./bpclub bench${*:+ $*}" \
  --sms-outbox "$BPCLUB_SMS_OUTBOX" \
  --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+changes')" "$@"
