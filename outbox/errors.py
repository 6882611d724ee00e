"""Why a delivery failed, in words staff can act on, and whether trying again can help."""

import smtplib
import socket

from django.conf import settings
from django.core.mail import BadHeaderError
from django.utils.translation import gettext as _


def _reply(code, text):
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def _smtp_reply(error):
    return _reply(error.smtp_code, error.smtp_error)


def describe(error):
    """A French sentence for the listing, with the technical detail in brackets."""
    detail = f"{type(error).__name__} : {error}".strip().rstrip(":")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{address} : {_reply(*reply)}" for address, reply in error.recipients.items())
        return _("Le serveur d'envoi refuse le ou les destinataires (%(replies)s).") % {"replies": replies}
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("Le serveur d'envoi refuse l'identifiant ou le mot de passe (%(reply)s).") % {
            "reply": _smtp_reply(error)
        }
    if isinstance(error, smtplib.SMTPResponseException):
        return _("Le serveur d'envoi a répondu par une erreur (%(reply)s).") % {"reply": _smtp_reply(error)}
    # smtplib reports a silent server as "Connection unexpectedly closed: timed out".
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return _("Le serveur d'envoi ne répond pas (délai de %(seconds)s s dépassé).") % {
            "seconds": settings.EMAIL_TIMEOUT
        }
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _("Le serveur d'envoi a coupé la connexion (%(detail)s).") % {"detail": detail}
    if isinstance(error, ConnectionRefusedError):
        return _("Le serveur d'envoi refuse la connexion : est-il arrêté ? (%(detail)s)") % {"detail": detail}
    if isinstance(error, socket.gaierror):
        return _("Le nom du serveur d'envoi est introuvable (%(detail)s).") % {"detail": detail}
    if isinstance(error, OSError):
        return _("Erreur réseau vers le serveur d'envoi (%(detail)s).") % {"detail": detail}
    if isinstance(error, BadHeaderError):
        return _("Message invalide : un retour à la ligne dans l'objet ou une adresse (%(detail)s).") % {
            "detail": detail
        }
    if isinstance(error, ValueError):
        return _("Message invalide, impossible à envoyer (%(detail)s).") % {"detail": detail}
    return _("Erreur inattendue pendant l'envoi (%(detail)s).") % {"detail": detail}


def is_permanent(error):
    """True when trying again cannot help: a 5xx answer from the server, or a message that cannot be built."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError)
    return isinstance(error, ValueError) and not isinstance(error, OSError)
