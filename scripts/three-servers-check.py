#!/usr/bin/env python3
"""The checks of scripts/three-servers.sh once its servers run behind nginx (see that script).

    three-servers-check.py NGINX_PORT VICTIM_PID DATABASE_URL PLN CONFIG MAIL_FOLDER SERVER_PIDS

Stdlib only; talks to PostgreSQL with psql. Prints what it saw, ends with PASS or FAIL (exit 1).
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

JOBS, MAILS = 120, 150  # one-off jobs and outbox messages, due over the first seconds
STREAM_SECONDS, KILL_AFTER = 8.0, 3.0
port, victim, url, pln, config, mail_folder, server_pids = sys.argv[1:8]
victim, server_pids = int(victim), server_pids.split(",")
nginx = f"http://127.0.0.1:{port}"


def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(nginx + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")[:300]
    except Exception as error:
        return 0, str(error)


def psql(sql):
    return subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()


def sign_in(login, password):
    status, session = call("POST", "/api/v1/sessions", {"login": login, "password": password})
    assert status in (200, 201), (login, status, session)
    return session["token"]


failures = []


def check(ok, message):
    print(("ok    " if ok else "FAIL  ") + message)
    if not ok:
        failures.append(message)


ada = sign_in("ada", "journey administrator password")
bob = sign_in("bob@school.example", "a long passphrase")

# --- An attended CPD session: its follow-up job mails the attendee once per run. ------------
starts = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
status, session = call("POST", "/api/v1/cpd/sessions", {
    "title": "Three servers: phonics twilight", "description": "A session to follow up.", "areas": ["Phonics"],
    "starts": starts.strftime("%Y-%m-%dT%H:%M:%S"), "time_zone": "UTC", "duration_minutes": 60,
    "host_school": "Hilltop Primary", "venue": "Hall", "capacity": 5}, ada)
assert status == 201, (status, session)
status, booking = call("POST", f"/api/v1/cpd/sessions/{session['id']}/bookings", None, bob)
assert status == 201, (status, booking)
time.sleep(max(0.0, (starts - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.2)
status, register = call("PUT", f"/api/v1/cpd/sessions/{session['id']}/attendance",
                        {"present": [booking["member_id"]]}, ada)
assert status == 200, (status, register)
payload = f"{session['id']}:{booking['member_id']}"
follow_up_link = f"/cpd/sessions/{session['id']}/follow-up"

# --- JOBS one-off jobs and MAILS messages, due over the stream's first seconds. -------------
now_ms = int(time.time() * 1000)
psql(f"""INSERT INTO jobs (name, payload, run_at)
         SELECT 'cpd.follow_up', '{payload}', {now_ms} + (g % 6) * 1000 FROM generate_series(1, {JOBS}) g""")
psql(f"""INSERT INTO outbox (to_address, subject, body, created_at, next_attempt_at)
         SELECT 'reader' || g || '@school.example', 'three-servers mail ' || g, 'Hello', {now_ms},
                {now_ms} + (g % 6) * 1000 FROM generate_series(1, {MAILS}) g""")
print(f"== {JOBS} follow-up jobs ({payload}) and {MAILS} messages scheduled")

# --- The write stream, claimers beside the servers' schedulers, and the kill. ----------------
acknowledged, refused, failed = [], [], []
lock = threading.Lock()
after_kill = {"answered": 0, "unanswered": 0}
killed = threading.Event()
deadline = time.time() + STREAM_SECONDS


def writer(number):
    i = 0
    while time.time() < deadline:
        i += 1
        body = f"stream {number}-{i}"
        status, answer = call("POST", "/api/v1/statuses", {"body": body}, ada)
        with lock:
            if status == 201:
                acknowledged.append(body)
            elif status == 0:
                failed.append((body, answer))
            else:
                refused.append((body, status))
            if killed.is_set():
                after_kill["answered" if status != 0 else "unanswered"] += 1


def claimer(command):
    while time.time() < deadline:
        subprocess.run([pln, "admin", *command, "--config", config], capture_output=True)


claimants = set()


def watch_claims():
    """Which processes hold our jobs while the stream runs (owner: host:pid:nonce)."""
    while time.time() < deadline:
        for owner in psql(f"SELECT DISTINCT locked_by FROM jobs WHERE name = 'cpd.follow_up' "
                          f"AND status = 'running' AND payload = '{payload}'").splitlines():
            claimants.add(owner.split(":")[1])
        time.sleep(0.1)


threads = [threading.Thread(target=writer, args=(n,)) for n in range(5)] + [threading.Thread(target=watch_claims)]
threads += [threading.Thread(target=claimer, args=(c,)) for c in (["jobs", "run"], ["outbox", "deliver"],
                                                                   ["outbox", "deliver"])]
for thread in threads:
    thread.start()
time.sleep(KILL_AFTER)
os.kill(victim, signal.SIGKILL)
killed.set()
print(f"== killed server pid {victim} with SIGKILL in the middle of the write stream")
for thread in threads:
    thread.join()

# --- Let the live servers finish what is due, then deliver what is left. ---------------------
victim_jobs = f"status = 'running' AND locked_by LIKE '%:{victim}:%'"
our_jobs = f"name = 'cpd.follow_up' AND payload = '{payload}' AND run_at < {now_ms + 86_400_000}"
for _ in range(60):
    left = int(psql(f"SELECT count(*) FROM jobs WHERE {our_jobs} AND NOT ({victim_jobs})"))
    if left == 0:
        break
    subprocess.run([pln, "admin", "jobs", "run", "--config", config], capture_output=True)
    time.sleep(0.5)
# A live server may be sending a batch it claimed: wait until the outbox stops moving.
pending_sql = "SELECT count(*) FROM outbox WHERE status = 'pending'"
last = None
for _ in range(20):
    subprocess.run([pln, "admin", "outbox", "deliver", "--config", config], capture_output=True)
    now = (psql(pending_sql), len(os.listdir(mail_folder)))
    if now == last:
        break
    last = now
    time.sleep(1)

# --- Writes. ----------------------------------------------------------------------------------
stored = psql("SELECT body FROM membership_statuses WHERE body LIKE 'stream %'").splitlines()
missing = [b for b in acknowledged if b not in stored]
twice = len(stored) - len(set(stored))
unacknowledged_stored = [b for b, _ in refused + failed if b in stored]
print(f"writes: acknowledged {len(acknowledged)}, refused {len(refused)}, no answer {len(failed)}; "
      f"stored {len(stored)}; not acknowledged but stored (in flight on the killed server): "
      f"{len(unacknowledged_stored)}")
if refused:
    print("   refused:", refused[:5])
if failed:
    print("   no answer:", failed[:5])
check(not missing, f"every acknowledged write is stored (missing: {missing[:5]})")
check(twice == 0, f"no write is stored twice ({twice})")
check(after_kill["answered"] > 0 and after_kill["unanswered"] == 0,
      f"after the kill: {after_kill['answered']} requests answered, {after_kill['unanswered']} unanswered")
with urllib.request.urlopen(nginx + "/", timeout=10) as home:
    check(home.status == 200, f"home page through nginx after the kill: {home.status}")

# --- Jobs: each ran once. ----------------------------------------------------------------------
held = int(psql(f"SELECT count(*) FROM jobs WHERE {our_jobs} AND {victim_jobs}"))
left = int(psql(f"SELECT count(*) FROM jobs WHERE {our_jobs} AND NOT ({victim_jobs})"))
mails = int(psql(f"""SELECT count(*) FROM outbox
                     WHERE to_address = 'bob@school.example' AND body LIKE '%{follow_up_link}%'"""))
servers = {str(p) for p in server_pids}
print(f"jobs: {JOBS} scheduled; seen running in {len(claimants)} processes "
      f"({len(claimants & servers)} of the servers, {len(claimants - servers)} `pln admin jobs run`); "
      f"{held} held by the killed server (run again after their lease); {mails} follow-up mails")
check(left == 0, f"every job not held by the killed server ran ({left} left)")
check(JOBS - held <= mails <= JOBS and (held > 0 or mails == JOBS),
      f"one follow-up mail per job run: {mails} mails for {JOBS} jobs ({held} held)")

# --- Mail: each message went out once. ---------------------------------------------------------
subjects = []
for name in os.listdir(mail_folder):
    with open(os.path.join(mail_folder, name), encoding="utf-8") as message:
        subjects += [line[9:].strip() for line in message if line.startswith("Subject: three-servers mail ")]
counts = {}
for subject in subjects:
    counts[subject] = counts.get(subject, 0) + 1
sent_twice = [s for s, n in counts.items() if n > 1]
leased = int(psql("SELECT count(*) FROM outbox WHERE subject LIKE 'three-servers mail %' AND status = 'pending'"))
sent = int(psql("SELECT count(*) FROM outbox WHERE subject LIKE 'three-servers mail %' AND status = 'sent'"))
print(f"mail: {MAILS} scheduled; {len(counts)} distinct reached sendmail, {len(subjects)} in all; "
      f"{sent} marked sent; {leased} pending (held by the killed server until their lease)")
check(not sent_twice, f"no message went out twice ({sent_twice[:5]})")
check(len(counts) + leased == MAILS and sent == len(counts) and leased <= 20,
      f"every message went out, or is held by the killed server ({len(counts)} + {leased} of {MAILS})")
bob_files = sum(1 for name in os.listdir(mail_folder)
                if follow_up_link in open(os.path.join(mail_folder, name), encoding="utf-8").read())
bob_sent = int(psql(f"""SELECT count(*) FROM outbox WHERE to_address = 'bob@school.example'
                        AND body LIKE '%{follow_up_link}%' AND status = 'sent'"""))
check(bob_files == bob_sent, f"follow-up mails: {bob_files} reached sendmail, {bob_sent} marked sent")

print("PASS" if not failures else f"FAIL: {len(failures)} checks failed")
sys.exit(1 if failures else 0)
