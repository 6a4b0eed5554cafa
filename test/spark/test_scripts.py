"""The jobs' Python and shell scripts: they compile, they pass shellcheck when it
is installed, and change_write_capacity.sh does its job against a local moto
DynamoDB through the real aws command line."""

import os
import py_compile
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PYTHON_SCRIPTS = sorted(REPO_ROOT.glob("jobs/**/*.py"))
SHELL_SCRIPTS = sorted(
    [*REPO_ROOT.glob("jobs/**/*.sh"), *REPO_ROOT.glob("scripts/emr/*.sh"), REPO_ROOT / "scripts" / "run-spark-tests.sh"]
)
CHANGE_WRITE_CAPACITY = REPO_ROOT / "jobs" / "shell" / "change_write_capacity.sh"
INSTALL_TASK_RUNNER = REPO_ROOT / "scripts" / "emr" / "install_task_runner.sh"


def relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def test_there_are_scripts_to_check():
    assert len(PYTHON_SCRIPTS) == 3
    assert len(SHELL_SCRIPTS) == 3


@pytest.mark.parametrize("script", PYTHON_SCRIPTS, ids=relative)
def test_the_python_script_compiles(script, tmp_path):
    py_compile.compile(str(script), cfile=str(tmp_path / "out.pyc"), doraise=True)


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=relative)
def test_the_shell_script_parses(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=relative)
def test_the_shell_script_passes_shellcheck(script):
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck); bash -n still checked the syntax")
    result = subprocess.run([shellcheck, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- moto DynamoDB


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield "http://127.0.0.1:%d" % port
    server.stop()


@pytest.fixture
def aws_env(moto_endpoint, tmp_path):
    """The environment of a script run: the venv's aws first on PATH, talking to moto."""
    if not (VENV_BIN / "aws").exists():
        pytest.fail("the aws command line is missing from the venv; run `bash scripts/setup-python.sh`")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        PATH="%s%s%s" % (VENV_BIN, os.pathsep, env.get("PATH", "")),
        AWS_ENDPOINT_URL=moto_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        POLL_SECONDS="1",
        WAIT_TIMEOUT_SECONDS="30",
    )
    return env


@pytest.fixture
def dynamodb(moto_endpoint):
    client = boto3.client(
        "dynamodb",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for name in client.list_tables()["TableNames"]:
        client.delete_table(TableName=name)
    return client


def create_table(dynamodb, name, read=1, write=1, on_demand=False):
    keys = {
        "AttributeDefinitions": [
            {"AttributeName": "ad_id", "AttributeType": "S"},
            {"AttributeName": "day", "AttributeType": "S"},
        ],
        "KeySchema": [{"AttributeName": "ad_id", "KeyType": "HASH"}, {"AttributeName": "day", "KeyType": "RANGE"}],
    }
    if on_demand:
        dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **keys)
    else:
        dynamodb.create_table(
            TableName=name,
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": write},
            **keys,
        )


def capacity(dynamodb, name):
    throughput = dynamodb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    return throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]


def change_write_capacity(env, *args):
    return subprocess.run(
        ["bash", str(CHANGE_WRITE_CAPACITY), *args], env=env, capture_output=True, text=True, timeout=120
    )


class TestChangeWriteCapacity:
    def test_raises_the_write_capacity_and_leaves_the_read_capacity(self, aws_env, dynamodb):
        # given the ad traffic table at 5 read and 1 write units
        create_table(dynamodb, "AdTraffic", read=5, write=1)

        # when the pipeline's pre-load step adds 1000 units
        result = change_write_capacity(aws_env, "AdTraffic", "1000", "us-east-1")

        # then the table has 1001 write units and still 5 read units
        assert result.returncode == 0, result.stderr
        assert capacity(dynamodb, "AdTraffic") == (5, 1001)
        assert "ACTIVE with 1001 write capacity units" in result.stderr

    def test_lowers_it_again_and_never_below_one(self, aws_env, dynamodb):
        # given a table at 1001 write units
        create_table(dynamodb, "AdTraffic", read=5, write=1001)

        # when the post-load step takes 1000 away, and then 1000 more
        lowered = change_write_capacity(aws_env, "AdTraffic", "-1000", "us-east-1")
        floored = change_write_capacity(aws_env, "AdTraffic", "-1000", "us-east-1")

        # then it is back at 1 and stays there
        assert lowered.returncode == 0, lowered.stderr
        assert floored.returncode == 0, floored.stderr
        assert capacity(dynamodb, "AdTraffic") == (5, 1)
        assert "nothing to change" in floored.stderr

    def test_takes_the_region_from_the_environment_when_not_given(self, aws_env, dynamodb):
        create_table(dynamodb, "AdTraffic", read=1, write=1)
        result = change_write_capacity({**aws_env, "AWS_DEFAULT_REGION": "us-east-1"}, "AdTraffic", "+4")
        assert result.returncode == 0, result.stderr
        assert capacity(dynamodb, "AdTraffic") == (1, 5)

    def test_leaves_an_on_demand_table_alone(self, aws_env, dynamodb):
        create_table(dynamodb, "AdTraffic", on_demand=True)
        result = change_write_capacity(aws_env, "AdTraffic", "1000", "us-east-1")
        assert result.returncode == 0, result.stderr
        assert "billed on demand" in result.stderr

    def test_fails_for_a_table_that_does_not_exist(self, aws_env, dynamodb):
        result = change_write_capacity(aws_env, "Missing", "1000", "us-east-1")
        assert result.returncode != 0
        assert "ResourceNotFoundException" in result.stderr

    @pytest.mark.parametrize(
        "args, message",
        [
            (["AdTraffic"], "usage: change_write_capacity.sh TABLE CHANGE [REGION]"),
            (["AdTraffic", "lots", "us-east-1"], "change 'lots' is not a signed whole number"),
            (["", "10", "us-east-1"], "the table name is empty"),
        ],
    )
    def test_refuses_bad_arguments_with_a_reason(self, aws_env, args, message):
        result = change_write_capacity(aws_env, *args)
        assert result.returncode != 0
        assert message in result.stderr


SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dataless-TaskRunnerCredentials-AbCdEf"


class TestInstallTaskRunner:
    """Only the argument checks can run here: the install itself needs an EMR node."""

    @pytest.mark.parametrize(
        "args, status, message",
        [
            ([], 2, "usage: install_task_runner.sh CREDENTIALS_SECRET WORKER_GROUP REGION LOG_URI"),
            (["AKIDEXAMPLE", "group", "us-east-1", "s3://logs/"], 1, "credentials secret 'AKIDEXAMPLE' is not a Secrets Manager secret ARN"),
            ([SECRET, "", "us-east-1", "s3://logs/"], 1, "the worker group is empty"),
            ([SECRET, "group", "mars", "s3://logs/"], 1, "region 'mars' is not a region name"),
            ([SECRET, "group", "us-east-1", "/var/log"], 1, "log uri '/var/log' is not an s3:// uri"),
        ],
    )
    def test_refuses_bad_arguments_before_touching_anything(self, args, status, message, tmp_path):
        result = subprocess.run(
            ["bash", str(INSTALL_TASK_RUNNER), *args],
            env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == status
        assert message in result.stderr
        assert list(tmp_path.iterdir()) == []
