#!/usr/bin/env bash
# Same as python3 bench/run.py; see bench/README.md.
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
