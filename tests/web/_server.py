"""The app under a real uvicorn server on a free local port, in a thread of the test.

For what the test client cannot show: many requests truly at once (the server's own
thread pool), chunked bodies as a socket sends them, and uvicorn's access log.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve `app`; yields its base URL (http://127.0.0.1:<port>) until the block ends."""
    port = _free_port()
    # log_config=None: uvicorn leaves logging alone, so pytest's caplog sees the access log.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                            access_log=True, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
