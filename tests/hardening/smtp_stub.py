"""A tiny SMTP server for tests: accepts mail, or refuses the next N messages with 554."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stub:
    port: int = 0
    refusals: int = 0  # how many of the next messages get "554" to MAIL FROM
    accepted: list[bytes] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Session(socketserver.StreamRequestHandler):
    def _say(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        stub: Stub = self.server.stub  # type: ignore[attr-defined]
        self._say(b"220 stub.test ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self._say(b"250 stub.test")
            elif verb == b"MAIL":
                with stub.lock:
                    refuse = stub.refusals > 0
                    if refuse:
                        stub.refusals -= 1
                        stub.refused += 1
                self._say(b"554 5.7.1 Message refused" if refuse else b"250 OK")
            elif verb in (b"RCPT", b"RSET", b"NOOP"):
                self._say(b"250 OK")
            elif verb == b"DATA":
                self._say(b"354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk)
                with stub.lock:
                    stub.accepted.append(b"".join(body))
                self._say(b"250 OK queued")
            elif verb == b"QUIT":
                self._say(b"221 Bye")
                return
            else:
                self._say(b"502 Command not implemented")


@contextmanager
def smtp_stub(refusals: int = 0) -> Iterator[Stub]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Session)
    server.daemon_threads = True
    stub = Stub(port=server.server_address[1], refusals=refusals)
    server.stub = stub  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
