#!/usr/bin/env bash
# Runs CMD with a throwaway PostgreSQL cluster: starts one in a temporary folder, exports
# DATABASE_URL and PLN_TEST_DATABASE_URL, runs CMD, stops the cluster (also on failure).
#
#   scripts/with-postgres.sh swift test
#   PLN_PG_PORT=55433 scripts/with-postgres.sh swift run pln serve
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
folder=$("$here/postgres-cluster.sh" start "${PLN_PG_PORT:-55432}")
trap '"$here/postgres-cluster.sh" stop "$folder"' EXIT
url=$("$here/postgres-cluster.sh" url "$folder")
export DATABASE_URL=$url PLN_TEST_DATABASE_URL=$url
echo "PostgreSQL at $url (cluster in $folder)" >&2
"$@"
