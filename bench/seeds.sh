#!/usr/bin/env bash
# `katas check` under zoo seeds 0..9 (or the seeds given as arguments): every mutant killed and every
# alternative accepted on every zoo, with each check's seconds. The first check under a seed builds its zoo.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 1 2 3 4 5 6 7 8 9)
failed=0
for seed in "${seeds[@]}"; do
    start=$(date +%s)
    if KATAS_ZOO_SEED=$seed python -m katakit.cli check >"$logs/$seed.log" 2>&1; then verdict=ok; else verdict=FAILED; failed=1; fi
    echo "seed $seed: $verdict in $(( $(date +%s) - start )) s; $(grep -E '^(mutants|alternatives):' "$logs/$seed.log" | tr '\n' ' ')"
    grep "^FAIL" "$logs/$seed.log"
done
echo "logs: $logs"
exit $failed
