#!/usr/bin/env bash
# bench/run-all.sh: reruns the whole comparison (Strata's workloads, the peers, the raw limits, the JMH suites) and
# rewrites bench/RESULTS.md, bench/charts/*.svg and bench/results.json. About 19 minutes on the 2-core reference machine
# ('./strata bench all --plan' prints the estimate).
#
#   bench/run-all.sh            # the published figures: run it on a quiet machine
#   bench/run-all.sh --quick    # a smoke run of every step (a few minutes; the report is marked as a smoke run)
#
# Any other option goes to 'strata bench all' (see './strata bench all --help'), e.g. --runs 5 or --only peers-single.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
start=$(date +%s)
./strata bench all --report-dir bench "$@"
echo "bench/run-all.sh: $(( $(date +%s) - start )) s wall clock (build included)" >&2
