#!/usr/bin/env bash
# Changes the provisioned write capacity of a DynamoDB table by a signed
# amount, leaving its read capacity alone, and waits until the table is ACTIVE
# again. Data Pipeline runs it (ShellScriptConfig) before and after the Hive
# load of the ad traffic table: +1000 to absorb the load, -1000 to give it back.
#
# Usage: change_write_capacity.sh TABLE CHANGE [REGION]
#   TABLE   DynamoDB table name
#   CHANGE  signed whole number of write capacity units, e.g. 1000 or -1000;
#           the result never goes below 1
#   REGION  AWS region; defaults to AWS_REGION, AWS_DEFAULT_REGION or the CLI's
#           configured region
#
# Environment: WAIT_TIMEOUT_SECONDS (default 1800) bounds each wait for ACTIVE;
# POLL_SECONDS (default 5) is the pause between polls.
#
# A table billed on demand (PAY_PER_REQUEST) has no write capacity to change:
# the script says so and succeeds.
set -euo pipefail

prog="$(basename "$0")"

usage() {
  echo "usage: $prog TABLE CHANGE [REGION]" >&2
  echo "  CHANGE is a signed whole number of write capacity units, e.g. 1000 or -1000" >&2
}

fail() {
  echo "$prog: $*" >&2
  exit 1
}

if [[ $# -lt 2 || $# -gt 3 ]]; then
  usage
  exit 2
fi

table="$1"
change="$2"
region="${3:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
wait_timeout="${WAIT_TIMEOUT_SECONDS:-1800}"
poll_seconds="${POLL_SECONDS:-5}"

[[ -n "$table" ]] || { usage; fail "the table name is empty"; }
[[ "$change" =~ ^[+-]?[0-9]+$ ]] || { usage; fail "change '$change' is not a signed whole number"; }
[[ "$wait_timeout" =~ ^[0-9]+$ ]] || fail "WAIT_TIMEOUT_SECONDS '$wait_timeout' is not a whole number of seconds"
[[ "$poll_seconds" =~ ^[0-9]+$ ]] || fail "POLL_SECONDS '$poll_seconds' is not a whole number of seconds"
command -v aws >/dev/null 2>&1 || fail "the aws command line is not installed or not on PATH"

# A one-element prefix, never an empty array: bash before 4.4 (Amazon Linux 2)
# treats "${empty[@]}" as unbound under set -u.
aws_cmd=(aws)
if [[ -n "$region" ]]; then
  aws_cmd+=(--region "$region")
fi

# Prints: status, billing mode, read units, write units (tab separated).
describe() {
  "${aws_cmd[@]}" dynamodb describe-table --table-name "$table" --output text \
    --query '[Table.TableStatus, Table.BillingModeSummary.BillingMode, Table.ProvisionedThroughput.ReadCapacityUnits, Table.ProvisionedThroughput.WriteCapacityUnits]'
}

wait_until_active() {
  local deadline=$((SECONDS + wait_timeout))
  local status
  while true; do
    status="$(describe | cut -f1)"
    case "$status" in
      ACTIVE)
        return 0
        ;;
      CREATING | UPDATING)
        if ((SECONDS >= deadline)); then
          fail "table $table is still $status after ${wait_timeout}s; raise WAIT_TIMEOUT_SECONDS or check the table in the console"
        fi
        echo "$prog: table $table is $status; waiting" >&2
        sleep "$poll_seconds"
        ;;
      *)
        fail "table $table is $status, which a capacity change cannot proceed from"
        ;;
    esac
  done
}

# An update is refused while the table is still changing.
wait_until_active

IFS=$'\t' read -r _ billing read_units write_units < <(describe)
if [[ "$billing" == "PAY_PER_REQUEST" ]]; then
  echo "$prog: table $table is billed on demand; there is no write capacity to change" >&2
  exit 0
fi
[[ "$read_units" =~ ^[0-9]+$ && "$write_units" =~ ^[0-9]+$ ]] ||
  fail "could not read the provisioned capacity of table $table (read '$read_units', write '$write_units')"

# 10# keeps a leading zero from being read as octal; the sign is kept apart.
sign=1
magnitude="$change"
case "$change" in
  -*) sign=-1 magnitude="${change#-}" ;;
  +*) magnitude="${change#+}" ;;
esac
target=$((write_units + sign * 10#$magnitude))
if ((target < 1)); then
  target=1
fi

if ((target == write_units)); then
  echo "$prog: table $table already has $write_units write capacity units; nothing to change" >&2
  exit 0
fi

echo "$prog: changing write capacity of $table from $write_units to $target units" >&2
"${aws_cmd[@]}" dynamodb update-table --table-name "$table" \
  --provisioned-throughput "ReadCapacityUnits=$read_units,WriteCapacityUnits=$target" >/dev/null
wait_until_active
echo "$prog: table $table is ACTIVE with $target write capacity units" >&2
