"""A real SMTP server for tests: accepts every message and appends one JSON line
per message (outbox id, Message-ID, recipients, subject, bodies) to a file before
answering 250, as a mail server takes responsibility for a message."""

import argparse
import asyncio
import json
import os
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str, delay: float, rcpt_delay: float = 0.0):
        self.path = path
        self.delay = delay
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        line = json.dumps(
            {
                "outbox": message["X-Alliance-Outbox"],
                "message_id": message["Message-ID"],
                "to": envelope.rcpt_tos,
                "subject": str(message["Subject"]),
                "list_unsubscribe": message["List-Unsubscribe"],
                "list_unsubscribe_post": message["List-Unsubscribe-Post"],
                "text": text.get_content() if text else "",
                "html": html.get_content() if html else "",
            }
        )
        with open(self.path, "a") as out:
            out.write(line + "\n")
            out.flush()
            os.fsync(out.fileno())
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--rcpt-delay", type=float, default=0.0)
    args = parser.parse_args()
    controller = Controller(
        Recorder(args.out, args.delay, args.rcpt_delay),
        hostname="127.0.0.1",
        port=args.port,
    )
    controller.start()
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
