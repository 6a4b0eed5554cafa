"""Runs a Hive script from jobs/hive/ on Spark SQL, as Hive runs it on EMR.

The file is read as it ships: its ${NAME} variables are replaced with the
values the batch passes (--hivevar/--hiveconf, or a HiveActivity's
scriptVariables), it is split into statements, and each statement goes to
spark.sql unchanged. `dataless local batch` and the tests in test/spark run
the scripts through this module.

No rewrite step is needed, because the scripts hold no Hive-only statement:
the DynamoDB storage-handler table and the S3 staging tables are
`${output1}`, which Data Pipeline creates from the activity's output node
before the script runs (or the catalogue holds, under Step Functions). The
tests bind `output1` to a plain table with the columns of that node's data
format; the local batch binds it to a plain table and puts its rows into
the DynamoDB table afterwards. A statement that Spark cannot run (a
storage handler, ADD JAR) is refused here with a message, rather than
silently rewritten.
"""

import re
from pathlib import Path

VARIABLE = re.compile(r"\$\{(?:hivevar:|hiveconf:)?([A-Za-z_][A-Za-z0-9_]*)\}")
HIVE_ONLY = [
    (re.compile(r"\bSTORED\s+BY\b", re.IGNORECASE), "a storage handler (STORED BY)"),
    (re.compile(r"^\s*ADD\s+JAR\b", re.IGNORECASE), "ADD JAR"),
]


def substitute(text: str, variables: dict, path: str) -> str:
    used = {match.group(1) for match in VARIABLE.finditer(text)}
    missing = sorted(used - set(variables))
    if missing:
        raise KeyError("%s uses variable(s) %s that were not given" % (path, ", ".join(missing)))
    return VARIABLE.sub(lambda match: str(variables[match.group(1)]), text)


def split_statements(text: str) -> list:
    """Splits on semicolons outside quotes, dropping `--` comments."""
    statements, current = [], []
    quote = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == "\\" and index + 1 < len(text):
                current.append(text[index + 1])
                index += 1
            elif char == quote:
                quote = None
        elif char in ("'", '"', "`"):
            quote = char
            current.append(char)
        elif text.startswith("--", index):
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        elif char == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    if quote:
        raise ValueError("unterminated %s quote" % quote)
    statements.append("".join(current))
    return [statement.strip() for statement in statements if statement.strip()]


def hive_statements(path: Path, variables: dict) -> list:
    # Comments go first: their prose may mention ${NAME} forms.
    statements = [substitute(statement, variables, str(path)) for statement in split_statements(path.read_text())]
    for statement in statements:
        for pattern, what in HIVE_ONLY:
            if pattern.search(statement):
                raise NotImplementedError(
                    "%s uses %s, which Spark SQL cannot run; give src/local/spark/hive_script.py an explicit, "
                    "documented rewrite for it" % (path, what)
                )
    return statements


def run_hive_script(spark, path: Path, variables: dict) -> None:
    for statement in hive_statements(path, variables):
        spark.sql(statement)
