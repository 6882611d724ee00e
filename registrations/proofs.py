"""Eligibility proofs uploaded for a tier « justificatif à téléverser »: what a file must be, and its life.

The one place for the proof rules:

- **What is accepted**: a PDF, JPEG or PNG, recognised by its first bytes
  (a file merely named ``.pdf`` is refused), images also decoded by Pillow,
  at most ``settings.PROOF_MAX_UPLOAD_SIZE`` (5 Mo), never empty
  (``check_file``, used by the form field ``ProofFileField`` and again by
  ``attach_proofs``).
- **Where it goes**: the private storage (``private_storage.py``), a random
  name, never under ``MEDIA_URL``; staff with the registrations permission
  download it through ``admin/proofs.py``.
- **Who checks it**: staff mark it « vérifié » (``verify_proof``: who, when).
- **How long it stays**: until the registration is cancelled, refused or
  anonymised, or the seat given back (``discard_proofs``, called by
  ``services``); deleting the row deletes the file after the commit
  (``receivers.py``), and ``sweep_orphan_files`` (run by
  ``anonymize_registrations``) removes any file left without a row.
"""

import contextlib
import datetime

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError
from wagtail import log_actions

from registrations.models import EligibilityProof, ProofKind, ProofRule
from registrations.private_storage import private_storage, size_text

SIGNATURES = (
    (ProofKind.PDF, b"%PDF-"),
    (ProofKind.JPEG, b"\xff\xd8\xff"),
    (ProofKind.PNG, b"\x89PNG\r\n\x1a\n"),
)
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# A file on the private disk without a row is removed by the sweep only once this old (an upload may be under way).
ORPHAN_AFTER = datetime.timedelta(days=1)


class ProofError(Exception):
    """A file that cannot be a proof; ``message`` (French) is shown to the person as is."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def max_size_text():
    return size_text(settings.PROOF_MAX_UPLOAD_SIZE)


def proof_help_text():
    return _(
        "PDF, JPEG ou PNG, %(size)s au plus. Si le formulaire signale une erreur, joignez à nouveau le fichier."
    ) % {"size": max_size_text()}


def check_file(upload):
    """The kind of ``upload`` (``ProofKind``), or ProofError: checked from its content, not from its name."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ProofError(_("Le fichier est vide : choisissez le fichier de votre justificatif."))
    if size > settings.PROOF_MAX_UPLOAD_SIZE:
        raise ProofError(
            _("Le fichier pèse %(size)s : un justificatif doit faire %(max)s au plus.")
            % {"size": size_text(size), "max": max_size_text()}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((kind for kind, signature in SIGNATURES if head.startswith(signature)), None)
    if kind is None:
        raise ProofError(
            _(
                "Ce fichier n'est pas un PDF, une image JPEG ou PNG (son contenu ne correspond pas) : "
                "choisissez-en un autre."
            )
        )
    if kind != ProofKind.PDF:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ProofError(_("Cette image est illisible ou abîmée : choisissez un autre fichier.")) from None
        finally:
            upload.seek(0)
    return kind


class ProofFileField(forms.FileField):
    """A proof upload on a registration form: the content checked by ``check_file``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("PDF, JPEG ou PNG."))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                upload.proof_kind = check_file(upload)
            except ProofError as error:
                raise forms.ValidationError(error.message) from None
        return upload


def needs_upload(tier):
    return tier is not None and tier.proof == ProofRule.UPLOAD


@contextlib.contextmanager
def files_removed_on_failure():
    """``with files_removed_on_failure() as stored, transaction.atomic():``: files saved inside go if it fails."""
    stored = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise


def attach_proofs(people, uploads, stored=None):
    """Save one proof per person who sent one (``uploads`` in the order of ``people``, None for nobody).

    In the caller's transaction; the names written go to ``stored`` so that a
    failure removes them (``files_removed_on_failure``). Returns the proofs.
    """
    proofs = []
    for person, upload in zip(people, uploads, strict=False):
        if not upload:
            continue
        kind = check_file(upload)
        proof = EligibilityProof(attendee=person, kind=kind, size=upload.size)
        proof.file.save("justificatif", upload, save=False)
        if stored is not None:
            stored.append(proof.file.name)
        proof.save()
        proofs.append(proof)
    return proofs


def replace_proof(attendee, upload, *, by=None):
    """Staff add (or replace) one person's proof from the registration's page; the old file goes."""
    with files_removed_on_failure() as stored, transaction.atomic():
        EligibilityProof.objects.filter(attendee=attendee).delete()
        (proof,) = attach_proofs([attendee], [upload], stored)
        _audit(attendee, "registrations.proof_added", by)
    return proof


def verify_proof(proof, *, by):
    """Staff have looked at the proof and accept it: who and when are recorded."""
    proof.verified_at = timezone.now()
    proof.verified_by = by if getattr(by, "is_authenticated", False) else None
    proof.save(update_fields=["verified_at", "verified_by"])
    _audit(proof.attendee, "registrations.proof_verified", by)
    return proof


def discard_proofs(registration=None, *, attendee=None):
    """Delete the proofs of a registration (or of one person): the files go once the transaction commits."""
    proofs = EligibilityProof.objects.filter(attendee=attendee) if attendee is not None else None
    if proofs is None:
        proofs = EligibilityProof.objects.filter(attendee__registration=registration)
    return proofs.delete()[0]


def delete_file_after_commit(name):
    """Called when a proof's row is deleted: its file leaves the disk once the deletion is committed."""
    if name:
        transaction.on_commit(lambda: private_storage().delete(name))


def sweep_orphan_files(now=None):
    """Remove proof files that no row points to (an upload interrupted midway), older than ``ORPHAN_AFTER``."""
    now = now or timezone.now()
    storage = private_storage()
    known = set(EligibilityProof.objects.values_list("file", flat=True))
    removed = 0
    for name in _files_under(storage, "justificatifs"):
        if name in known:
            continue
        modified = storage.get_modified_time(name)
        if now - modified >= ORPHAN_AFTER:
            storage.delete(name)
            removed += 1
    return removed


def _files_under(storage, folder):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def proofs_of(registration):
    """``{attendee.pk: EligibilityProof}`` of a registration (one query)."""
    return {
        proof.attendee_id: proof
        for proof in EligibilityProof.objects.filter(attendee__registration=registration).select_related("verified_by")
    }


def _audit(attendee, action, by):
    """In the registration's history; the person is named by rank only (the log outlives anonymisation)."""
    if by is not None and getattr(by, "is_authenticated", False):
        log_actions.log(instance=attendee.registration, action=action, user=by, data={"position": attendee.position})
