"""A small TCP relay for bench/cluster.py: listens on one address and passes each
connection to one of several backends, round-robin, skipping a backend that refuses
(marked down for a few seconds, as a load balancer's health check would). It is the
cluster bench's load balancer in front of the web hosts, and with a single backend its
bridge to PostgreSQL and Redis, which listen on the host's 127.0.0.1 only.

    python bench/tcp_relay.py LISTEN_HOST:PORT BACKEND_HOST:PORT [BACKEND_HOST:PORT ...]

A connection already passed to a backend that then dies is closed (its client sees the
error): requests in flight on a killed host fail, as they would behind a real balancer.
Each new connection goes to a live backend. SIGTERM stops it; it prints, on stdout, a
JSON line of connections per backend when it stops.
"""

import asyncio
import itertools
import json
import signal
import sys
import time

DOWN_SECONDS = 2.0
CONNECT_TIMEOUT = 3.0


def address(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host, int(port)


class Relay:
    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.down_until = [0.0] * len(backends)
        self.connections = [0] * len(backends)
        self.refused = 0

    async def open_backend(self):
        """The next backend that accepts; one marked down is skipped while another is up."""
        now = time.monotonic()
        first = next(self.turn)
        order = [(first + i) % len(self.backends) for i in range(len(self.backends))]
        order.sort(key=lambda index: self.down_until[index] > now)  # stable: round-robin among the up ones
        for index in order:
            try:
                streams = await asyncio.wait_for(asyncio.open_connection(*self.backends[index]), CONNECT_TIMEOUT)
            except (TimeoutError, OSError):
                self.down_until[index] = time.monotonic() + DOWN_SECONDS
                continue
            self.connections[index] += 1
            return streams
        return None

    async def handle(self, client_reader, client_writer):
        backend = await self.open_backend()
        if backend is None:
            self.refused += 1
            client_writer.close()
            return
        backend_reader, backend_writer = backend

        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, backend_writer), pipe(backend_reader, client_writer))


async def main(listen: str, backends: list[str]) -> None:
    relay = Relay([address(b) for b in backends])
    host, port = address(listen)
    server = await asyncio.start_server(relay.handle, host, port, reuse_address=True, backlog=512)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    async with server:
        await stopped.wait()
    print(json.dumps({"connections": dict(zip(backends, relay.connections, strict=True)), "refused": relay.refused}))
    sys.stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
