#!/usr/bin/env bash
# API conformance against the OpenAPI document (part of `make test`):
# starts `sejour serve` with demo data on a free 127.0.0.1 port and a fresh
# data folder, then runs schemathesis (pinned in .venv) three times, bounded
# and seeded: anonymously, as the demo applicant and as a demo agent, with
# the site's Origin so that writes are exercised. Checks: no server error,
# every status, content type and body as documented. Stops the server.
#
#   scripts/schemathesis.sh [path/to/sejour]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin="${1:-${CARGO_TARGET_DIR:-target}/debug/sejour}"
st=.venv/bin/schemathesis
[ -x "$bin" ] || { echo "no $bin: cargo build -p sejour-cli" >&2; exit 1; }

data="$(mktemp -d)"
log="$data/serve.log"
"$bin" serve --addr 127.0.0.1:0 --data-dir "$data/state" > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT

url=""
for _ in $(seq 1 300); do
  url="$(sed -n 's/^ Site and API *\(http[^ ]*\)\/$/\1/p' "$log")"
  [ -n "$url" ] && grep -q "Stop with Ctrl-C" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "sejour serve did not start" >&2; cat "$log" >&2; exit 1; }

token() {
  curl -sf "$url/api/auth/login" -H 'content-type: application/json' -H "Origin: $url" \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# The coverage phase is left out: schemathesis 4.32 fails inside it (a
# hypothesis runtime error), whatever the schema. StepBody is a oneOf of four
# step bodies, which trips the `filter_too_much` health check.
run() {
  local who="$1"; shift
  echo "schemathesis: $who"
  "$st" run "$url/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,fuzzing --max-examples 30 --seed 20261201 --workers 2 \
    --suppress-health-check filter_too_much --max-time 45 \
    -H "Origin: $url" "$@"
}

run anonymous
# Logout would end the session the next operations use.
run "applicant awa.diallo@demo.sejour.localhost" --exclude-path /api/auth/logout \
  -H "Authorization: Bearer $(token awa.diallo@demo.sejour.localhost Sejour-demo-2026)"
run "agent agent.69@demo.sejour.localhost" --exclude-path /api/auth/logout \
  -H "Authorization: Bearer $(token agent.69@demo.sejour.localhost Prefecture-demo-2026)"
