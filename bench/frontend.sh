#!/usr/bin/env bash
# The front end's own cost, measured apart from the silo's and the database's: one silo and one front end on a
# throwaway PostgreSQL, wrk (32 connections) on one card, and each process's CPU time per request from /proc:
#   edge     a purchase refused at the edge (400): the middleware, authentication, validation, no grain call
#   balance  a balance read: one grain call answered from memory
#   replay   a purchase replayed (same receipt): the purchase's body and answer, one grain call from memory
#   new      new purchases on the card: a grain call that waits for the card's commit
# Usage: bench/frontend.sh [seconds per run, default 8] [rounds, default 3]. Needs a Release build and wrk.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_RUN="${1:-8}" ROUNDS="${2:-3}"
OUT="$ROOT/src/BpClub.Silo/bin/Release/net10.0" API="$ROOT/src/BpClub.Api/bin/Release/net10.0"
PG="$ROOT/cluster-config/postgres.sh" DATA="$ROOT/.data/frontend" PORT=48080
command -v wrk >/dev/null || { echo "frontend.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DATA"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; bash "$PG" destroy "$DATA/pg"; }
trap cleanup EXIT
bash "$PG" destroy "$DATA/pg" >/dev/null 2>&1 || true
cs="$(bash "$PG" start "$DATA/pg" 0 bpclub | tail -1)"
operator="op.frontend-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
export ConnectionStrings__BpClub="$cs" DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
export BPCLUB_OPERATOR_KEY="$operator" BPCLUB_SMS_OUTBOX="$DATA/sms.jsonl" Cluster__ClusterId=bpclub-frontend
export RateLimits__PerCallerPerSecond=10000000 RateLimits__PerCallerBurst=10000000
dotnet "$OUT/BpClub.Silo.dll" migrate >"$DATA/migrate.log" 2>&1
(cd "$OUT" && Cluster__SiloPort=41111 Cluster__GatewayPort=42111 Silo__HttpPort=49101 \
  exec dotnet BpClub.Silo.dll >"$DATA/silo.log" 2>&1) & silo=$!; pids+=("$silo")
(cd "$API" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" Management__Port=48081 \
  exec dotnet BpClub.Api.dll >"$DATA/api.log" 2>&1) & api=$!; pids+=("$api")
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { echo "frontend.sh: not ready in 120 s; see $DATA" >&2; exit 1; }
  sleep 1
done
url="http://127.0.0.1:$PORT"
key="$(curl -fsS -X PUT -H "X-Api-Key: $operator" -H 'Content-Type: application/json' \
  -d '{"name":"Front-end bench","address":"Kyiv"}' "$url/api/admin/v1/stations/frontend-1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')"
card=7000000900000048
curl -fsS -o /dev/null -X PUT -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"firstName":"Bench","lastName":"Till","consent":true}' "$url/api/pos/v1/cards/$card"
lines='"paymentMethod":"bankCard","lines":[{"type":"fuel","productCode":"A95","litres":40.5,"amount":2430.00},'\
'{"type":"shop","category":"coffee","amount":65.00}]'
script() { # name, method, path, body expression (Lua)
  cat >"$DATA/$1.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("$2", "$3", {["Content-Type"]="application/json", ["X-Api-Key"]="$key"}, $4)
end
LUA
}
script edge POST /api/pos/v1/purchases "'{\"receiptId\":\"x\",\"cardNumber\":\"1234\",$lines}'"
script balance GET "/api/pos/v1/cards/$card/balance" nil
script replay POST /api/pos/v1/purchases "'{\"receiptId\":\"replayed\",\"cardNumber\":\"$card\",$lines}'"
script new POST /api/pos/v1/purchases \
  "'{\"receiptId\":\"r' .. math.random(1, 1000000000) .. '-' .. counter .. '\",\"cardNumber\":\"$card\",$lines}'"
tick="$(getconf CLK_TCK)"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # scenario, seconds -> a line: scenario, requests/s, CPU ms per request of the front end and the silo
  local a0 s0 a1 s1 out
  a0="$(cpu "$api")"; s0="$(cpu "$silo")"
  out="$(wrk -t2 -c32 -d"$2"s -s "$DATA/$1.lua" "$url" 2>&1)"
  a1="$(cpu "$api")"; s1="$(cpu "$silo")"
  python3 - "$1" "$2" "$(echo "$out" | awk '/requests in/ {print $1}')" "$a0" "$a1" "$s0" "$s1" "$tick" <<'PY'
import sys
name, secs, req, a0, a1, s0, s1, tick = sys.argv[1], *map(float, sys.argv[2:])
print(f"{name:8} {req / secs:7.0f}/s  front end {(a1 - a0) / tick / req * 1000:6.3f} ms/request"
      f"  silo {(s1 - s0) / tick / req * 1000:6.3f} ms/request")
PY
}
curl -fsS -o /dev/null -X POST -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"receiptId\":\"replayed\",\"cardNumber\":\"$card\",$lines}" "$url/api/pos/v1/purchases"
# Warm-up: the JIT's second tier, then the measured rounds, interleaved so that the machine's noise falls on all.
for s in edge balance replay new; do run "$s" 10 >/dev/null; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do for s in edge balance replay new; do run "$s" "$SECONDS_PER_RUN"; done; done \
  | sort -s -k1,1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
