"""Server processes pinned to core 0, Node client processes pinned to core 1."""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
WS_PACKAGE = "ws@8"


def pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *command] if shutil.which("taskset") else command


class ServerProcess:
    """One server process on core 0."""

    def __init__(
        self, mode: str, env: dict[str, str] | None = None, account: tuple[str, str] | None = None
    ) -> None:
        self.mode = mode
        self.probing = bool((env or {}).get("BENCH_PROBE")) and mode != "raw"
        env = {
            **os.environ,
            **(env or {}),
            "PYTHONPATH": f"{BENCH.parent}{os.pathsep}{BENCH.parent / 'src'}",
        }
        command = pinned(0, [sys.executable, str(BENCH / "bench_fanout.py"), "--serve", mode])
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        line = self.process.stdout.readline()
        self.port = int(line.split()[1])
        self.user_id, self.token = "bench", ""
        self._wait_until_serving()
        if mode == "tasklive":
            self.user_id, self.token = account or self.sign_up("bench@example.com")

    def _wait_until_serving(self) -> None:
        """The socket listens already, so the first request waits until the app is up."""
        if self.mode != "raw":
            httpx.get(f"http://127.0.0.1:{self.port}/", timeout=60)

    def sign_up(self, email: str) -> tuple[str, str]:
        body = {"email": email, "password": "bench password"}
        data = httpx.post(f"http://127.0.0.1:{self.port}/api/auth/sign-up", json=body).json()
        return data["user"]["id"], data["access_token"]

    def ws_url(self, user_id: str | None = None, token: str | None = None) -> str:
        if self.mode == "raw":
            return f"ws://127.0.0.1:{self.port}/"
        user_id, token = user_id or self.user_id, token or self.token
        return f"ws://127.0.0.1:{self.port}/ws/{user_id}/chat?token={token}"

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(f"http://127.0.0.1:{self.port}{path}", params=params, timeout=300)
        return response.raise_for_status().json()

    def publish(self, count: int, user_id: str | None = None, pad: int = 0, gap: float = 0) -> None:
        params = {"user_id": user_id or self.user_id, "count": count, "pad": pad, "gap": gap}
        httpx.get(
            f"http://127.0.0.1:{self.port}/bench/publish", params=params, timeout=300
        ).raise_for_status()

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process used so far (taskset execs it)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Clients:
    """One Node process holding `count` sockets on core 1."""

    def __init__(self, url: str, count: int) -> None:
        self.process = subprocess.Popen(
            pinned(1, self.command(url, count)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.said = self._expect("ready", 120)

    def command(self, url: str, count: int) -> list[str]:
        return ["node", str(HERE / "client.mjs"), url, str(count)]

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("clients did not answer")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("clients exited")
        return line.strip()

    def _expect(self, word: str, timeout: float) -> str:
        """What followed `word` on the clients' next line."""
        line = self._line(timeout)
        said, _, rest = line.partition(" ")
        if said != word:
            raise RuntimeError(f"clients said {line!r}, expected {word!r}")
        return rest

    def arm(self, expected: int) -> None:
        self.process.stdin.write(f"arm {expected}\n")
        self.process.stdin.flush()
        self._expect("armed", 30)

    def result(self) -> dict[str, Any]:
        return json.loads(self._line(90))

    def close(self) -> None:
        self.process.stdin.write("close\n")
        self.process.stdin.flush()
        self.process.wait(30)


class BrowserClients(Clients):
    """Idle sockets as browser tabs open them (bench/fanout/ws_client.mjs: Node's `ws` package,
    permessage-deflate offered), `batch` at once; `said` is what the server accepted."""

    def __init__(self, url: str, count: int, batch: int) -> None:
        self.batch = batch
        super().__init__(url, count)

    def command(self, url: str, count: int) -> list[str]:
        script = str(HERE / "ws_client.mjs")
        return ["node", script, url, str(count), str(self.batch), str(ws_package())]


def ws_package() -> Path:
    """A node_modules with the npm registry's `ws` 8, installed once into a temp directory."""
    where = Path(tempfile.gettempdir()) / "tasklive-bench-ws"
    if not (where / "node_modules" / "ws" / "package.json").exists():
        npm = ["npm", "install", "--prefix", str(where), "--no-audit", "--no-fund", WS_PACKAGE]
        subprocess.run(npm, check=True, stdout=subprocess.DEVNULL)
    return where / "node_modules"
