#!/usr/bin/env bash
# Import benchmark (not part of `make test`): generates N valid state records
# (JSON lines, default 100,000) in a temporary folder, then imports them
# twice into a fresh local data folder with the release build: once fresh,
# once again (every record replaced, none added). Prints the elapsed time
# and the peak memory (maximum resident set size) of each run.
#
#   scripts/bench-import.sh [N]        or   make bench-import
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

n="${1:-100000}"
bin="${CARGO_TARGET_DIR:-target}/release/sejour"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release --quiet -p sejour-cli --bin sejour

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$n" > "$tmp/records.jsonl" <<'PY'
import json, sys
from datetime import date, timedelta

n = int(sys.argv[1])
types = [("permit", "permit_student"), ("permit", "permit_other"), ("visa", "vls_ts_student"),
         ("visa", "vls_ts_student_mobility"), ("visa", "vls_student_algeria"), ("visa", "vls_t_minor_schooled")]
countries = ["SEN", "CHN", "MAR", "DZA", "VNM", "BRA", "IND", "CMR", "TUN", "USA"]
start = date(2026, 1, 1)
out = sys.stdout
for i in range(n):
    kind, document_type = types[i % len(types)]
    valid_from = start + timedelta(days=i % 365)
    record = {
        "kind": kind,
        "number": f"BENCH{i:09d}",
        "document_type": document_type,
        "valid_from": valid_from.isoformat(),
        "valid_until": (valid_from + timedelta(days=364)).isoformat(),
        "foreigner_number": f"{7500000000 + i}" if kind == "permit" else "",
        "surname": "Diallo",
        "given_names": "Awa Marie",
        "sex": "FMX"[i % 3],
        "birth_date": (date(1995, 1, 1) + timedelta(days=i % 3000)).isoformat(),
        "birth_place": "Dakar",
        "birth_country": countries[i % len(countries)],
        "nationality": countries[(i + 3) % len(countries)],
    }
    out.write(json.dumps(record, ensure_ascii=False))
    out.write("\n")
PY
echo "records: $n ($(du -h "$tmp/records.jsonl" | cut -f1) of JSON lines); binary: $bin"

for run in fresh re-import; do
  /usr/bin/time -v "$bin" import --data-dir "$tmp/data" "$tmp/records.jsonl" > "$tmp/out.txt" 2> "$tmp/time.txt" || {
    cat "$tmp/out.txt" "$tmp/time.txt"; exit 1; }
  elapsed="$(grep 'Elapsed (wall clock)' "$tmp/time.txt" | sed 's/.*): //')"
  rss_kb="$(grep 'Maximum resident set size' "$tmp/time.txt" | sed 's/.*: //')"
  printf '%-10s %s | elapsed %s | peak memory %d MiB\n' "$run" "$(head -1 "$tmp/out.txt")" "$elapsed" "$((rss_kb / 1024))"
done
echo "database: $(du -sh "$tmp/data" | cut -f1)"
