#!/usr/bin/env bash
# Runs the test/spark group: the data jobs (Glue, Hive, shell) on a local
# Spark, moto and the aws command line, all from the project's .venv.
# Extra arguments go to pytest, e.g. `npm run test:spark -- -k hive`.
# pytest's "no tests collected" (exit 5) counts as a failure here: this group
# must never pass by running nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup-python.sh
if ! command -v java >/dev/null 2>&1; then
  echo "run-spark-tests: java is not on PATH; the Spark tests need a Java 17 runtime" >&2
  exit 1
fi

status=0
.venv/bin/python -m pytest test/spark -q "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "run-spark-tests: pytest collected no tests from test/spark; that is a failure" >&2
  exit 1
fi
exit "$status"
