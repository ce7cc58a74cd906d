#!/usr/bin/env bash
# ./bpclub bench: a throwaway PostgreSQL, one silo and one front end on the bench's own ports (so
# that it runs beside ./bpclub up), then bench/BpClub.Bench drives the scenarios and writes the
# report to bench/results/. Everything it started is stopped however it ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PG="$ROOT/cluster-config/postgres.sh"
DATA="$ROOT/.data/bench"
PG_PORT="${BENCH_PG_PORT:-56432}"
API_PORT="${BENCH_API_PORT:-18080}"
SILO_PORT="${BENCH_SILO_PORT:-21111}" GATEWAY_PORT="${BENCH_GATEWAY_PORT:-22111}" SILO_HTTP_PORT="${BENCH_SILO_HTTP_PORT:-19101}"
OUT="src/BpClub.Silo/bin/Release/net10.0"
API="src/BpClub.Api/bin/Release/net10.0"
BENCH="bench/BpClub.Bench/bin/Release/net10.0/BpClub.Bench.dll"

bash "$PG" ensure-installed
dotnet build BpClub.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# A fresh database every run: the figures must not depend on what an earlier run left.
bash "$PG" destroy "$DATA/pg"
mkdir -p "$DATA/logs"
pids=()
cleanup() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  bash "$PG" destroy "$DATA/pg" || true
}
trap cleanup INT TERM EXIT
cs="$(bash "$PG" start "$DATA/pg" "$PG_PORT" bpclub)"
postmaster="$(head -n1 "$DATA/pg/postmaster.pid")"
bindir="$(dirname "$(readlink -f "/proc/$postmaster/exe" 2>/dev/null || command -v pgbench)")"

export ConnectionStrings__BpClub="$cs" DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
export BPCLUB_OPERATOR_KEY="op.bench-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
export BPCLUB_SMS_OUTBOX="$DATA/sms-outbox.jsonl"
export Cluster__ClusterId=bpclub-bench
# The bench is one station posting for thousands of tills: lift the per-caller write limit.
export RateLimits__PerCallerPerSecond=10000000 RateLimits__PerCallerBurst=10000000
dotnet "$OUT/BpClub.Silo.dll" migrate >"$DATA/logs/migrate.log" 2>&1

Cluster__SiloPort=$SILO_PORT Cluster__GatewayPort=$GATEWAY_PORT Silo__HttpPort=$SILO_HTTP_PORT \
  dotnet "$OUT/BpClub.Silo.dll" >"$DATA/logs/silo.log" 2>&1 &
silo=$!; pids+=("$silo")
ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" dotnet "$API/BpClub.Api.dll" >"$DATA/logs/api.log" 2>&1 &
api=$!; pids+=("$api")
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$API_PORT/health/ready" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { echo "bench: the service did not become ready in 120 s; see $DATA/logs" >&2; exit 1; }
  kill -0 "$silo" "$api" 2>/dev/null || { echo "bench: a process exited; see $DATA/logs" >&2; exit 1; }
  sleep 1
done

dotnet "$BENCH" --url "http://127.0.0.1:$API_PORT" --operator-key "$BPCLUB_OPERATOR_KEY" --pg "$cs" \
  --pgbench "$bindir/pgbench" --api-pid "$api" --silo-pid "$silo" --postmaster-pid "$postmaster" \
  --results bench/results --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench/BpClub.Bench || echo '+changes')" "$@"
