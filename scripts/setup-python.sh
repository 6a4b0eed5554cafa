#!/usr/bin/env bash
# Creates the project-local Python environment (.venv) with the tools that
# `npm test` needs: cfn-lint, the moto server and pyspark, and checkov in
# .venv/checkov. A no-op when the environments already satisfy
# requirements-dev.txt and requirements-scan.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/requirements-dev.txt"
python="${PYTHON:-python3}"

# Installs a requirements file into a virtual environment unless its stamp
# says the file is already installed there.
install() {
  local env="$1" file="$2"
  local stamp="$env/.requirements.sha256"
  local want
  want="$(sha256sum "$file" | cut -d' ' -f1)"
  if [[ -x "$env/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "setup-python: installing $(basename "$file") into ${env#"$root"/} (first run only)" >&2
  if [[ ! -x "$env/bin/python" ]]; then
    "$python" -m venv "$env"
  fi
  "$env/bin/python" -m pip install --quiet --disable-pip-version-check -r "$file"
  echo "$want" > "$stamp"
  echo "setup-python: done" >&2
}

install "$venv" "$req"
# checkov pins versions that the tools above cannot share: it gets an environment of its own, inside .venv.
install "$venv/checkov" "$root/requirements-scan.txt"
