#!/usr/bin/env bash
# Runs every test: unit, integration on SQLite and on a real PostgreSQL, fake-provider end to end.
# Installs what the tests need when it is missing (Debian packages, as root or via sudo: PostgreSQL;
# Chromium, pdftotext and Noto fonts for PDF receipts; chromium-driver for the browser tests), runs
# PostgreSQL privately (free port, temporary data directory) and removes it afterwards.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Money").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/deps.sh

ensure_postgres
ensure_receipt_tools
ensure_browser_test_tools
trap pg_stop EXIT
# Durability settings off: these databases live for one test run.
pg_start fsync=off synchronous_commit=off full_page_writes=off

export TEST_DATABASE_URL="$PG_URL"
export PAYMENTS_TEST_REQUIRE_POSTGRES=1
dotnet test Payments.slnx -c Release --logger "console;verbosity=minimal" "$@"
