#!/usr/bin/env python3
"""SQLite against PostgreSQL (one server), and one against three servers behind nginx, on the
same seeded data: pages and writes, req/s and CPU per request of every process that serves them.

    PLN=.build/release/pln python3 scripts/bench-servers.py [SECONDS]

Seeds the small data set on SQLite (`pln admin seed --scale small`), copies it into a throwaway
PostgreSQL cluster (`pln admin database copy`), then loads with wrk (-t2 -c64, SECONDS each, 5 by
default) the home page, the busiest public group's page, and signed-in writes
(benchmarks/lib/write-mix.lua: statuses, and comments on a blog post):

  1. SQLite, one server (direct);
  2. PostgreSQL, one server (direct);
  3. PostgreSQL, one server behind nginx;
  4. PostgreSQL, three servers behind nginx (round robin).

CPU per request is read from /proc (utime + stime) of the pln servers, PostgreSQL's processes
(backends included) and nginx, over each run: robust when the machine is shared, unlike req/s.
The load average is printed before each run. Ports: nginx 8460, servers 8461-8463, PostgreSQL
55461. Stdlib only.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.path.join(ROOT, "benchmarks", "lib")
PLN = os.path.abspath(os.environ.get("PLN", os.path.join(ROOT, ".build", "release", "pln")))
SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
NGINX_PORT, FIRST_PORT, PG_PORT = 8460, 8461, 55461
HZ = os.sysconf("SC_CLK_TCK")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def family(parent):
    """`parent` and its children (PostgreSQL's backends, nginx's workers): other helpers' clusters
    and proxies on this machine are not counted."""
    found = [parent]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def snapshot(groups):
    """{group: {pid: ticks}} for pln servers (given pids) and every postgres / nginx process."""
    result = {}
    for group, pids in groups.items():
        pids = pids() if callable(pids) else pids
        result[group] = {pid: t for pid in pids if (t := cpu_ticks(pid)) is not None}
    return result


def spent(before, after):
    """CPU seconds per group; a process that appeared during the run counts from zero."""
    return {group: sum(t - before[group].get(pid, 0) for pid, t in after[group].items()) / HZ
            for group in after}


def wrk(url, script_env=None):
    command = ["wrk", "-t2", "-c64", f"-d{SECONDS}s", "--latency"]
    env = dict(os.environ)
    if script_env:
        command += ["-s", os.path.join(LIB, "write-mix.lua")]
        env.update(script_env)
    out = subprocess.run(command + [url], capture_output=True, text=True, env=env).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    return requests, int(non2xx.group(1)) if non2xx else 0, p50, p99


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def wait_for(url, process, log):
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            if process.poll() is not None:
                sys.exit(f"server stopped: see {log}")
            time.sleep(0.1)
    sys.exit(f"{url} never answered")


def main():
    work = tempfile.mkdtemp(prefix="pln-bench-servers.")
    config = os.path.join(work, "pln.star")
    with open(config, "w") as f:
        f.write(f"""network(name = "PLN benchmark", base_url = "http://127.0.0.1:{NGINX_PORT}")
server(host = "127.0.0.1", port = int(env("PLN_PORT", "{FIRST_PORT}")), request_log = False, max_connections = 20000)
storage(path = "{work}/pln.sqlite", url = env("DATABASE_URL", ""))
modules("membership", "groups", "cpd", "blog", "moderation", "messages")
""")
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PLN_PORT")}
    started = time.time()
    subprocess.run([PLN, "admin", "seed", "--scale", "small", "--config", config], check=True,
                   capture_output=True, env=base_env)
    print(f"seeded the small data set on SQLite in {time.time() - started:.0f} s")
    targets = json.loads(subprocess.run(["python3", os.path.join(LIB, "targets.py"), f"{work}/pln.sqlite"],
                                        check=True, capture_output=True, text=True).stdout)
    cluster = subprocess.run([os.path.join(ROOT, "scripts", "postgres-cluster.sh"), "start", str(PG_PORT)],
                             check=True, capture_output=True, text=True).stdout.strip()
    servers, nginx_pid = [], None
    try:
        url = subprocess.run([os.path.join(ROOT, "scripts", "postgres-cluster.sh"), "url", cluster],
                             check=True, capture_output=True, text=True).stdout.strip()
        started = time.time()
        subprocess.run([PLN, "admin", "database", "copy", "--to", url, "--config", config], check=True,
                       capture_output=True, env=base_env)
        # `pln admin database copy` runs ANALYZE since this script was written; a binary built
        # before that needs it here (without it the planner scans whole tables for minutes).
        subprocess.run(["psql", url, "-qc", "ANALYZE"], check=True)
        print(f"copied it into PostgreSQL (and analyzed) in {time.time() - started:.0f} s; targets {targets}")
        pages = [("home /", "/"), (f"group page", f"/groups/{targets['group']}")]
        writes = [("write: statuses", "/statuses"),
                  ("write: comments", f"/blog/posts/{targets['blog_post']}/comments")]

        def serve(count, database_url):
            env = dict(base_env)
            if database_url:
                env["DATABASE_URL"] = database_url
            started = []
            for index in range(count):
                env["PLN_PORT"] = str(FIRST_PORT + index)
                log = os.path.join(work, f"server{index}.log")
                process = subprocess.Popen([PLN, "serve", "--config", config], env=dict(env),
                                           stdout=open(log, "w"), stderr=subprocess.STDOUT)
                started.append(process)
                wait_for(f"http://127.0.0.1:{FIRST_PORT + index}/", process, log)
            return started

        def nginx(count):
            upstream = " ".join(f"server 127.0.0.1:{FIRST_PORT + i};" for i in range(count))
            with open(os.path.join(work, "nginx.conf"), "w") as f:
                f.write(f"""pid {work}/nginx.pid; error_log {work}/nginx-error.log; worker_processes 1;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {work}/nb; proxy_temp_path {work}/np;
  fastcgi_temp_path {work}/nf; uwsgi_temp_path {work}/nu; scgi_temp_path {work}/ns;
  upstream pln {{ {upstream} keepalive 64; }}
  server {{ listen 127.0.0.1:{NGINX_PORT};
    location / {{ proxy_pass http://pln; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host $http_host; }} }} }}
""")
            subprocess.run([NGINX, "-c", f"{work}/nginx.conf", "-p", work], check=True)
            time.sleep(0.3)
            with open(f"{work}/nginx.pid") as f:
                return int(f.read().strip())

        def stop(processes, nginx_pid):
            for process in processes:
                process.terminate()
                process.wait()
            if nginx_pid:
                os.kill(nginx_pid, 15)
                time.sleep(0.5)

        with open(os.path.join(cluster, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())

        def measure(label, port, processes, postgres):
            session = json.loads(subprocess.run(
                ["python3", os.path.join(LIB, "session.py"), "--port", str(port), "--login", targets["login"]],
                check=True, capture_output=True, text=True).stdout)
            writer = {"PLN_COOKIE": session["cookie"], "PLN_CSRF": session["csrf"]}
            print(f"\n{label}")
            print(f"  {'':16} {'req/s':>7} {'p50':>8} {'p99':>8} {'non-2xx/3xx':>11} {'pln µs':>7} "
                  f"{'pg µs':>6} {'nginx µs':>8} {'total µs':>8}  load")
            for name, path in pages + writes:
                env = dict(writer, PLN_WRITE_PATHS=path) if name.startswith("write") else None
                groups = {"pln": [p.pid for p in processes],
                          "postgres": (lambda: family(postmaster)) if postgres else [],
                          "nginx": (lambda: family(nginx_pid)) if port == NGINX_PORT else []}
                load = load_average()
                before = snapshot(groups)
                requests, bad, p50, p99 = wrk(f"http://127.0.0.1:{port}{path}", env)
                used = spent(before, snapshot(groups))
                per = {g: used[g] / max(requests, 1) * 1e6 for g in used}
                errors = sum(open(os.path.join(work, f"server{i}.log")).read().count("\n")
                             for i in range(len(processes)))
                print(f"  {name:16} {requests / SECONDS:7.0f} {p50:>8} {p99:>8} {bad:11} {per['pln']:7.0f} "
                      f"{per['postgres']:6.0f} {per['nginx']:8.0f} {sum(per.values()):8.0f}  {load}  (log lines so far: {errors})")

        servers = serve(1, None)
        measure("1. SQLite, one server (direct)", FIRST_PORT, servers, False)
        stop(servers, None)
        servers = serve(1, url)
        measure("2. PostgreSQL, one server (direct)", FIRST_PORT, servers, True)
        nginx_pid = nginx(1)
        measure("3. PostgreSQL, one server behind nginx", NGINX_PORT, servers, True)
        stop(servers, nginx_pid)
        servers, nginx_pid = serve(3, url), None
        nginx_pid = nginx(3)
        measure("4. PostgreSQL, three servers behind nginx", NGINX_PORT, servers, True)
        stop(servers, nginx_pid)
        servers, nginx_pid = [], None
    finally:
        for process in servers:
            process.terminate()
        if nginx_pid:
            try:
                os.kill(nginx_pid, 15)
            except ProcessLookupError:
                pass
        subprocess.run([os.path.join(ROOT, "scripts", "postgres-cluster.sh"), "stop", cluster])
        if os.environ.get("KEEP"):
            print(f"kept {work} (server logs)")
        else:
            shutil.rmtree(work, ignore_errors=True)


main()
