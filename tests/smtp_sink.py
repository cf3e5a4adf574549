#!/usr/bin/env python3
"""A small SMTP server for the tests (Python standard library only):
every message it accepts is stored as a file in a directory, exactly
as it came after DATA (CRLF line ends kept, dot-stuffing undone), with
its envelope beside it.

    NNNN.eml    the message bytes
    NNNN.json   {"mail_from", "rcpt_tos", "tls", "auth_user", "peer"}
    commands.log  every command line received, one per line, in order
                  (AUTH data replaced by "AUTH ***")

It can offer STARTTLS (--tls-cert/--tls-key) and require it
(--require-tls), speak TLS from the first byte (--smtps), and require
AUTH PLAIN or LOGIN (--auth USER:PASS; offered only inside TLS when TLS
is offered).  Recipients whose local part starts with "reject" get
550, with "defer" 451; a message whose Subject holds "REJECT-ME" gets
554 after its data.

Use it in-process (Sink(...).start(), .stop(), .messages()) or from the
command line: python3 tests/smtp_sink.py --dir DIR [--port N]
[--port-file FILE] ... (prints "listening on PORT").
"""

import argparse
import asyncio
import base64
import json
import os
import ssl
import threading

MAX_LINE = 1 << 20          # bytes of one command or data line
MAX_MESSAGE = 32 << 20      # bytes of one message


class Session:
    """One SMTP conversation."""

    def __init__(self, sink, reader, writer, tls):
        self.sink = sink
        self.reader = reader
        self.writer = writer
        self.tls = tls
        self.auth_user = None
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpt_tos = []

    async def reply(self, text):
        self.writer.write(text.encode("ascii") + b"\r\n")
        await self.writer.drain()

    async def readline(self):
        line = await self.reader.readuntil(b"\n")
        if len(line) > MAX_LINE:
            raise ValueError("line too long")
        return line

    def may_auth(self):
        return self.sink.auth is not None and (
            self.tls or self.sink.tls_context is None)

    async def ehlo(self, arg):
        lines = ["sink.test", "SIZE %d" % MAX_MESSAGE]
        if self.sink.tls_context is not None and not self.tls:
            lines.append("STARTTLS")
        if self.may_auth():
            lines.append("AUTH PLAIN LOGIN")
        lines.append("HELP")
        for i, line in enumerate(lines):
            await self.reply("250%s%s" % (" " if i == len(lines) - 1
                                         else "-", line))

    async def starttls(self):
        if self.sink.tls_context is None or self.tls:
            return await self.reply("502 5.5.1 STARTTLS not available")
        await self.reply("220 2.0.0 Ready to start TLS")
        await self.writer.start_tls(self.sink.tls_context)
        self.tls = True
        self.auth_user = None
        self.reset()

    async def auth(self, arg):
        if not self.may_auth():
            return await self.reply("503 5.5.1 AUTH not available")
        parts = arg.split()
        mech = parts[0].upper() if parts else ""
        if mech == "PLAIN":
            if len(parts) > 1:
                data = parts[1]
            else:
                await self.reply("334 ")
                data = (await self.readline()).decode().strip()
            try:
                _, user, password = base64.b64decode(data).decode().split(
                    "\0")
            except ValueError:
                return await self.reply("501 5.5.2 Cannot decode")
        elif mech == "LOGIN":
            await self.reply("334 VXNlcm5hbWU6")
            user = base64.b64decode(await self.readline()).decode()
            await self.reply("334 UGFzc3dvcmQ6")
            password = base64.b64decode(await self.readline()).decode()
        else:
            return await self.reply("504 5.5.4 Unrecognized mechanism")
        if (user, password) != self.sink.auth:
            return await self.reply("535 5.7.8 Authentication credentials "
                                    "invalid")
        self.auth_user = user
        await self.reply("235 2.7.0 Authentication successful")

    def refusal(self):
        """Why MAIL is refused now, or None."""
        if self.sink.require_tls and not self.tls:
            return "530 5.7.0 Must issue a STARTTLS command first"
        if self.sink.auth is not None and self.auth_user is None:
            return "530 5.7.0 Authentication required"
        return None

    async def mail(self, arg):
        why = self.refusal()
        if why:
            return await self.reply(why)
        if not arg.upper().startswith("FROM:<") or ">" not in arg:
            return await self.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
        self.reset()
        self.mail_from = arg[6:arg.index(">")]
        await self.reply("250 2.1.0 Ok")

    async def rcpt(self, arg):
        if self.mail_from is None:
            return await self.reply("503 5.5.1 Need MAIL first")
        if not arg.upper().startswith("TO:<") or ">" not in arg:
            return await self.reply("501 5.5.4 Syntax: RCPT TO:<address>")
        addr = arg[4:arg.index(">")]
        if addr.startswith("reject"):
            return await self.reply("550 5.1.1 <%s>: Recipient address "
                                    "rejected: User unknown" % addr)
        if addr.startswith("defer"):
            return await self.reply("451 4.2.0 <%s>: Try again later"
                                    % addr)
        self.rcpt_tos.append(addr)
        await self.reply("250 2.1.5 Ok")

    async def data(self):
        if not self.rcpt_tos:
            return await self.reply("503 5.5.1 Need RCPT first")
        await self.reply("354 End data with <CR><LF>.<CR><LF>")
        chunks, size = [], 0
        while True:
            line = await self.readline()
            if line == b".\r\n":
                break
            if line.startswith(b"."):
                line = line[1:]        # RFC 5321 4.5.2
            size += len(line)
            if size > MAX_MESSAGE:
                raise ValueError("message too large")
            chunks.append(line)
        message = b"".join(chunks)
        if b"REJECT-ME" in message.split(b"\r\n\r\n", 1)[0]:
            self.reset()
            return await self.reply("554 5.7.1 Message content rejected")
        n = self.sink.store(message, {
            "mail_from": self.mail_from, "rcpt_tos": self.rcpt_tos,
            "tls": self.tls, "auth_user": self.auth_user,
            "peer": self.writer.get_extra_info("peername")[0]})
        self.reset()
        await self.reply("250 2.0.0 Ok: queued as SINK%04d" % n)

    async def run(self):
        await self.reply("220 sink.test ESMTP test sink")
        while True:
            raw = await self.readline()
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            self.sink.log(("AUTH ***" if verb == "AUTH" else line),
                          raw.endswith(b"\r\n"))
            if verb in ("EHLO", "HELO"):
                await (self.ehlo(arg) if verb == "EHLO"
                       else self.reply("250 sink.test"))
            elif verb == "STARTTLS":
                await self.starttls()
            elif verb == "AUTH":
                await self.auth(arg)
            elif verb == "MAIL":
                await self.mail(arg)
            elif verb == "RCPT":
                await self.rcpt(arg)
            elif verb == "DATA":
                await self.data()
            elif verb == "RSET":
                self.reset()
                await self.reply("250 2.0.0 Ok")
            elif verb == "NOOP":
                await self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                await self.reply("221 2.0.0 Bye")
                return
            else:
                await self.reply("502 5.5.2 Command not recognized")


class Sink:
    """The server, run by its own event loop in a thread of its own."""

    def __init__(self, directory, host="127.0.0.1", port=0, tls_cert=None,
                 tls_key=None, require_tls=False, smtps=False, auth=None):
        self.dir = directory
        self.host = host
        self.port = port
        self.require_tls = require_tls
        self.smtps = smtps
        self.auth = tuple(auth.split(":", 1)) if auth else None
        self.tls_context = None
        if tls_cert:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(tls_cert, tls_key)
            self.tls_context = ctx
        self.count = 0
        self.lock = threading.Lock()
        self.loop = None
        self.server = None
        self.thread = None
        os.makedirs(directory, exist_ok=True)

    def store(self, message, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.dir, "%04d" % n)
        for ext, data in ((".json", json.dumps(envelope).encode()),
                          (".eml", message)):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + ext + ".tmp", base + ext)
        return n

    def log(self, line, crlf):
        with self.lock, open(os.path.join(self.dir, "commands.log"),
                             "a") as f:
            f.write(line + ("" if crlf else "  [bare LF]") + "\n")

    async def handle(self, reader, writer):
        try:
            await Session(self, reader, writer, self.smtps).run()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError,
                ssl.SSLError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def start(self):
        """Listen (port 0 picks one: see .port) and serve in a thread."""
        ready = threading.Event()

        def serve():
            self.loop = asyncio.new_event_loop()
            ctx = self.tls_context if self.smtps else None
            self.server = self.loop.run_until_complete(asyncio.start_server(
                self.handle, self.host, self.port, ssl=ctx,
                limit=MAX_LINE + 2))
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)
        return self

    def stop(self):
        if self.loop is None:
            return
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def messages(self):
        """[(envelope dict, message bytes)] in the order received."""
        out = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".eml"):
                base = os.path.join(self.dir, name[:-4])
                with open(base + ".json") as f:
                    env = json.load(f)
                with open(base + ".eml", "rb") as f:
                    out.append((env, f.read()))
        return out

    def commands(self):
        try:
            with open(os.path.join(self.dir, "commands.log")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--require-tls", action="store_true")
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--auth", metavar="USER:PASS")
    a = ap.parse_args()
    sink = Sink(a.dir, a.host, a.port, a.tls_cert, a.tls_key, a.require_tls,
                a.smtps, a.auth).start()
    if a.port_file:
        with open(a.port_file, "w") as f:
            f.write("%d\n" % sink.port)
    print("listening on %d" % sink.port, flush=True)
    try:
        sink.thread.join()
    except KeyboardInterrupt:
        sink.stop()


if __name__ == "__main__":
    main()
