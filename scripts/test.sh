#!/usr/bin/env bash
# Install Skillpath with its test tools and run the whole test suite (lint, types, tests).
# Real data is read from SKILLPATH_DATA (default ../shared/data when it exists); tests that need
# it skip with a reason when it is absent. Browser tests use Debian's chromium (installed here
# when we are root and it is missing); PostgreSQL tests use the server on localhost if one answers.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e ".[test]"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: could not install chromium; browser tests will be skipped"
fi
python -m ruff check src tests bench
python -m ruff format --check src tests bench
python -m mypy
python -m pytest "$@"
