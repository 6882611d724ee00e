"""A message as the outbox keeps it (its MIME bytes) and back again, for any Django e-mail backend.

The bytes are produced once, when the message is queued, with the Date and
Message-ID it will keep through every retry (a recipient's server that sees a
message twice can tell it is the same one). ``StoredEmail`` hands those bytes
to the real backend unchanged; its attributes (subject, body, alternatives,
attachments) are read back from them, so the in-memory backend of the tests
shows exactly what a mail server would receive.
"""

import email
import email.policy

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import EmailAlternative, EmailAttachment


def mime_bytes(message):
    """The message as the SMTP server receives it (CRLF line ends); raises BadHeaderError on a broken header."""
    return message.message().as_bytes(linesep="\r\n")


class RawMIME:
    """The stored bytes, with what the backends call on ``EmailMessage.message()``'s result."""

    def __init__(self, raw):
        self.raw = raw

    def as_bytes(self, unixfrom=False, linesep="\n"):
        lines = self.raw.replace(b"\r\n", b"\n")
        return lines if linesep == "\n" else lines.replace(b"\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n"):
        return self.as_bytes(linesep=linesep).decode("utf-8", "replace")

    def get_charset(self):
        return None


def _addresses(parsed, name):
    header = parsed.get(name)
    return [str(address) for address in header.addresses] if header is not None else []


def _text(content):
    return content.replace("\r\n", "\n") if isinstance(content, str) else content


class StoredEmail(EmailMultiAlternatives):
    """An ``EmailMessage`` whose ``message()`` is the stored MIME and whose envelope is the stored one."""

    def __init__(self, raw, from_email, recipients):
        raw = bytes(raw)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        super().__init__(
            subject=str(parsed.get("Subject", "")).strip(),  # folding may leave a leading space
            from_email=from_email,
            to=_addresses(parsed, "To"),
            cc=_addresses(parsed, "Cc"),
            reply_to=_addresses(parsed, "Reply-To"),
        )
        self.raw = raw
        self.envelope = list(recipients)
        self.extra_headers = {key: str(value) for key, value in parsed.items() if key.lower() == "auto-submitted"}
        body = None
        for part in parsed.walk():
            if part.is_multipart():
                continue
            mimetype = part.get_content_type()
            content = _text(part.get_content())
            if part.get_filename() or part.get_content_disposition() == "attachment":
                self.attachments.append(EmailAttachment(part.get_filename(), content, mimetype))
            elif body is None and mimetype == "text/plain":
                body = content
            else:
                self.alternatives.append(EmailAlternative(content, mimetype))
        self.body = body or ""

    def message(self):
        return RawMIME(self.raw)

    def recipients(self):
        return self.envelope
