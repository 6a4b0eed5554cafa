#!/usr/bin/env bash
# EMR bootstrap action: installs and starts the AWS Data Pipeline Task Runner
# on the master node of a long-running EMR cluster, so that pipeline
# activities sent to WORKER_GROUP run there. On any other node it does nothing.
#
# Usage: install_task_runner.sh CREDENTIALS_SECRET WORKER_GROUP REGION LOG_URI
#   CREDENTIALS_SECRET ARN of the Secrets Manager secret that holds the Task
#                      Runner's credentials file ({"access-id": ..., "private-key": ...});
#                      read with the node's role into a file only its owner can
#                      read, never echoed. Bootstrap arguments are readable by
#                      whoever may describe the cluster, so no key is one.
#   WORKER_GROUP       Data Pipeline worker group to poll, e.g. <stack>-<region>-emr-worker-group
#   REGION             region of the pipeline, e.g. us-east-1
#   LOG_URI            s3:// folder for the Task Runner's logs
#
# Environment: TASK_RUNNER_JAR_URI overrides where the jar is fetched from.
set -euo pipefail

prog="$(basename "$0")"

fail() {
  echo "$prog: $*" >&2
  exit 1
}

if [[ $# -ne 4 ]]; then
  echo "usage: $prog CREDENTIALS_SECRET WORKER_GROUP REGION LOG_URI" >&2
  exit 2
fi

credentials_secret="$1"
worker_group="$2"
region="$3"
log_uri="$4"

[[ "$credentials_secret" =~ ^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$ ]] ||
  fail "credentials secret '$credentials_secret' is not a Secrets Manager secret ARN"
[[ -n "$worker_group" ]] || fail "the worker group is empty"
[[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || fail "region '$region' is not a region name like us-east-1"
[[ "$log_uri" == s3://* ]] || fail "log uri '$log_uri' is not an s3:// uri"

# EMR writes the node's role here; bootstrap actions run on every node.
instance_info=/mnt/var/lib/info/instance.json
if [[ -f "$instance_info" ]] && ! grep -Eq '"isMaster"[[:space:]]*:[[:space:]]*true' "$instance_info"; then
  echo "$prog: not the master node; the Task Runner runs on the master only" >&2
  exit 0
fi

command -v java >/dev/null 2>&1 || fail "java is not installed on this node"
command -v aws >/dev/null 2>&1 || fail "the aws command line is not installed on this node"

jar_uri="${TASK_RUNNER_JAR_URI:-s3://datapipeline-us-east-1/us-east-1/software/latest/TaskRunner/TaskRunner-1.0.jar}"
home_dir="${HOME:?HOME is not set}"
install_dir="$home_dir/task-runner"
jar="$install_dir/TaskRunner-1.0.jar"
credentials="$install_dir/credentials.json"

mkdir -p "$install_dir"
echo "$prog: fetching the Task Runner from $jar_uri" >&2
aws s3 cp --only-show-errors "$jar_uri" "$jar.partial"
mv "$jar.partial" "$jar"

(
  umask 077
  aws secretsmanager get-secret-value --region "$region" --secret-id "$credentials_secret" \
    --query SecretString --output text >"$credentials"
)

echo "$prog: starting the Task Runner for worker group $worker_group in $region" >&2
nohup java -jar "$jar" \
  --config="$credentials" \
  --workerGroup="$worker_group" \
  --region="$region" \
  --logUri="$log_uri" \
  >>"$install_dir/task-runner.out" 2>&1 </dev/null &
echo "$prog: Task Runner started (pid $!); output in $install_dir/task-runner.out" >&2
