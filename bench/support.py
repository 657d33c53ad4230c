"""What the benchmarks share: a scratch PostgreSQL database, the portal's CLI in a separate
environment, gunicorn processes, wrk, and resident memory of a process tree."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(name: str) -> str:
    """Drop and create `name` on the local PostgreSQL; returns its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def portal_env(instance: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "INSTANCE_PATH": str(instance), "DATABASE_URL": database_url, "CROCEVIA_CONFIG": "production",
        "SECRET_KEY": "bench-" + "x" * 40, "PUBLIC_URL": "https://crocevia.example",
        "TRUSTED_HOSTS": "127.0.0.1,localhost,crocevia.example", "JOBS_RUNNER": "off", "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


class Gunicorn:
    """`app` ("wsgi:app", "hello:app") under gunicorn with the portal's settings."""

    def __init__(self, app: str, env: dict[str, str], workers: int = 2, cwd: Path = ROOT) -> None:
        self.port = free_port()
        env = {
            **env,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(workers),
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:portal.gunicorn_conf", app], cwd=cwd, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        self.wait_ready()

    def wait_ready(self, path: str = "/", seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + path, timeout=2).read()
                return
            except Exception:
                time.sleep(0.2)
        raise SystemExit(f"{self.url} did not come up")

    def rss_mb(self) -> list[float]:
        """Resident memory of each worker (the children of the master), in MB."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        sizes = []
        for pid in children.split():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url: str, seconds: int = 8, connections: int = 8, threads: int = 2) -> float:
    """Requests per second that wrk measures (a warm-up run first)."""
    subprocess.run(["wrk", "-t1", "-c2", "-d1s", url], capture_output=True)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url],
                         capture_output=True, text=True).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not match or errors:
        raise SystemExit(f"wrk failed on {url}:\n{out}")
    return float(match.group(1))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def python() -> str:
    return str(BIN / "python") if (BIN / "python").exists() else sys.executable
