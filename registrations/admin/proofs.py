"""Staff pages for the eligibility proofs of one registration: download, mark « vérifié », add or replace.

Only staff with the registrations permission (``can_manage_registrations``)
reach them; anyone else, signed in or not, gets a 403. The download is routed
in ``config/urls.py`` before Wagtail's admin (which would send an anonymous
visitor to its login page instead of refusing). The rules are in
``registrations/proofs.py``.
"""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages

from registrations import proofs
from registrations.admin.permissions import ManagerRequiredMixin
from registrations.models import Attendee, EligibilityProof, ProofRule


class ProofUploadForm(forms.Form):
    file = proofs.ProofFileField(label=gettext_lazy("Justificatif"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = proofs.proof_help_text()


def proof_rows(registration):
    """[(attendee, proof or None, upload form)] for the registration's page: every active person of the group
    whose tier asks for an upload, or who has a proof."""
    found = proofs.proofs_of(registration)
    people = registration.attendees.filter(cancelled_at__isnull=True).select_related("price_tier")
    return [
        (person, found.get(person.pk), ProofUploadForm(auto_id=f"proof_{person.pk}_%s"))
        for person in people
        if person.pk in found or (person.price_tier and person.price_tier.proof == ProofRule.UPLOAD)
    ]


class ProofDownloadView(ManagerRequiredMixin, View):
    """The file itself, streamed as an attachment, never cached, never sniffed into something else."""

    def get(self, request, pk):
        proof = get_object_or_404(EligibilityProof.objects.select_related("attendee"), pk=pk)
        try:
            handle = proof.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("Le fichier de ce justificatif n'existe plus.")) from None
        filename = f"justificatif-{proof.attendee.registration_id}-{proof.attendee.position}.{proof.extension}"
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=proof.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class ProofActionView(ManagerRequiredMixin, View):
    """POST only: « Marquer comme vérifié » (``verify``) or add/replace the file (``upload``) of one person."""

    def post(self, request, pk):
        person = get_object_or_404(Attendee.objects.select_related("registration"), pk=pk)
        registration = person.registration
        back = reverse("inscriptions:edit", args=[registration.pk]) + "#justificatifs"
        if registration.anonymized_at or not registration.is_active:
            messages.error(request, _("Cette inscription n'est plus active : ses justificatifs ont été effacés."))
            return redirect(back)
        if request.POST.get("action") == "verify":
            proof = get_object_or_404(EligibilityProof, attendee=person)
            proofs.verify_proof(proof, by=request.user)
            messages.success(request, _("Justificatif de %(name)s vérifié.") % {"name": person.full_name})
            return redirect(back)
        form = ProofUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            for error in form.errors.get("file", []):
                messages.error(
                    request, _("Justificatif de %(name)s : %(error)s") % {"name": person.full_name, "error": error}
                )
            return redirect(back)
        try:
            proofs.replace_proof(person, form.cleaned_data["file"], by=request.user)
        except proofs.ProofError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, _("Justificatif de %(name)s enregistré.") % {"name": person.full_name})
        return redirect(back)
