"""Mail servers on the loopback, in threads, for the fault tests: one that records, one that hangs, none at all.

``RecordingSMTPServer`` speaks just enough SMTP for Django's SMTP backend
(greeting, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it was
given; ``rcpt_reply`` makes it refuse recipients (``"550 …"`` for good,
``"451 …"`` for now). ``HangingSMTPServer`` accepts connections and never
says a word, like a mail server stuck behind a firewall that drops packets.
"""

import socket
import socketserver
import threading


class _SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 10  # a client that goes silent does not hold the thread for ever

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test.invalid ESMTP")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test.invalid")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply(self.server.rcpt_reply)
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with self.server.lock:
                    self.server.received.append((recipients, b"".join(data)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class RecordingSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.port = self.server_address[1]
        self.received = []
        self.lock = threading.Lock()
        self.rcpt_reply = "250 OK"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class HangingSMTPServer:
    """Accepts every connection and never answers (connections are held until the server stops)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.socket.getsockname()[1]
        self.held = []
        self.accepted = 0

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)
            self.accepted += 1

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.socket.close()
        for connection in self.held:
            connection.close()


def closed_port():
    """A loopback port nobody listens on: connecting is refused, as with a stopped mail server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
