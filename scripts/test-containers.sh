#!/usr/bin/env bash
# SpotifySync in real containers (podman, driven through docker-compose and the unchanged docker-compose.yml):
# builds the images (scripts/container-images.sh), starts PostgreSQL, the migration, three silos, the API and the
# emulator with 200 demo users, connects them through the API, syncs, and runs the failure scenarios below, each
# printing its figure. Checks the results in PostgreSQL and at the emulator, then removes everything it made (its own
# compose project, network, volume and podman service), pass or fail.
#   1. kill -9 of the silo holding the dispatch lease while the queue drains: recovery time to the next dispatch
#   2. one silo cut off the network for 60 s, then reconnected: the others carry on, it rejoins, nobody is lost
#   3. PostgreSQL's container restarted while the queue drains: silos and API stay up, nothing lost or doubled
#   4. rolling restart of the three silos with SIGTERM, one at a time, during a sync-all: no failed sync
#   5. the API throughout 1-4 (a request every half second): 2xx, or 503 problem+json within Api:ClusterCallTimeout,
#      never a hang or a 500; it answers 2xx again by itself at the end
# CONTAINER_TEST_KEEP=1 leaves the stack (and the podman service) running for inspection; CONTAINER_TEST_LOGS=DIR saves
# every container's log (with timestamps) there before the teardown.
# Run as root (rootful podman); installs podman, runc, debootstrap, docker-compose and jq when missing.
# Exit status 0 when every check passed. Only container addresses on the project's own bridge network get traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-engine.sh
command -v jq >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >&2; }

users=${CONTAINER_TEST_USERS:-200}
project="spotifysync-test-$$"
work=$(mktemp -d)
failures=0

bash scripts/container-images.sh

podman system service --time=0 "unix://$work/podman.sock" >"$work/podman-service.log" 2>&1 &
service_pid=$!
export DOCKER_HOST="unix://$work/podman.sock" COMPOSE_PROJECT_NAME="$project"
export POSTGRES_IMAGE=localhost/postgres:15 SILO_IMAGE=localhost/spotifysync/silo:latest \
  API_IMAGE=localhost/spotifysync/api:latest EMULATOR_IMAGE=localhost/spotifysync/spotify-emulator:latest
export TOKEN_ENCRYPTION_KEY
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
export API_KEY
API_KEY=$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
export SPOTIFY_API_BASE_URL=http://emulator:8080/ SPOTIFY_ACCOUNTS_BASE_URL=http://emulator:8080/ DEMO_USERS="$users"
# The test talks to containers on their bridge addresses; what is published on the host is loopback-only and on
# free ports, so the test never takes the ports a developer's own stack (or another run) uses.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export API_PUBLISH="127.0.0.1:$(free_port)" EMULATOR_PUBLISH="127.0.0.1:$(free_port)"
# 200 users drain in 20 s at one start every 100 ms: long enough to kill a silo mid-queue, short enough for CI.
export SYNC_SPACING=00:00:00.100

compose() { docker-compose --profile demo "$@"; }
container() { echo "${project}_$1_1"; }
address() { podman inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(container "$1")"; }
sql() { podman exec "$(container postgres)" psql -U spotifysync -d spotifysync -Atqc "$1"; }
now_ms() { date +%s%3N; }
ready() { curl -fsS --max-time 2 "http://$(address "$1"):8080/health/ready"; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }

cleanup() {
  if [ -n "${CONTAINER_TEST_LOGS:-}" ]; then
    mkdir -p "$CONTAINER_TEST_LOGS"
    for id in $(podman ps -a -q --filter "label=com.docker.compose.project=$project"); do
      podman logs -t "$id" >"$CONTAINER_TEST_LOGS/$(podman inspect -f '{{.Name}}' "$id").log" 2>&1 || true
    done
    say "container logs saved in $CONTAINER_TEST_LOGS"
  fi
  if [ "${CONTAINER_TEST_KEEP:-}" = 1 ]; then
    say "kept for inspection: DOCKER_HOST=$DOCKER_HOST COMPOSE_PROJECT_NAME=$project docker-compose --profile demo down -v"
    return
  fi
  say "removing the compose project $project"
  compose down -v --timeout 5 >"$work/down.log" 2>&1 || cat "$work/down.log" >&2
  # Whatever compose could not remove (a hung engine call), by the project's label and names only.
  podman ps -a -q --filter "label=com.docker.compose.project=$project" | xargs -r podman rm -f -t 2 >/dev/null 2>&1 || true
  podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  podman volume rm -f "${project}_postgres-data" >/dev/null 2>&1 || true
  [ -z "${probe_pid:-}" ] || kill "$probe_pid" 2>/dev/null || true
  kill "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until $2 (a command) succeeds, at most $1 seconds; fails the run otherwise.
wait_for() {
  local seconds=$1; shift
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 1
  done
}

say "starting the stack (project $project)"
compose up -d --no-build >"$work/up.log" 2>&1 &
up_pid=$!
# podman schedules health checks through systemd timers; without systemd nobody runs them, and compose would wait on
# `service_healthy` for ever. Run PostgreSQL's check ourselves until compose has moved on.
while kill -0 "$up_pid" 2>/dev/null; do
  podman healthcheck run "$(container postgres)" >/dev/null 2>&1 || true
  sleep 1
done
wait "$up_pid" || { cat "$work/up.log" >&2; exit 1; }

# Linux gives a bridge the lowest MAC address among its ports unless one was set. When a scenario takes away the
# container whose port holds it (kill, disconnect, restart), the bridge's MAC changes and every container's ARP entry
# for the host goes stale: the test's own requests from the host got their answers only when TCP's retransmissions
# outlasted the stale entry (54 s for one probe in a CI run, 51 s of it retransmission backoff). Nothing like that
# moves the app's path to the API in a real partition, so the bridge keeps the address it has now.
bridge=$(podman network inspect "${project}_default" --format '{{.NetworkInterface}}')
ip link set dev "$bridge" address "$(cat "/sys/class/net/$bridge/address")"

api_url="http://$(address api):8080"
emulator_url="http://$(address emulator):8080"
api() { curl -fsS --max-time 10 -H "X-Api-Key: $API_KEY" -H "Content-Type: application/json" "$@"; }
wait_for 120 curl -fsS --max-time 2 "$api_url/health/ready" || { fail "the API never became ready"; exit 1; }
say "API ready at $api_url; emulator at $emulator_url"

say "connecting $users users through the API"
seq 1 "$users" | xargs -P 16 -I{} curl -fsS --max-time 10 -o /dev/null -X PUT -H "X-Api-Key: $API_KEY" \
  -H "Content-Type: application/json" "$api_url/api/users/demo-user-{}/spotify" -d '{"refreshToken":"demo-refresh-{}"}'
synced_since() { [ "$(sql "SELECT count(*) FROM spotify_users WHERE last_sync_outcome = 'succeeded' AND last_sync_started_at >= to_timestamp($1 / 1000.0)")" -ge "$users" ]; }
wait_for 120 synced_since 0 || fail "first syncs: not every user synced within 120 s"
say "first syncs done: $(sql "SELECT count(*) FROM listening_data") plays stored"

# Every play the emulator had before a user's last sync started is stored once, and nothing else is.
check_plays() {
  local label=$1 plays="$work/plays.csv" fetched_from
  # Plays only ever grow at the emulator: a stored play from before the fetch began must be in what it returns (a
  # sync that runs during the fetch may store newer ones, which are not judged).
  fetched_from=$(now_ms)
  : >"$plays"
  for i in $(seq 1 "$users"); do
    curl -fsS --max-time 10 "$emulator_url/_emulator/users/demo-user-$i/plays" \
      | jq -r --arg u "demo-user-$i" '.[] | select(.isLocal | not) | [$u, .artistId, .trackId, .playedAtMs] | @csv' >>"$plays"
  done
  podman exec -i "$(container postgres)" psql -U spotifysync -d spotifysync -Atq -c "
    CREATE TABLE IF NOT EXISTS emulator_plays (user_id text, artist_id text, track_id text, played_at_ms bigint);
    TRUNCATE emulator_plays;" -c "\\copy emulator_plays FROM STDIN WITH (FORMAT csv)" <"$plays"
  local missing extra duplicates
  missing=$(sql "SELECT count(*) FROM emulator_plays e JOIN spotify_users u USING (user_id)
    WHERE to_timestamp(e.played_at_ms / 1000.0) < u.last_sync_started_at - interval '2 seconds'
      AND NOT EXISTS (SELECT 1 FROM listening_data l WHERE l.user_id = e.user_id AND l.track_id = e.track_id
                      AND l.artist_id = e.artist_id AND l.played_at = to_timestamp(e.played_at_ms / 1000.0))")
  extra=$(sql "SELECT count(*) FROM listening_data l WHERE l.played_at < to_timestamp($fetched_from / 1000.0) AND NOT EXISTS (SELECT 1 FROM emulator_plays e
    WHERE e.user_id = l.user_id AND e.track_id = l.track_id AND e.played_at_ms = (extract(epoch FROM l.played_at) * 1000)::bigint)")
  duplicates=$(sql "SELECT count(*) FROM (SELECT 1 FROM listening_data GROUP BY user_id, artist_id, track_id, played_at HAVING count(*) > 1) d")
  say "$label: plays missing $missing, unknown to the emulator $extra, duplicated $duplicates"
  [ "$missing" = 0 ] && [ "$extra" = 0 ] && [ "$duplicates" = 0 ] || fail "$label: plays missing $missing, extra $extra, duplicated $duplicates"
}
check_plays "after the first syncs"

# --- 5. (runs through 1-4) the API answers within a bound, 2xx or 503 problem+json ------------------------------------
# Api:ClusterCallTimeout is 10 s in the compose file's defaults; a second of margin for the HTTP round trip.
probe_bound_ms=11000
probe_api() {
  local n=0 method path
  while :; do
    n=$((n + 1))
    if (( n % 2 )); then method=GET path=sync-status; else method=POST path=sync; fi
    curl -s -o /dev/null --max-time 60 -X "$method" -H "X-Api-Key: $API_KEY" \
      -w "$(now_ms) $method %{http_code} %{time_total} %{content_type} %{time_connect} %{time_starttransfer}\n" "$api_url/api/users/demo-user-1/$path" >>"$work/probes" || true
    sleep 0.5
  done
}
probe_api &
probe_pid=$!

# The silos the API's Orleans client holds a gateway connection to (port 30000), from the API container's socket table.
api_gateways() {
  local hex ips= s
  # Established (state 01) connections to port 30000 (7530); an address's last 8 hex digits are its IPv4 bytes, reversed.
  for hex in $(podman exec "$(container api)" cat /proc/net/tcp /proc/net/tcp6 2>/dev/null \
      | awk '$4 == "01" { split($3, r, ":"); if (r[2] == "7530") print substr(r[1], length(r[1]) - 7) }'); do
    ips+="$((16#${hex:6:2})).$((16#${hex:4:2})).$((16#${hex:2:2})).$((16#${hex:0:2}))"$'\n'
  done
  for s in silo1 silo2 silo3; do grep -qx "$(address "$s")" <<<"$ips" && echo "$s"; done
  return 0
}

lease_container() {
  local holder ip s
  holder=$(sql "SELECT holder FROM coordinator_lease WHERE id = 0")
  ip=$(sed -E 's/^S([0-9.]+):.*/\1/' <<<"$holder")
  for s in silo1 silo2 silo3; do
    if [ "$(address "$s")" = "$ip" ]; then echo "$s"; return 0; fi
  done
  return 1
}

# --- 1. kill -9 of the coordinator's silo while the queue drains ---------------------------------------------------
say "scenario 1: sync-all, then kill -9 of the silo holding the dispatch lease mid-queue"
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
sleep 4
victim=$(lease_container) || { fail "scenario 1: no silo holds the dispatch lease"; victim=silo1; }
killed_at=$(now_ms)
podman kill -s KILL "$(container "$victim")" >/dev/null
say "killed $victim at $(date -u -d "@$((killed_at / 1000))" +%H:%M:%S)"
# In-flight syncs of the survivors' grains may still finish in the second after the kill; a sync that *starts* later
# was claimed from a coordinator that is alive, i.e. dispatch resumed.
first_start_after() {
  sql "SELECT coalesce(floor(extract(epoch FROM min(last_sync_started_at)) * 1000)::bigint, 0) FROM spotify_users
       WHERE last_sync_started_at > to_timestamp(($1 + 1500) / 1000.0)"
}
dispatch_resumed() { [ "$(first_start_after "$killed_at")" != 0 ]; }
if wait_for 120 dispatch_resumed; then
  recovery_ms=$(( $(first_start_after "$killed_at") - killed_at ))
  say "scenario 1: recovery, kill to the next dispatch: $((recovery_ms / 1000)).$(( (recovery_ms % 1000) / 100 )) s (target <= 15 s)"
  [ "$recovery_ms" -le 15000 ] || fail "scenario 1: recovery took ${recovery_ms} ms (target 15,000)"
else
  fail "scenario 1: no dispatch within 120 s of the kill"
fi
wait_for 180 synced_since "$round_start" || fail "scenario 1: not every user synced after the kill"
say "scenario 1: every user synced again"
# A killed container stays down (an explicit kill is not a crash for the restart policy): the operator starts it.
compose start "$victim" >/dev/null 2>&1
wait_for 60 ready "$victim" || fail "scenario 1: $victim did not rejoin after its restart"
check_plays "scenario 1"

# Syncs a silo finished with any outcome but success, from its /metrics (the counter restarts with the process).
unsuccessful_syncs() {
  curl -fsS --max-time 5 "http://$(address "$1"):8080/metrics" 2>/dev/null \
    | awk '/^spotifysync_user_syncs_total\{/ && !/outcome="succeeded"/ { n += $NF } END { printf "%d\n", n }'
}
started_at() { podman inspect -f '{{.State.StartedAt}}' "$(container "$1")"; }

# --- 2. network partition ------------------------------------------------------------------------------------------
# The silo that does not hold the dispatch lease is cut off (it can reach neither the others nor PostgreSQL) while a
# sync-all drains. The cluster must declare it dead and carry on; when it is back it finds itself declared dead, stops,
# and is restarted by its restart policy into a fresh membership. Measured: the membership decision (cut to "dead" in
# orleans_membership), the longest pause in dispatch while the others wait for it, and the worst burst of
# recently-played reads at the emulator in any 1 s window, against the pace (Sync:SpacingBetweenUsers = 100 ms, so
# 10 a second; a few more when syncs end together): two coordinators must never dispatch together.
partition_scenario() {
say "scenario 2: sync-all, then one silo disconnected from the network for 60 s"
holder=$(lease_container) || holder=silo1
# The harder cut for the API (scenario 5): a silo the API's Orleans client is connected to as its gateway, so that its
# requests meet a gateway that neither answers nor resets; any other silo but the lease holder otherwise.
gateways=$(api_gateways)
cut=
for s in silo1 silo2 silo3; do [ "$s" != "$holder" ] && grep -qx "$s" <<<"$gateways" && cut=$s && break; done
[ -n "$cut" ] || for s in silo1 silo2 silo3; do [ "$s" != "$holder" ] && cut=$s && break; done
network="${project}_default"
cut_ip=$(address "$cut")
cut_generation=$(sql "SELECT max(generation) FROM orleans_membership WHERE address = '$cut_ip' AND status = 3")
curl -fsS -X DELETE --max-time 10 "$emulator_url/_emulator/requests" >/dev/null
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
sleep 3
podman network disconnect "$network" "$(container "$cut")"
cut_at=$(now_ms)
say "scenario 2: $cut ($cut_ip) disconnected ($(grep -qx "$cut" <<<"$gateways" && echo "one of the API's gateways" || echo "not a gateway of the API: it uses ${gateways//$'\n'/, }"))"
declared_dead() { [ "$(sql "SELECT status FROM orleans_membership WHERE address = '$cut_ip' AND generation = ${cut_generation:-0}")" = 6 ]; }
if wait_for 60 declared_dead; then
  decision_ms=$(( $(now_ms) - cut_at ))
  say "scenario 2: membership decision: $cut declared dead $((decision_ms / 1000)) s after the cut (target <= 30 s)"
  [ "$decision_ms" -le 30000 ] || fail "scenario 2: $cut was declared dead only after ${decision_ms} ms"
  # The API's client drops a gateway declared dead at its next reread of the gateway list (Api:GatewayListRefreshPeriod,
  # 5 s); a request already waiting on the cut-off silo still takes Api:ClusterCallTimeout (10 s).
  verdict_at=$(now_ms)
  api_ok() { [ "$(curl -s -o /dev/null --max-time 11 -w '%{http_code}' -H "X-Api-Key: $API_KEY" "$api_url/api/users/demo-user-1/sync-status")" = 200 ]; }
  if wait_for 60 api_ok; then
    api_back_ms=$(( $(now_ms) - verdict_at ))
    say "scenario 2: the API answered 200 again $((api_back_ms / 1000)) s after the verdict (target <= 20 s)"
    [ "$api_back_ms" -le 20000 ] || fail "scenario 2: the API answered 200 only ${api_back_ms} ms after $cut was declared dead"
  else
    fail "scenario 2: the API did not answer 200 within 60 s of $cut being declared dead"
  fi
else
  fail "scenario 2: $cut was not declared dead within 60 s of the cut"
fi
wait_for 180 synced_since "$round_start" || fail "scenario 2: the rest of the cluster did not sync everyone while $cut was cut off"
synced_at=$(now_ms)
say "scenario 2: the others synced everyone in $(( (synced_at - round_start) / 1000 )) s"
remaining=$(( 60 - (synced_at - cut_at) / 1000 ))
[ "$remaining" -le 0 ] || sleep "$remaining"
podman network connect "$network" "$(container "$cut")"
reconnected_at=$(now_ms)
if wait_for 120 ready "$cut"; then
  say "scenario 2: $cut back and ready $(( ($(now_ms) - reconnected_at) / 1000 )) s after reconnecting (restarts: $(podman inspect -f '{{.RestartCount}}' "$(container "$cut")"))"
else
  fail "scenario 2: $cut did not become ready within 120 s of reconnecting"
fi
curl -fsS --max-time 10 "$emulator_url/_emulator/requests" \
  | jq '[.[] | select(.path == "/v1/me/player/recently-played")
      | {ms: ((.receivedAt | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601) * 1000
              + ((.receivedAt | capture("\\.(?<f>[0-9]+)") | ("0." + .f | tonumber) * 1000 | floor) // 0)),
         from: (.clientAddress // "?")}] | sort_by(.ms)' >"$work/reads.json"
read -r burst burst_at < <(jq -r '[.[] | (.ms / 1000 | floor)] | group_by(.) | max_by(length) // [0] | "\(length) \(.[0])"' "$work/reads.json")
say "scenario 2: worst burst at the emulator: $burst recently-played reads in one second, $(( burst_at - round_start / 1000 )) s after the sync-all, the cut at +3 s, the reconnect at +$(( (reconnected_at - round_start) / 1000 )) s (pace: 10 a second)"
# The longest time without a read while the queue drained: what the cut-off silo costs dispatch.
read -r gap_ms gap_at < <(jq -r --argjson from "$round_start" --argjson to "$synced_at" '[.[] | select(.ms >= $from and .ms <= $to) | .ms]
  | [range(1; length) as $i | {gap: (.[$i] - .[$i - 1]), at: .[$i - 1]}] | max_by(.gap) // {gap: 0, at: $from} | "\(.gap) \(.at)"' "$work/reads.json")
say "scenario 2: longest pause in dispatch while the queue drained: $((gap_ms / 1000)).$(( (gap_ms % 1000) / 100 )) s, from +$(( (gap_at - round_start) / 1000 )) s (target <= 5 s)"
[ "$gap_ms" -le 5000 ] || fail "scenario 2: dispatch paused for ${gap_ms} ms while $cut was cut off"
# Where the reads came from, second by second (the emulator records each request's client address): which silo
# sent a burst tells a second dispatcher from requests a cut-off silo held and sent late.
names=$(for s in silo1 silo2 silo3; do echo "$(address "$s") $s"; done; echo "$cut_ip $cut")
say "scenario 2:   reads per second from the sync-all on: $(jq -r --argjson start "$(( round_start / 1000 ))" '[.[] | (.ms / 1000 | floor) - $start] as $t
  | [range(0; ($t | max) + 1) as $s | [$t[] | select(. == $s)] | length] | map(tostring) | join(" ")' "$work/reads.json")"
jq -r --argjson start "$(( round_start / 1000 ))" 'map({t: (.ms / 1000 | floor), from}) | group_by(.t) | .[] | select(length > 12)
  | "\(.[0].t - $start) \(length) \([group_by(.from)[] | "\(.[0].from)=\(length)"] | join(" "))"' "$work/reads.json" \
  | while read -r second count sources; do
      for pair in $sources; do
        ip=${pair%%=*}; name=$(awk -v ip="$ip" '$1 == ip { print $2; exit }' <<<"$names")
        sources=${sources//$ip=/${name:-$ip}=}
      done
      say "scenario 2:   +$second s: $count reads ($sources)"
    done
[ "$burst" -le 20 ] || fail "scenario 2: $burst reads in one second: two coordinators dispatched at once"
reminders=$(sql "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'sync'")
[ "$reminders" = "$users" ] || fail "scenario 2: $reminders reminders for $users users"
check_plays "scenario 2"
# The syncs that were running on the cut-off silo were given up when it was declared dead: the next round must
# still sync everyone.
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
wait_for 120 synced_since "$round_start" || fail "scenario 2: the round after the partition did not sync everyone within 120 s"
say "scenario 2: the round after the partition synced everyone"
}
# CONTAINER_TEST_PARTITION=0 leaves it out (about 3 minutes).
if [ "${CONTAINER_TEST_PARTITION:-1}" = 1 ]; then
  partition_scenario
else
  say "scenario 2 (network partition): skipped (CONTAINER_TEST_PARTITION=0)"
fi

# --- 3. PostgreSQL restarted mid-run ------------------------------------------------------------------------------
say "scenario 3: sync-all, then PostgreSQL's container restarted mid-queue"
declare -A started
for s in silo1 silo2 silo3 api; do started[$s]=$(started_at "$s"); done
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
sleep 4
pg_down_at=$(now_ms)
podman restart -t 10 "$(container postgres)" >/dev/null
say "scenario 3: PostgreSQL back after $(( ($(now_ms) - pg_down_at) / 1000 )) s"
api_status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Api-Key: $API_KEY" "$api_url/api/sync/status" || echo timeout)
# Syncs that were committing while PostgreSQL was away fail (recorded as such, retried at the user's next tick); the
# queue itself survives. Wait for the round to finish, count those, and require the next round to sync everyone.
round_done() { [ "$(sql "SELECT count(*) FROM spotify_users WHERE last_sync_completed_at >= to_timestamp($round_start / 1000.0)")" -ge "$users" ]; }
wait_for 180 round_done || fail "scenario 3: the round did not reach every user within 180 s of PostgreSQL's restart"
failed_in_round=$(sql "SELECT count(*) FROM spotify_users WHERE last_sync_outcome <> 'succeeded'")
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
wait_for 120 synced_since "$round_start" || fail "scenario 3: the round after PostgreSQL's restart did not sync everyone"
for s in silo1 silo2 silo3 api; do
  [ "$(started_at "$s")" = "${started[$s]}" ] || fail "scenario 3: $s restarted while PostgreSQL was away"
done
say "scenario 3: silos and API stayed up; the API answered $api_status right after; $failed_in_round syncs of that round failed (PostgreSQL away), the next round synced everyone"
check_plays "scenario 3"

# --- 4. rolling restart with SIGTERM --------------------------------------------------------------------------------
say "scenario 4: rolling restart of silo1..3 (SIGTERM, 30 s grace) during a sync-all"
declare -A counted
unsuccessful=0
for s in silo1 silo2 silo3; do counted[$s]=$(unsuccessful_syncs "$s"); done
round_start=$(now_ms)
api -X POST "$api_url/api/spotify/sync-all-users" >/dev/null
for s in silo1 silo2 silo3; do
  sleep 3
  unsuccessful=$(( unsuccessful + $(unsuccessful_syncs "$s") - counted[$s] ))
  stop_at=$(now_ms)
  podman stop -t 30 "$(container "$s")" >/dev/null
  say "scenario 4: $s stopped gracefully in $(( ($(now_ms) - stop_at) / 1000 )) s (exit $(podman inspect -f '{{.State.ExitCode}}' "$(container "$s")"))"
  compose start "$s" >/dev/null 2>&1
  wait_for 90 ready "$s" || fail "scenario 4: $s did not come back"
  counted[$s]=0
done
wait_for 180 synced_since "$round_start" || fail "scenario 4: not every user synced during the rolling restart"
for s in silo1 silo2 silo3; do unsuccessful=$(( unsuccessful + $(unsuccessful_syncs "$s") - counted[$s] )); done
reminders=$(sql "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'sync'")
say "scenario 4: syncs that did not succeed: $unsuccessful; users with their hourly reminder: $reminders of $users"
[ "$unsuccessful" = 0 ] || fail "scenario 4: $unsuccessful syncs did not succeed during the rolling restart"
[ "$reminders" = "$users" ] || fail "scenario 4: $reminders reminders for $users users"
check_plays "scenario 4"

# --- 5. the API during all of this ------------------------------------------------------------------------------------
sleep 3
kill "$probe_pid" 2>/dev/null || true
wait "$probe_pid" 2>/dev/null || true
probe_pid=
outside_bound() { awk -v bound="$probe_bound_ms" '!($3 ~ /^2/ || ($3 == 503 && $5 ~ /problem\+json/)) || $4 * 1000 > bound' "$work/probes"; }
answers=$(awk '{print $3}' "$work/probes" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep = ", "}')
slowest=$(awk '$4 > max { max = $4 } END { printf "%.1f", max }' "$work/probes")
say "scenario 5: $(wc -l <"$work/probes") API requests during scenarios 1-4: $answers; slowest $slowest s (bound $((probe_bound_ms / 1000)) s)"
# The API's own timing of the same requests (its http.server.request.duration, whose last bucket ends at 10 s), to
# tell a slow API from a slow path to it: curl's time includes the TCP handshake and the network both ways.
api_over_10s=$(curl -fsS --max-time 5 "$api_url/metrics" 2>/dev/null | awk '
  /^http_server_request_duration_seconds_bucket\{/ && /http_route="\/api\/users\/\{userId\}\/(sync|sync-status)"/ {
    if ($0 ~ /le="10"/) ten += $NF; else if ($0 ~ /le="\+Inf"/) all += $NF }
  END { printf "%d\n", all - ten }')
say "scenario 5: the API's own timing of its user routes: ${api_over_10s:-?} requests took 10 s or more (Api:ClusterCallTimeout)"
if [ -n "$(outside_bound)" ]; then
  fail "scenario 5: $(outside_bound | wc -l) answers were neither 2xx nor 503 problem+json within the bound"
  outside_bound | head -n 5 | while read -r at method code total type connect first; do
    echo "  $(date -u -d "@$((at / 1000))" +%H:%M:%S) $method $code in $total s ($type): TCP handshake done at ${connect:-?} s, first byte at ${first:-?} s" >&2
    # What the API logged around it (first lines of each entry, no stack frames).
    podman logs --since "$(date -u -d "@$((at / 1000 - 2))" +%Y-%m-%dT%H:%M:%SZ)" --until "$(date -u -d "@$((at / 1000 + ${total%.*} + 3))" +%Y-%m-%dT%H:%M:%SZ)" \
      "$(container api)" 2>&1 | grep -v '^[[:space:]]*at \|^[[:space:]]*---' | head -n 40 | sed 's/^/    api: /' >&2 || true
  done
fi
tail -n 4 "$work/probes" | awk '$3 !~ /^2/ { bad = 1 } END { exit bad }' || fail "scenario 5: the API's last answers were not 2xx: it did not recover"

if [ "$failures" -gt 0 ]; then
  say "containers: $failures check(s) failed"
  exit 1
fi
say "containers: every check passed"
