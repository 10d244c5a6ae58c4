"""Read bounced mail and automatic replies into signals: who bounced, hard or soft, who is away, who left.

RFC 3464 delivery-status reports are read with the standard library's `email` package: the per-recipient
Status decides hard (5.x.x) or soft (4.x.x). Bounces that do not follow the standard (qmail, older
Exchange, providers' own texts) go through `flufl.bounce`. Automatic replies are told apart: an ordinary
absence, or a notice that the person has left, with the successor the reply names proposed as a new
contact. A message that is none of these, or cannot be read, is reported, never a crash.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox
import re
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from flufl.bounce import all_failures

MAX_BYTES = 50 * 1024 * 1024


class UnreadableMail(Exception):
    """The file is not an email message or an mbox."""


@dataclass(frozen=True)
class MailSignal:
    kind: str  # hard_bounce, soft_bounce, out_of_office, departure_notice, unreadable
    email: str  # the contact the signal is about ("" for unreadable)
    detail: str  # status and diagnostic, or the reply's subject, in words
    observed_at: dt.datetime | None
    message_id: str = ""
    successor_email: str = ""
    successor_name: str = ""
    new_company: str = ""


# "Has left": phrases in the languages our customers write in. Lower-case; matched against the body.
LEFT_PHRASES = (
    "no longer with",
    "no longer work",
    "has left the company",
    "have left the company",
    "has left the organization",
    "have left the organisation",
    "is no longer employed",
    "am no longer employed",
    "left the company",
    "my last day",
    "nicht mehr bei",
    "nicht mehr im unternehmen",
    "das unternehmen verlassen",
    "nicht mehr für",
    "plus partie de",
    "ne travaille plus",
    "a quitté",
    "ai quitté",
    "ya no trabaj",
    "ya no forma parte",
    "dejé la empresa",
    "mais parte da",
    "mais parte do",
    "não trabalha mais",
    "deixei a empresa",
    "saiu da empresa",
    "non lavora più",
    "non fa più parte",
    "niet meer werkzaam",
    "niet langer werkzaam",
    "ikke længere ansat",
    "har forladt",
    "har slutat",
    "inte längre anställd",
    "退職",
    "退社",
    "離職",
)

AUTO_SUBJECTS = re.compile(
    r"^(automatic reply|auto[- ]?reply|autoreply|out of (the )?office|abwesenheit|abwesend|automatische antwort|"
    r"réponse automatique|absence|respuesta automática|fuera de la oficina|resposta automática|ausente|"
    r"risposta automatica|fuori sede|automatisch antwoord|afwezig|autosvar|fraværende|frånvarande|"
    r"自動応答|自動返信|不在)",
    re.IGNORECASE,
)

EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NEW_COMPANY = re.compile(
    r"(?:joined|joining|now at|moved to|wechsel zu|rejoint|me he unido a)\s+"
    r"(?P<company>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,5})"
)


def read_messages(path: Path) -> list[Message]:
    """The messages in an .eml file or an mbox."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableMail(f"{path.name} is {size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB")
    raw = path.read_bytes()
    if raw.startswith(b"From "):
        box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))
        return [m for m in box if m is not None]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.keys():
        raise UnreadableMail(f"{path.name} is not an email message or an mbox")
    return [message]


def read_bytes(raw: bytes, *, name: str = "upload") -> list[Message]:
    """The messages in uploaded bytes (an .eml or an mbox)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        return read_messages(path)


def signals_from_message(message: Message) -> list[MailSignal]:
    """What one message says about our contacts: nothing (an empty list) for mail that is neither a bounce
    nor an automatic reply."""
    try:
        observed = _date_of(message)
        message_id = str(message.get("Message-ID", "") or "").strip()
        if _is_delivery_report(message):
            found = _from_delivery_report(message, observed, message_id)
            if found:
                return found
        if _looks_like_bounce(message):
            found = _from_nonstandard_bounce(message, observed, message_id)
            if found:
                return found
        if _is_auto_reply(message):
            return [_from_auto_reply(message, observed, message_id)]
        return []  # a newsletter, a human reply: nothing to learn about departures
    except Exception as error:  # a malformed message is reported, never crashes the intake
        return [MailSignal("unreadable", "", f"could not read the message: {error}", None)]


def _date_of(message: Message) -> dt.datetime | None:
    try:
        value = message.get("Date")
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


def _is_delivery_report(message: Message) -> bool:
    return message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type", "")).lower() == "delivery-status"
    )


def _from_delivery_report(message: Message, observed: dt.datetime | None, message_id: str) -> list[MailSignal]:
    signals = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _status_blocks(part):
            recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            status = str(block.get("Status", "")).strip()
            action = str(block.get("Action", "")).strip().lower()
            if not recipient or action in {"delivered", "relayed", "expanded"}:
                continue
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            hard = status.startswith("5") or (action == "failed" and not status.startswith("4"))
            detail = f"{status or action}: {diagnostic}" if diagnostic else (status or action)
            signals.append(
                MailSignal("hard_bounce" if hard else "soft_bounce", recipient, detail[:500], observed, message_id)
            )
    return signals


def _status_blocks(part: Message) -> list[Message]:
    """The per-message and per-recipient header blocks of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [p for p in payload if isinstance(p, Message)]
        if blocks:
            return blocks[1:] if len(blocks) > 1 else blocks
    text = payload if isinstance(payload, str) else part.get_payload(decode=True).decode("utf-8", "replace")
    chunks = [c for c in re.split(r"\r?\n\s*\r?\n", text.strip()) if c.strip()]
    parsed = [email.message_from_string(c, policy=email.policy.compat32) for c in chunks]
    return parsed[1:] if len(parsed) > 1 else parsed


def _address(field: str) -> str:
    value = str(field)
    if ";" in value:
        value = value.split(";", 1)[1]
    return parseaddr(value.strip())[1].strip().lower()


def _looks_like_bounce(message: Message) -> bool:
    sender = str(message.get("From", "")).lower()
    subject = str(message.get("Subject", "")).lower()
    return (
        "mailer-daemon" in sender
        or "postmaster" in sender
        or any(word in subject for word in ("undeliver", "delivery status", "failure notice", "returned mail"))
        or str(message.get("Return-Path", "")).strip() in {"<>", ""}
        and "delivery" in subject
    )


def _from_nonstandard_bounce(message: Message, observed: dt.datetime | None, message_id: str) -> list[MailSignal]:
    temporary, permanent = all_failures(message)
    signals = [
        MailSignal("hard_bounce", a.decode("utf-8", "replace").lower(), "permanent failure", observed, message_id)
        for a in sorted(permanent)
    ]
    signals += [
        MailSignal("soft_bounce", a.decode("utf-8", "replace").lower(), "temporary failure", observed, message_id)
        for a in sorted(temporary - permanent)
    ]
    return signals


def _is_auto_reply(message: Message) -> bool:
    auto = str(message.get("Auto-Submitted", "")).lower()
    return (
        auto.startswith("auto-replied")
        or auto.startswith("auto-generated")
        and not _looks_like_bounce(message)
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or str(message.get("Precedence", "")).lower() == "auto_reply"
        or bool(AUTO_SUBJECTS.match(str(message.get("Subject", "")).strip()))
    )


def _from_auto_reply(message: Message, observed: dt.datetime | None, message_id: str) -> MailSignal:
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    subject = " ".join(str(message.get("Subject", "")).split())
    body = _text_of(message)
    lowered = body.lower()
    if not any(phrase in lowered for phrase in LEFT_PHRASES):
        return MailSignal("out_of_office", sender, subject[:200], observed, message_id)
    name, successor = _successor(body, sender)
    company = NEW_COMPANY.search(body)
    return MailSignal(
        "departure_notice",
        sender,
        subject[:200],
        observed,
        message_id,
        successor_email=successor,
        successor_name=name,
        new_company=_company_name(company.group("company")) if company else "",
    )


def _company_name(text: str) -> str:
    """The company as written, without a sentence's full stop ("Acme Ltd." keeps its abbreviation's)."""
    words = text.split()
    if words and words[-1].endswith(".") and words[-1].count(".") == 1 and len(words[-1]) > 4:
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _successor(body: str, sender: str) -> tuple[str, str]:
    """The first other address the reply names, and the name written just before it (else one made from
    the address: "julien.moreau@…" → "Julien Moreau")."""
    for found in EMAIL_IN_TEXT.finditer(body):
        address = found.group(0).lower()
        if address == sender:
            continue
        line = body[body.rfind("\n", 0, found.start()) + 1 : found.start()]
        return _name_before(line) or _name_from_address(address), address
    return "", ""


CONNECTORS = {"à", "a", "at", "an", "unter", "em", "com", "to", "e-mail", "email", "mail", "via", "or", "oder", "ou"}


def _name_before(text: str) -> str:
    tokens = re.findall(r"[^\s()<>\[\]:,;]+", text)
    while tokens and tokens[-1].lower() in CONNECTORS:
        tokens.pop()
    name: list[str] = []
    while tokens and len(name) < 4 and tokens[-1][:1].isupper() and tokens[-1].replace("-", "").isalpha():
        name.insert(0, tokens.pop())
    return " ".join(name)


def _name_from_address(address: str) -> str:
    local = address.split("@", 1)[0]
    parts = [p for p in re.split(r"[._-]+", local) if p.isalpha()]
    return " ".join(p.capitalize() for p in parts) if len(parts) >= 2 else ""


def _text_of(message: Message) -> str:
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            text = part.get_content()
            return re.sub(r"<[^>]+>", " ", text) if part.get_content_type() == "text/html" else text
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            raw = part.get_payload(decode=True) or b""
            texts.append(raw.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)
