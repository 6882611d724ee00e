"""Staff pages for the money of one registration: its account, payments, exemption, invoice and documents.

Thin views: each form posts to the same page with an ``action`` and calls one
function of ``registrations/payments.py`` (or ``document_mail``); a
``PaymentError`` comes back as the form's error, in French.
"""

from decimal import Decimal

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages

from core.forms import CleanLineField, CleanTextField
from registrations import document_mail, documents, payments
from registrations.admin.actions import RegistrationAction
from registrations.admin.base import StaffPageMixin, event_url
from registrations.admin.bulk_actions import RegistrationBulkAction
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations
from registrations.models import OnlinePayment, PaymentKind, PaymentMethod, Registration


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=PaymentKind.choices, initial=PaymentKind.PAYMENT)
    amount = forms.DecimalField(
        label=gettext_lazy("Montant (€)"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=gettext_lazy("En euros, par exemple 60,00. Jamais négatif : un remboursement se choisit au-dessus."),
        localize=True,
    )
    method = forms.ChoiceField(label=gettext_lazy("Moyen de paiement"), choices=PaymentMethod.choices)
    paid_on = forms.DateField(
        label=gettext_lazy("Date"),
        help_text=gettext_lazy("Le jour où l'argent a été reçu ou rendu."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = CleanLineField(
        label=gettext_lazy("Précision"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("N° de chèque, banque, référence du virement…"),
    )
    allow_overpay = forms.BooleanField(
        label=gettext_lazy("Enregistrer quand même si le montant dépasse le reste à payer"),
        required=False,
        help_text=gettext_lazy(
            "Par exemple un chèque unique pour plusieurs inscriptions : le trop-perçu reste visible."
        ),
    )
    send_receipt = forms.BooleanField(
        label=gettext_lazy("Envoyer le reçu par e-mail"),
        required=False,
        initial=True,
        help_text=gettext_lazy("La personne reçoit ses documents à jour, dont ce reçu, en PDF."),
    )


class ExemptionForm(forms.Form):
    reason = CleanLineField(
        label=gettext_lazy("Motif de l'exonération"),
        max_length=200,
        help_text=gettext_lazy("Pourquoi cette personne ne paie pas (bénévole, partenaire, invitation…)."),
    )


class InvoiceForm(forms.Form):
    customer_name = CleanLineField(
        label=gettext_lazy("Structure facturée"), max_length=200, help_text=gettext_lazy("L'organisation qui paie.")
    )
    customer_address = CleanTextField(
        label=gettext_lazy("Adresse de facturation"),
        max_length=400,
        help_text=gettext_lazy("Adresse postale, sur plusieurs lignes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    customer_siret = CleanLineField(
        label=gettext_lazy("SIRET"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("14 chiffres, quand l'organisation en a un."),
    )


class RegistrationPaymentsView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """« Paiements et documents » of one registration."""

    template_name = "registrations/admin/payments.html"
    header_icon = "doc-full"
    forms = {"payment": PaymentForm, "exemption": ExemptionForm, "invoice": InvoiceForm}

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):
            self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=kwargs["pk"])
            self.event = self.registration.event
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Paiements et documents de %(name)s") % {"name": self.registration.full_name}

    @cached_property
    def url(self):
        return reverse("inscriptions:payments", args=[self.registration.pk])

    def initial_forms(self):
        return {
            "payment": PaymentForm(initial={"paid_on": timezone.localdate(), "method": PaymentMethod.CHEQUE}),
            "exemption": ExemptionForm(),
            "invoice": InvoiceForm(initial={"customer_name": self.registration.organisation}),
        }

    def online_checkouts(self, recorded):
        """The online payment attempts, read only where there can be some (the page's query count stays)."""
        paid_online = any(payment.method == PaymentMethod.ONLINE for payment in recorded)
        if self.event.online_payment == OnlinePayment.OFF and not paid_online:
            return []
        return list(self.registration.online_checkouts.select_related("payment"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.registration
        recorded = list(registration.payments.select_related("recorded_by"))
        forms_shown = self.initial_forms()
        forms_shown.update(kwargs.get("bound", {}))
        context.update(
            registration=registration,
            event=self.event,
            account=payments.money_of(registration),
            people=list(registration.attendees.select_related("price_tier").order_by("position")),
            payments=recorded,
            invoices=list(registration.invoices.all()),
            online_checkouts=self.online_checkouts(recorded),
            documents=documents.registration_documents(registration),
            forms=forms_shown,
            event_url=event_url(self.event),
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            outcome = handler(request)
        except payments.PaymentError as error:
            form = getattr(self, "_form", None)
            if form is not None:
                form.add_error(None, error.message)
                return self.render_to_response(self.get_context_data(bound={action: form}))
            messages.error(request, error.message)
            return redirect(self.url)
        if isinstance(outcome, forms.Form):  # invalid: shown again with its errors
            return self.render_to_response(self.get_context_data(bound={action: outcome}))
        messages.success(request, outcome)
        return redirect(self.url)

    def _bound(self, name, request):
        self._form = self.forms[name](request.POST)
        return self._form

    def do_payment(self, request):
        form = self._bound("payment", request)
        if not form.is_valid():
            return form
        data = form.cleaned_data
        payment = payments.record_payment(
            self.registration,
            amount=data["amount"],
            method=data["method"],
            paid_on=data["paid_on"],
            kind=data["kind"],
            note=data["note"],
            by=request.user,
            allow_overpay=data["allow_overpay"],
        )
        if payment.is_refund:
            return _("Remboursement de %(amount)s enregistré.") % {"amount": payments.euros(payment.amount)}
        message = _("Paiement de %(amount)s enregistré : reçu n° %(number)s.") % {
            "amount": payments.euros(payment.amount),
            "number": payment.receipt_number,
        }
        if data["send_receipt"] and self.registration.email:
            document_mail.send_documents(self.registration, by=request.user)
            message += " " + _("Reçu envoyé à %(email)s.") % {"email": self.registration.email}
        return message

    def do_exemption(self, request):
        form = self._bound("exemption", request)
        if not form.is_valid():
            return form
        payments.exempt(self.registration, reason=form.cleaned_data["reason"], by=request.user)
        return _("%(name)s est exonéré·e de paiement.") % {"name": self.registration.full_name}

    def do_remove_exemption(self, request):
        payments.remove_exemption(self.registration, by=request.user)
        return _("Exonération retirée.")

    def do_invoice(self, request):
        form = self._bound("invoice", request)
        if not form.is_valid():
            return form
        invoice = payments.issue_invoice(self.registration, **form.cleaned_data, by=request.user)
        return _("Facture n° %(number)s établie.") % {"number": invoice.number}

    def do_send(self, request):
        count = document_mail.send_documents(self.registration, by=request.user)
        return _("E-mail envoyé à %(email)s avec %(count)d document(s).") % {
            "email": self.registration.email,
            "count": count,
        }


class DocumentDownloadView(ManagerRequiredMixin, View):
    """One PDF of a registration, for staff (receipt, invoice or attendance certificate)."""

    def get(self, request, pk, kind, document_pk):
        registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
        return pdf_response(registration, kind, document_pk)


def pdf_response(registration, kind, document_pk):
    """The PDF as a download (404 when the registration has no such document); never cached."""
    try:
        filename, content = documents.render_document(registration, kind, document_pk)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class SendDocumentsAction(RegistrationAction):
    """« Envoyer les documents »: one e-mail per registration with its receipts, invoices and certificates."""

    success_message = gettext_lazy("Documents envoyés par e-mail à : %(names)s.")

    def run_on(self, registrations):
        done = []
        for registration in registrations:
            try:
                document_mail.send_documents(registration, by=self.request.user)
            except payments.PaymentError as error:
                messages.error(self.request, f"{registration.full_name} : {error.message}")
                continue
            done.append(registration.full_name)
        if done:
            messages.success(self.request, self.success_message % {"names": ", ".join(done)})
        return done


class SendDocumentsBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Envoyer les documents")
    action_type = "send_documents"
    aria_label = gettext_lazy("Envoyer par e-mail les reçus, factures et attestations des inscriptions sélectionnées")
    action_priority = 60
    action_class = SendDocumentsAction
    page_title = gettext_lazy("Confirmer l'envoi des documents")
    question = gettext_lazy(
        "Envoyer à chacune de ces personnes un e-mail avec ses reçus, factures et attestations de présence (PDF) :"
    )
    confirm_label = gettext_lazy("Envoyer les documents")
