#!/usr/bin/env bash
# Starts the whole SpotifySync system on this machine, on loopback only:
#   a private PostgreSQL (data kept in .local/), the Spotify emulator with demo users,
#   two silos (separate processes forming one Orleans cluster through PostgreSQL), and the HTTP API.
# It connects the demo users, prints URLs to try, and runs until Ctrl+C (which stops everything).
#   --smoke   run a scripted check instead of waiting: sync through the API, kill one silo, sync again.
#   --reset   start from an empty database.
# Needs: the .NET 10 SDK and PostgreSQL's server binaries (installed via apt-get when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

smoke=false; reset=false
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --reset) reset=true ;;
    *) echo "usage: $0 [--smoke] [--reset]" >&2; exit 2 ;;
  esac
done

PG_PORT=${PG_PORT:-55432}
EMULATOR_URL=http://127.0.0.1:${EMULATOR_PORT:-5099}
API_URL=http://127.0.0.1:${API_PORT:-5100}
SILO1_URL=http://127.0.0.1:5101
SILO2_URL=http://127.0.0.1:5102
API_KEY=${API_KEY:-local-dev-key-0123456789}
DEMO_USERS=${DEMO_USERS:-3}

local_dir="$root/.local"
if $smoke; then local_dir="$root/.local/smoke"; reset=true; fi
pg_dir="$local_dir/pg"; logs="$local_dir/logs"; out="$local_dir/bin"
$reset && rm -rf "$local_dir"
mkdir -p "$logs"

pg_bin=$(bash scripts/require-postgres.sh)
as_pg=()
if [ "$(id -u)" = "0" ]; then as_pg=(runuser -u postgres --); fi

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() { # url, what
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not come up ($1); see $logs" >&2; return 1
}

echo "==> building"
dotnet build SpotifySync.Silo -c Release -o "$out/silo" -v quiet -nologo >/dev/null
dotnet build SpotifySync.Api -c Release -o "$out/api" -v quiet -nologo >/dev/null
dotnet build tests/SpotifySync.SpotifyEmulator -c Release -o "$out/emulator" -v quiet -nologo >/dev/null

echo "==> PostgreSQL on 127.0.0.1:$PG_PORT (data in $pg_dir)"
if [ ! -d "$pg_dir/data" ]; then
  mkdir -p "$pg_dir"; [ "$(id -u)" = "0" ] && chown postgres "$pg_dir"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-locale >"$logs/initdb.log"
fi
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $PG_PORT -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='spotifysync'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE spotifysync"

key_file="$local_dir/token-encryption-key"
[ -f "$key_file" ] || head -c 32 /dev/urandom | base64 >"$key_file"

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=spotifysync"
export Spotify__ClientId=emulator-client-id Spotify__ClientSecret=emulator-client-secret
export Spotify__ApiBaseUrl="$EMULATOR_URL/" Spotify__AccountsBaseUrl="$EMULATOR_URL/"
export Security__TokenEncryptionKey="$(cat "$key_file")"
export Sync__SpacingBetweenUsers=${SYNC_SPACING:-00:00:02}

echo "==> schema (dotnet SpotifySync.Silo.dll migrate)"
dotnet "$out/silo/SpotifySync.Silo.dll" migrate >"$logs/migrate.log" 2>&1

echo "==> Spotify emulator at $EMULATOR_URL with $DEMO_USERS demo users"
dotnet "$out/emulator/SpotifySync.SpotifyEmulator.dll" --urls "$EMULATOR_URL" --demo-users "$DEMO_USERS" \
  --Emulator:PlayIntervalSeconds "${PLAY_INTERVAL_SECONDS:-30}" >"$logs/emulator.log" 2>&1 &
pids+=($!)

start_silo() { # name, silo port, gateway port, url
  Orleans__SiloPort=$2 Orleans__GatewayPort=$3 dotnet "$out/silo/SpotifySync.Silo.dll" --urls "$4" >"$logs/$1.log" 2>&1 &
  pids+=($!)
}
echo "==> silos: silo1 ($SILO1_URL, gateway 30000) and silo2 ($SILO2_URL, gateway 30001)"
start_silo silo1 11111 30000 "$SILO1_URL"; silo1_pid=$!
start_silo silo2 11112 30001 "$SILO2_URL"
wait_for "$EMULATOR_URL/_emulator/users" "the emulator"
wait_for "$SILO1_URL/health/ready" "silo1"
wait_for "$SILO2_URL/health/ready" "silo2"

echo "==> API at $API_URL"
Api__Keys__0="$API_KEY" dotnet "$out/api/SpotifySync.Api.dll" --urls "$API_URL" >"$logs/api.log" 2>&1 &
pids+=($!)
wait_for "$API_URL/health/ready" "the API"

api() { curl -fsS -H "X-Api-Key: $API_KEY" -H "Content-Type: application/json" "$@"; }
for i in $(seq 1 "$DEMO_USERS"); do
  api -X PUT "$API_URL/api/users/demo-user-$i/spotify" -d "{\"refreshToken\":\"demo-refresh-$i\"}" >/dev/null
done
echo "==> connected demo-user-1..$DEMO_USERS"

if $smoke; then
  fail() { echo "SMOKE FAILED: $*" >&2; tail -n 20 "$logs"/*.log >&2; exit 1; }
  echo "==> smoke: manual sync of demo-user-1 through the API"
  api -X POST "$API_URL/api/users/demo-user-1/sync?wait=true" | grep -q '"outcome":"succeeded"' || fail "first sync"
  echo "==> smoke: killing silo1 (pid $silo1_pid); the cluster must carry on with silo2"
  kill -9 "$silo1_pid"
  ok=false
  for _ in $(seq 1 60); do
    if api -X POST "$API_URL/api/users/demo-user-2/sync?wait=true" 2>/dev/null | grep -q '"outcome":"succeeded"'; then ok=true; break; fi
    sleep 1
  done
  $ok || fail "sync after losing silo1"
  dups=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d spotifysync -tAc \
    "SELECT COUNT(*) FROM (SELECT 1 FROM listening_data GROUP BY user_id, artist_id, track_id, played_at HAVING COUNT(*) > 1) d")
  [ "$dups" = "0" ] || fail "$dups duplicate plays"
  rows=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d spotifysync -tAc "SELECT COUNT(*) FROM listening_data")
  echo "SMOKE OK: $rows plays stored, no duplicates, sync survived the loss of a silo"
  exit 0
fi

cat <<MSG

SpotifySync is running (logs in $logs; Ctrl+C stops everything).
  API key:         $API_KEY
  Sync Data:       curl -X POST -H 'X-Api-Key: $API_KEY' '$API_URL/api/users/demo-user-1/sync?wait=true'
  User status:     curl -H 'X-Api-Key: $API_KEY' $API_URL/api/users/demo-user-1/sync-status
  Sync everyone:   curl -X POST -H 'X-Api-Key: $API_KEY' $API_URL/api/spotify/sync-all-users
  Queue status:    curl -H 'X-Api-Key: $API_KEY' $API_URL/api/sync/status
  OpenAPI:         $API_URL/openapi/v1.json
  Silo health:     $SILO1_URL/health/ready  $SILO2_URL/health/ready   metrics: $SILO1_URL/metrics
  Emulator:        $EMULATOR_URL/_emulator/users  (faults: POST $EMULATOR_URL/_emulator/faults)
  Plays:           psql -h 127.0.0.1 -p $PG_PORT -U postgres -d spotifysync -c 'SELECT * FROM listening_data ORDER BY played_at DESC LIMIT 10'
MSG
wait -n "${pids[@]}" || true
echo "a process exited; stopping (see $logs)" >&2
