"""`ttx serve` puts the console on a local web page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_with_the_terminal_page_on_loopback() -> None:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from tui.cli import main; main()",
        "serve",
        str(ROOT / "scenarios" / "tutorial.yaml"),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.2)
        assert "textual.js" in page
        assert "cbrn-ttx" in page
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
