"""Run N Streamlit processes behind Debian's nginx on one port (used by scripts/start.sh, the
load benchmark and the replica tests).

    python deploy/replicas.py --replicas 2 --port 8501 --address 0.0.0.0

Each replica is `streamlit run app.py` on its own 127.0.0.1 port; nginx (config rendered from
deploy/nginx.conf.template into a private folder) listens on the public port, keeps each browser
on one replica with a cookie, passes websockets through and adds the security headers. On one
machine the replicas share the SQLite file in STEUNWIJZER_DATA_DIR (WAL mode); across machines
point STEUNWIJZER_DATABASE_URL at PostgreSQL. Stops everything on SIGTERM/SIGINT and when any
process dies."""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"

# 'wasm-unsafe-eval' lets Streamlit's protobuf library (long.js) compile its small WebAssembly
# helper; it allows no JavaScript eval and nothing a page could inject.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} stopped with exit code {proc.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def start_streamlit(env: dict | None = None, port: int | None = None, address: str = "127.0.0.1",
                    wait: bool = True, log=subprocess.DEVNULL, root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on its own port; returns the process and its URL once it answers."""
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", address, "--server.headless", "true",
                             "--server.maxUploadSize", str(streamlit_upload_limit_mb())],
                            cwd=root, env=env if env is not None else os.environ.copy(), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    if wait:
        try:
            wait_until_up(url + "/_stcore/health", proc)
        except BaseException:
            stop(proc)
            raise
    return proc, url


def stop(proc: subprocess.Popen, seconds: float = 20) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def streamlit_inline_script_hashes() -> list[str]:
    """CSP hashes of the inline <script> blocks in Streamlit's own index.html (one line today),
    so the policy allows exactly those and no other inline script."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return ["'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in blocks]


def content_security_policy() -> str:
    return CSP.format(script_hashes=" ".join(streamlit_inline_script_hashes())).replace("  ", " ")


def render_nginx_config(prefix: Path, listen: str, backends: list[str], max_body_mb: int) -> str:
    upstreams = "\n".join(f"        server {b} max_fails=0;" for b in backends)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {"PREFIX": str(prefix), "LISTEN": listen, "UPSTREAMS": upstreams,
                        "MAX_BODY_MB": str(max_body_mb), "CSP": content_security_policy()}.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed (apt-get install nginx; scripts/start.sh does this)")
    return found


def streamlit_upload_limit_mb() -> int:
    """The app's upload limit (STEUNWIJZER_MAX_UPLOAD_MB, else server.maxUploadSize from
    .streamlit/config.toml): Streamlit gets it, and nginx never refuses less."""
    if os.environ.get("STEUNWIJZER_MAX_UPLOAD_MB", "").isdigit():
        return int(os.environ["STEUNWIJZER_MAX_UPLOAD_MB"])
    match = re.search(r"maxUploadSize\s*=\s*(\d+)", (ROOT / ".streamlit" / "config.toml").read_text())
    return int(match.group(1)) if match else 200


class ReplicaSet:
    """N app processes and one nginx in front. `start()` returns once the proxy answers."""

    def __init__(self, replicas: int, env: dict | None = None, port: int | None = None, address: str = "127.0.0.1",
                 log=subprocess.DEVNULL, root: Path = ROOT) -> None:
        if replicas < 1:
            raise ValueError("at least one replica")
        self.replicas = replicas
        self.env = dict(env if env is not None else os.environ)
        self.port = port or free_port()
        self.address = address
        self.log = log
        self.root = root
        self.apps: list[tuple[subprocess.Popen, str]] = []
        self.nginx: subprocess.Popen | None = None
        self.prefix = Path(tempfile.mkdtemp(prefix="steunwijzer-nginx-"))

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "127.0.0.1") else self.address
        return f"http://{host}:{self.port}"

    @property
    def app_urls(self) -> list[str]:
        return [url for _, url in self.apps]

    @property
    def app_pids(self) -> list[int]:
        return [proc.pid for proc, _ in self.apps]

    def start(self) -> "ReplicaSet":
        # One secret for all replicas: resume codes hash alike, and Streamlit's signed cookies
        # (single sign-on) are valid on every replica.
        self._shared_secrets()
        try:
            started = [start_streamlit(self.env, wait=False, log=self.log, root=self.root) for _ in range(self.replicas)]
            self.apps = started
            for proc, url in started:
                wait_until_up(url + "/_stcore/health", proc)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _shared_secrets(self) -> None:
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        # Create the data folder's secret key once, before the replicas race to create it.
        subprocess.run([sys.executable, "-c", "from steunwijzer.config import get_settings; "
                        "get_settings().resolved_secret_key()"], cwd=self.root, env=self.env, check=True)

    def _start_nginx(self) -> None:
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / sub).mkdir(exist_ok=True)
        backends = [url.removeprefix("http://") for url in self.app_urls]
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_nginx_config(self.prefix, f"{self.address}:{self.port}", backends,
                                            streamlit_upload_limit_mb()))
        if os.geteuid() == 0:  # nginx's workers drop to `nobody`: let them use the temp folders
            import pwd

            nobody = pwd.getpwnam("nobody")
            for path in [self.prefix, *self.prefix.iterdir()]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.nginx = subprocess.Popen([nginx_binary(), "-e", str(self.prefix / "error.log"), "-p", str(self.prefix),
                                       "-c", str(conf), "-g", "daemon off;"], stdout=self.log, stderr=self.log)
        wait_until_up(self.url + "/_stcore/health", self.nginx, seconds=30)

    def alive(self) -> bool:
        procs = [p for p, _ in self.apps] + ([self.nginx] if self.nginx else [])
        return all(p.poll() is None for p in procs)

    def stop(self) -> None:
        if self.nginx is not None:
            stop(self.nginx, seconds=10)
        for proc, _ in self.apps:
            stop(proc)
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self) -> "ReplicaSet":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description="N streamlit processes behind nginx on one port.")
    parser.add_argument("--replicas", type=int, default=None, help="default: STEUNWIJZER_REPLICAS (1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")))
    parser.add_argument("--address", default=os.environ.get("ADDRESS", "0.0.0.0"))
    args = parser.parse_args()
    if args.replicas is None:
        from steunwijzer.config import get_settings

        args.replicas = get_settings().replicas
    stopping = False

    def on_signal(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    group = ReplicaSet(args.replicas, port=args.port, address=args.address, log=None).start()
    print(f"Steunwijzer: {args.replicas} app process(es) behind nginx on http://{args.address}:{args.port}", flush=True)
    try:
        while not stopping and group.alive():
            time.sleep(1)
    finally:
        group.stop()
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
