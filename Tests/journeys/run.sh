#!/usr/bin/env bash
# Real-browser journeys and axe-core checks against a fresh PLN server.
#
#   bash Tests/journeys/run.sh            # build pln (debug), start it on a free port, run pytest
#   bash Tests/journeys/run.sh -k befriend  # extra arguments go to pytest
#
# Installs what a fresh Debian machine lacks (chromium, chromium-driver, and a Python venv with
# pinned selenium, pytest, selenium-axe-python and openapi-spec-validator, which checks the
# served /api/v1/openapi.json against the OpenAPI 3.1 spec), writes a Starlark config into a temporary
# data directory, creates an administrator, serves, runs the journeys, stops the server and
# exits with pytest's status. Screenshots land in Tests/journeys/screenshots/<journey>/.
#
# Against servers that already run (e.g. several behind nginx, scripts/three-servers.sh):
#
#   PLN_JOURNEY_CONFIG_ONLY=1 PLN_JOURNEY_BASE=http://127.0.0.1:8460 bash Tests/journeys/run.sh
#       writes the journeys' config (base_url = PLN_JOURNEY_BASE) into a new temporary folder,
#       prints its path and exits; at load time the config reads PLN_JOURNEY_PORT (the port a
#       server listens on) and PLN_JOURNEY_DATABASE_URL (PostgreSQL instead of SQLite).
#   PLN_JOURNEY_BASE=http://127.0.0.1:8460 PLN_JOURNEY_CONFIG=/tmp/…/pln.star \
#   PLN_JOURNEY_ADMIN_LOGIN=ada PLN_JOURNEY_ADMIN_PASSWORD=… [PLN_BIN=.build/debug/pln] bash Tests/journeys/run.sh
#       starts no server: runs the journeys against that base URL, as that administrator, and
#       reads mailed links with `pln admin outbox list --config PLN_JOURNEY_CONFIG`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
started=$SECONDS

external="${PLN_JOURNEY_BASE:-}"
external="${external%/}"

# --- The journeys' config ---------------------------------------------------------------
write_config() { # write_config FOLDER BASE_URL PORT
    cat >"$1/pln.star" <<EOF
# Written by Tests/journeys/run.sh: every module on, storage in a temporary directory.
network(
    name = "The Educators' PLN",
    tagline = "A personal learning network for teachers across our schools",
    creator = "The partnership's headteachers",
    about = "Schools sharing expertise, so the teacher who needs help in one school reaches the expert in another.",
    base_url = "$2",
    time_zone = "Europe/London",
)
server(host = "127.0.0.1", port = int(env("PLN_JOURNEY_PORT", "$3")), request_log = False)
storage(path = "$1/pln.sqlite", url = env("PLN_JOURNEY_DATABASE_URL", ""))
modules("membership", "groups", "cpd", "blog", "moderation", "messages")
membership(
    signup = "open",
    profile_questions = [
        question("school", "School", type = "text", required = True),
        question("role", "Role", type = "choice", options = ["Teacher", "Teaching assistant", "Headteacher", "Deputy head", "SENCO", "Business manager", "Other"]),
        question("subjects", "Subjects", type = "text"),
        question("key_stage", "Key stage", type = "multiple", options = ["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"]),
    ],
)
groups(categories = ["Strategic group", "Cluster", "School", "Business managers", "Subject network", "Interest"])
# Booking stays open until the start so a journey can book, attend and get its certificate.
cpd(booking_cutoff_hours = 0)
EOF
}

if [[ "${PLN_JOURNEY_CONFIG_ONLY:-}" == 1 ]]; then
    [[ -n "$external" ]] || { echo "run.sh: PLN_JOURNEY_CONFIG_ONLY needs PLN_JOURNEY_BASE" >&2; exit 2; }
    folder="$(mktemp -d "${TMPDIR:-/tmp}/pln-journeys.XXXXXX")"
    write_config "$folder" "$external" 8080
    echo "$folder/pln.star"
    exit 0
fi

# --- What the journeys need -------------------------------------------------------------
SELENIUM_VERSION=4.51.0
PYTEST_VERSION=9.0.3
AXE_VERSION=2.2.0 # selenium-axe-python 2.2.0 ships axe-core 4.9.1
OPENAPI_VALIDATOR_VERSION=0.9.0 # openapi-spec-validator: test_0_openapi.py checks /api/v1/openapi.json

apt_install() {
    if command -v apt-get >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null || true
        apt-get install -y -qq "$@" >/dev/null
    else
        echo "run.sh: please install: $*" >&2
        exit 2
    fi
}

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    echo "== installing chromium and chromium-driver"
    apt_install chromium chromium-driver
fi

python_ok() {
    "$1" -c "import selenium, pytest, selenium_axe_python, openapi_spec_validator" 2>/dev/null
}

python=python3
if ! command -v python3 >/dev/null; then apt_install python3; fi
if ! python_ok "$python"; then
    venv="${PLN_JOURNEYS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pln-journeys-venv}"
    if [[ ! -x "$venv/bin/python" ]] || ! python_ok "$venv/bin/python"; then
        echo "== preparing a Python environment in $venv"
        if ! python3 -m venv "$venv" 2>/dev/null; then
            apt_install python3-venv python3-pip
            rm -rf "$venv"
            python3 -m venv "$venv"
        fi
        "$venv/bin/python" -m pip install -q --disable-pip-version-check \
            "selenium==$SELENIUM_VERSION" "pytest==$PYTEST_VERSION" "selenium-axe-python==$AXE_VERSION" \
            "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION"
    fi
    python="$venv/bin/python"
fi

# --- Build and start a server (unless the journeys run against PLN_JOURNEY_BASE) ---------
if [[ -n "$external" ]]; then
    : "${PLN_JOURNEY_CONFIG:?PLN_JOURNEY_BASE needs PLN_JOURNEY_CONFIG (the config of the servers, to read the outbox)}"
    : "${PLN_JOURNEY_ADMIN_LOGIN:?PLN_JOURNEY_BASE needs PLN_JOURNEY_ADMIN_LOGIN}"
    : "${PLN_JOURNEY_ADMIN_PASSWORD:?PLN_JOURNEY_BASE needs PLN_JOURNEY_ADMIN_PASSWORD}"
    pln="${PLN_BIN:-}"
    if [[ -z "$pln" ]]; then
        (cd "$root" && swift build --product pln 2>&1 | tail -1)
        pln="$(cd "$root" && swift build --product pln --show-bin-path)/pln"
    fi
    data="$(mktemp -d "${TMPDIR:-/tmp}/pln-journeys.XXXXXX")"
    trap 'rm -rf "$data"' EXIT
    base="$external"
    config="$PLN_JOURNEY_CONFIG"
    admin_login="$PLN_JOURNEY_ADMIN_LOGIN"
    admin_password="$PLN_JOURNEY_ADMIN_PASSWORD"
    echo "== journeys against $base (no server started here)"
else
echo "== building pln (debug)"
(cd "$root" && swift build --product pln 2>&1 | tail -1)
pln="$(cd "$root" && swift build --product pln --show-bin-path)/pln"

data="$(mktemp -d "${TMPDIR:-/tmp}/pln-journeys.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ "${PLN_JOURNEYS_KEEP_DATA:-}" == "" ]]; then rm -rf "$data"; else echo "kept $data"; fi
}
trap cleanup EXIT

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# This server is on SQLite in $data, on $port, whatever the environment says.
unset PLN_JOURNEY_DATABASE_URL PLN_JOURNEY_PORT
write_config "$data" "$base" "$port"
config="$data/pln.star"

admin_login=ada
admin_password="journey administrator password"
"$pln" admin members create --admin --name "Ada Admin" --email ada@example.org --handle ada \
    --password "$admin_password" --config "$config" >/dev/null

"$pln" serve --config "$config" >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if "$python" -c "import urllib.request,sys; urllib.request.urlopen('$base/', timeout=1)" 2>/dev/null; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$data/server.log" >&2; exit 1; fi
    sleep 0.1
done
echo "== server at $base (pid $server_pid, data $data)"
fi

# --- Journeys and accessibility checks --------------------------------------------------
set +e
PLN_BASE_URL="$base" PLN_ADMIN_LOGIN="$admin_login" PLN_ADMIN_PASSWORD="$admin_password" PLN_BIN="$pln" PLN_CONFIG="$config" \
    "$python" -m pytest "$here" -p no:cacheprovider -q -rfE --tb=short "$@" | tee "$data/pytest.log"
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 && -f "$data/server.log" ]]; then
    echo "--- last lines of the server log"
    tail -n 30 "$data/server.log" || true
fi
echo "journeys finished in $((SECONDS - started)) s (exit $status)"
# pytest's own summary line last, for whoever reads the closing line.
grep -E '^=*[ ]*[0-9]+ (passed|failed)|^[0-9]+ (passed|failed)' "$data/pytest.log" | tail -n 1 || true
exit $status
