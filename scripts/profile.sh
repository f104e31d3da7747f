#!/usr/bin/env bash
# Profile Sabre under redis-benchmark load with clinic flame and clinic doctor.
#
#   npm run profile                          # layout shards1, tests set,get
#   npm run profile -- default set,get,incr  # layout (default|shards0|shards1|shardsN), test list
#   TOOLS=flame P=16 N=500000 npm run profile -- shards0 get
#
# Env: TOOLS (default "flame doctor"), N requests per test (default 200000), P pipeline (default 1),
#      C clients (default 50), R keyspace for -r (default 1000000; 0 = fixed key),
#      COLLECT_ONLY=1 to skip building the HTML report (clinic ... --collect-only),
#      SKIP_BUILD=1 to skip `npm run build`, SERVER_JS to profile another entry script.
# Output: .clinic/ (clinic's own directory; the HTML report paths are printed by clinic).
# Note: clinic profiles the process it starts; with --shards N >= 1 the shard work runs in worker
# threads, which clinic flame does not sample; use --shards 0 to see the command path inline.
set -euo pipefail
cd "$(dirname "$0")/.."

LAYOUT="${1:-shards1}"
TESTS="${2:-set,get}"
TOOLS="${TOOLS:-flame doctor}"
N="${N:-200000}"
P="${P:-1}"
C="${C:-50}"
R="${R:-1000000}"
SERVER_JS="${SERVER_JS:-bin/sabre-server.js}"
export NO_INSIGHT=1 # clinic: no "insight" upload prompt / telemetry

case "$LAYOUT" in
  default) LAYOUT_ARGS=() ;;
  shards*) LAYOUT_ARGS=(--shards "${LAYOUT#shards}") ;;
  [0-9]*) LAYOUT_ARGS=(--shards "$LAYOUT") ;;
  *) echo "profile: unknown layout '$LAYOUT' (default|shards0|shards1|shardsN)" >&2; exit 2 ;;
esac

command -v redis-benchmark >/dev/null || { echo "profile: redis-benchmark not found (apt-get install redis-tools)" >&2; exit 1; }
CLINIC=node_modules/.bin/clinic
[ -x "$CLINIC" ] || { echo "profile: $CLINIC not found; run npm ci (clinic is a devDependency)" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then npm run build; fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

CLINIC_PID=""
# clinic runs in its own process group (setsid): SIGINT goes to the group, like Ctrl+C in a
# terminal. clinic flame (0x) needs that: its child only exits when it gets SIGINT itself.
stop_clinic() { kill -INT -- "-$CLINIC_PID" 2>/dev/null || kill -INT "$CLINIC_PID" 2>/dev/null || true; }
cleanup() { if [ -n "$CLINIC_PID" ] && kill -0 "$CLINIC_PID" 2>/dev/null; then stop_clinic; fi; }
trap cleanup EXIT

for tool in $TOOLS; do
  PORT="$(free_port)"
  extra=()
  [ "${COLLECT_ONLY:-0}" = 1 ] && extra+=(--collect-only)
  echo "== clinic $tool: node $SERVER_JS --port $PORT ${LAYOUT_ARGS[*]:-}  (tests $TESTS, -n $N -P $P -c $C${R:+ -r $R})"
  # The server runs under clinic in the background; SIGINT to clinic's process group makes
  # it stop the server and write its data into .clinic/.
  setsid "$CLINIC" "$tool" "${extra[@]}" -- node "$SERVER_JS" --port "$PORT" "${LAYOUT_ARGS[@]}" < /dev/null &
  CLINIC_PID=$!
  ready=0
  for _ in $(seq 1 300); do
    if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then ready=1; break; fi
    kill -0 "$CLINIC_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$ready" != 1 ]; then echo "profile: server under clinic $tool did not answer PING on port $PORT" >&2; exit 1; fi
  rargs=()
  [ "$R" != 0 ] && rargs=(-r "$R")
  redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$C" -n "$N" -P "$P" "${rargs[@]}" -t "$TESTS" --csv || echo "profile: redis-benchmark exited with $?" >&2
  stop_clinic
  rc=0
  wait "$CLINIC_PID" || rc=$?
  CLINIC_PID=""
  echo "== clinic $tool finished (exit $rc)"
done
echo "profile: output in .clinic/:"
ls -1t .clinic 2>/dev/null | head -n 10
