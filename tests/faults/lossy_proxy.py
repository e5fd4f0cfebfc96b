"""A TCP proxy on loopback in front of PostgreSQL that loses replies after the commit.

The client's bytes always reach the server. On the way back the proxy reads the server's messages (type byte,
four-byte length, body); when it meets the CommandComplete of a COMMIT it draws at random, and for the chosen
share it closes both sides instead of passing the reply on: the transaction is committed, the client never
hears so. Clients must connect with sslmode=disable and gssencmode=disable so that the stream is plain messages.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from urllib.parse import urlencode

from sqlalchemy.engine import make_url

_COMMIT_DONE = b"C"
_COMMIT_TAG = b"COMMIT\x00"


def upstream_address(url: str) -> tuple[int, object]:
    """(address family, address) of the server a libpq-style URL names: a unix socket or host and port."""
    u = make_url(url)
    host = u.query.get("host") or u.host or "localhost"
    port = u.port or int(u.query.get("port") or 5432)
    if host.startswith("/"):
        return socket.AF_UNIX, f"{host}/.s.PGSQL.{port}"
    return socket.AF_INET, (host, port)


class LossyProxy:
    def __init__(self, upstream_url: str, drop_share: float, seed: int = 1) -> None:
        self._family, self._address = upstream_address(upstream_url)
        self.drop_share = drop_share
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.commits_seen = 0
        self.replies_dropped = 0
        self._closed = False
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        """The same URL, pointed at the proxy."""
        u = make_url(url)
        query = {k: v for k, v in u.query.items() if k not in ("host", "port")}
        query.update(sslmode="disable", gssencmode="disable")
        return u.set(host="127.0.0.1", port=self.port, query={}).render_as_string(hide_password=False) + "?" + urlencode(query)

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for sock in list(self._sockets):
            _close(sock)

    def __enter__(self) -> LossyProxy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.socket(self._family, socket.SOCK_STREAM)
            try:
                server.connect(self._address)
            except OSError:
                _close(client)
                continue
            self._sockets.update((client, server))
            threading.Thread(target=self._pump_requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump_replies, args=(server, client), daemon=True).start()

    def _pump_requests(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while chunk := client.recv(65536):
                server.sendall(chunk)
        except OSError:
            pass
        self._hang_up(client, server)

    def _pump_replies(self, server: socket.socket, client: socket.socket) -> None:
        pending = b""
        try:
            while chunk := server.recv(65536):
                pending += chunk
                ready, pending, lose = self._split(pending)
                client.sendall(ready)
                if lose:
                    break
        except OSError:
            pass
        self._hang_up(client, server)

    def _split(self, data: bytes) -> tuple[bytes, bytes, bool]:
        """(whole messages to pass on, the incomplete rest, whether to lose the reply that follows them)."""
        at = 0
        while len(data) - at >= 5:
            kind = data[at:at + 1]
            (length,) = struct.unpack_from("!I", data, at + 1)
            end = at + 1 + length
            if end > len(data):
                break
            if kind == _COMMIT_DONE and data[at + 5:end] == _COMMIT_TAG and self._lose_this_one():
                return data[:at], b"", True
            at = end
        return data[:at], data[at:], False

    def _lose_this_one(self) -> bool:
        with self._random_lock:
            self.commits_seen += 1
            lose = self._random.random() < self.drop_share
            self.replies_dropped += lose
            return lose

    def _hang_up(self, client: socket.socket, server: socket.socket) -> None:
        for sock in (client, server):
            self._sockets.discard(sock)
            _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
