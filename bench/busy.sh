#!/usr/bin/env bash
# `pytest --solutions` N times (default 5) while two CPU hogs keep both cores of a 2-core machine busy:
# a correct solution must never time out because the machine is busy (the limit counts CPU time).
# Prints each run's verdict and seconds, then how many passed; exits 1 unless all did.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
hogs=()
for _ in 1 2; do python3 -c "while True: pass" & hogs+=($!); done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
passed=0
logs=$(mktemp -d)
for run in $(seq 1 "$runs"); do
    start=$(date +%s)
    if python -m pytest --solutions -q -p no:cacheprovider >"$logs/$run.log" 2>&1; then
        verdict=passed; passed=$((passed + 1))
    else
        verdict="FAILED: $(grep -E '^(FAILED|ERROR)' "$logs/$run.log" | head -3 | tr '\n' ' ')"
    fi
    echo "run $run under two CPU hogs: $verdict in $(( $(date +%s) - start )) s"
done
echo "$passed of $runs runs passed; logs: $logs"
[ "$passed" -eq "$runs" ]
