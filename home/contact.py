"""The contact form's rules: what it accepts, who reads the messages, their export and their end.

The contact form is the site's most open door: anyone, no account, free text
mailed to the team and kept in the admin. So, like the registration form:

- **clean input**: every text field goes through the one normaliser
  (``core.text``: ``clean_line`` for one-line fields, ``clean_text`` for the
  message) and has a size cap with a French message;
- **robots**: a hidden honeypot field (robots that fill it are dropped
  silently) and the signed, single-use start time of ``core.antirobot``
  (too fast, a day old, forged or replayed: refused, what was typed kept);
- **rate limits**: 10 posts an hour per IP address, and 5 valid messages an
  hour per sender address (counted only once the form is valid);
- **who reads**: the messages are personal data; only superusers and the
  members of the "Messages du site" group (permission
  ``home.read_contact_messages``) list, export or delete them (a Wagtail hook
  filters the form pages each user may see submissions of);
- **export**: through the one formula-safe writer (``core.spreadsheets``),
  never Wagtail's own CSV/XLSX (no formula escaping, and a control character
  makes its XLSX fail);
- **retention**: ``purge_old_messages`` deletes messages older than
  ``CONTACT_RETENTION_DAYS`` (run by ``anonymize_registrations``).
"""

import datetime
import tempfile

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from wagtail.compat import URLField
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.forms.views import SubmissionsListView

from core import antirobot, spreadsheets
from core.dates import format_short_datetime
from core.text import clean_line, clean_text

HONEYPOT_FIELD = "site_internet_verif"
STARTED_FIELD = "debut_saisie"
STARTED_SALT = "home.contact.started"
READ_PERMISSION = "home.read_contact_messages"
GROUP_NAME = "Messages du site"

LINE_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IP_RATE = "10/h"
ADDRESS_RATE = "5/h"

TOO_LONG = _(
    "Ce texte est trop long : %(limit_value)s caractères au plus (il en compte %(show_value)s). "
    "Raccourcissez-le, ou écrivez-nous directement par e-mail."
)
EXPIRED = _(
    "Le formulaire a expiré (il était ouvert depuis plus d'un jour) ou a été modifié. "
    "Votre message est conservé : vérifiez-le puis envoyez-le à nouveau."
)
TOO_FAST = _("Le formulaire a été envoyé trop vite. Merci de vérifier votre message puis de l'envoyer à nouveau.")
ALREADY_SENT = _(
    "Ce formulaire vient déjà d'être envoyé (un double clic, ou un retour en arrière ?). "
    "Si vous voyez encore votre message ci-dessous, vérifiez-le puis envoyez-le à nouveau."
)


def can_read_contact_messages(user):
    """Superusers and the "Messages du site" group read, export and delete the contact messages."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(READ_PERMISSION)))


# --------------------------------------------------------------------------
# The form


class LineField(forms.CharField):
    """One line of text, cleaned by ``clean_line`` before its length is checked."""

    def to_python(self, value):
        return clean_line(super().to_python(value))


class MessageField(forms.CharField):
    """Several lines of text (line breaks kept), cleaned by ``clean_text``."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class CleanEmailField(forms.EmailField):
    def to_python(self, value):
        return super().to_python(clean_line(value))


class CleanURLField(URLField):
    def to_python(self, value):
        return super().to_python(clean_line(value))


def _capped(options, max_length):
    options["max_length"] = max_length
    options["error_messages"] = {"max_length": TOO_LONG}
    return options


class ContactForm(BaseForm):
    """The editor's fields plus the honeypot and the start time; refuses robots before anything is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[STARTED_FIELD] = antirobot.make_started(STARTED_SALT)

    @property
    def is_robot(self):
        """The hidden field was filled: the message is dropped silently (the robot sees the usual thanks)."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            return cleaned
        started = self.data.get(STARTED_FIELD, "")
        age = antirobot.started_age(started, STARTED_SALT)
        if age is None:
            self._restart_clock()
            raise forms.ValidationError(EXPIRED)
        if age < settings.REGISTRATION_MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST)
        if not self.errors and not antirobot.claim_started(started, STARTED_SALT):
            self._restart_clock()
            raise forms.ValidationError(ALREADY_SENT)
        return cleaned

    def _restart_clock(self):
        """Show the form again with a fresh start time, so that sending it again can succeed."""
        self.data = self.data.copy()
        self.data[STARTED_FIELD] = antirobot.make_started(STARTED_SALT)

    def sender_address(self):
        """The first e-mail field's value (the visitor's address), for the per-address limit."""
        for name, field in self.fields.items():
            if isinstance(field, forms.EmailField) and self.cleaned_data.get(name):
                return self.cleaned_data[name].lower()
        return ""

    def data_to_keep(self):
        """What is stored and mailed: the editor's fields only, never the honeypot or the start time."""
        return {name: value for name, value in self.cleaned_data.items() if name not in (HONEYPOT_FIELD, STARTED_FIELD)}


class ContactFormBuilder(FormBuilder):
    """Wagtail's form builder with size caps, the one normaliser, the honeypot and the start time."""

    def create_singleline_field(self, field, options):
        return LineField(**_capped(options, LINE_MAX_LENGTH))

    def create_multiline_field(self, field, options):
        options.setdefault("widget", forms.Textarea)
        return MessageField(**_capped(options, MESSAGE_MAX_LENGTH))

    def create_email_field(self, field, options):
        return CleanEmailField(**_capped(options, EMAIL_MAX_LENGTH))

    def create_url_field(self, field, options):
        return CleanURLField(**_capped(options, URL_MAX_LENGTH))

    def create_hidden_field(self, field, options):
        options.setdefault("widget", forms.HiddenInput)
        return LineField(**_capped(options, LINE_MAX_LENGTH))

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Ne pas remplir ce champ (protection contre les robots)"),
            required=False,
            max_length=LINE_MAX_LENGTH,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        fields[STARTED_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
        return fields

    def get_form_class(self):
        return type("ContactForm", (ContactForm,), self.formfields)


def over_ip_limit(request):
    """10 posts an hour per IP address, counted before validation (robots included)."""
    return is_ratelimited(request, group="contact.ip", key="ip", rate=IP_RATE, method="POST", increment=True)


def over_address_limit(request, form):
    """5 valid messages an hour per sender address: junk posts carrying someone's address never count."""
    address = form.sender_address()
    if not address:
        return False
    return is_ratelimited(
        request, group="contact.address", key=lambda group, request: address, rate=ADDRESS_RATE, increment=True
    )


def initial_from_post(post):
    """What the visitor typed, to show the form again unvalidated (the rate-limit page keeps the message)."""
    return {name: value for name, value in post.items() if name not in (HONEYPOT_FIELD, STARTED_FIELD)}


# --------------------------------------------------------------------------
# Reading, exporting and purging the messages


def format_value(value):
    """A submitted value as text: lists joined, booleans in French, dates in the spreadsheet format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _gettext("Oui") if value else _gettext("Non")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def submission_rows(page, submissions):
    """Yield the header, then one row of text per message, in the order of the page's fields."""
    fields = [(name, label) for name, label in page.get_data_fields() if name != "submit_time"]
    yield [_gettext("Reçu le"), *[str(label) for _name, label in fields]]
    for submission in submissions.iterator():
        data = submission.get_data()
        yield [format_short_datetime(submission.submit_time), *[format_value(data.get(name)) for name, _ in fields]]


def messages_due_for_purge(days=None, now=None):
    """Contact-form messages received more than ``days`` (default ``CONTACT_RETENTION_DAYS``) ago."""
    days = settings.CONTACT_RETENTION_DAYS if days is None else days
    limit = (now or timezone.now()) - datetime.timedelta(days=days)
    return FormSubmission.objects.filter(
        page__content_type__app_label="home", page__content_type__model="contactpage", submit_time__lt=limit
    )


def purge_old_messages(days=None, now=None):
    """Delete the messages past retention; returns how many went. Idempotent (cron-safe)."""
    _total, per_model = messages_due_for_purge(days, now).delete()
    return per_model.get(FormSubmission._meta.label, 0)


class ContactSubmissionsListView(SubmissionsListView):
    """Wagtail's list of messages, its CSV and XLSX exports written by the one formula-safe writer."""

    def dispatch(self, request, *args, **kwargs):
        # The hook in wagtail_hooks.py already hides the page from others; this view checks again.
        if not can_read_contact_messages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"messages-{self.form_page.slug}-{timezone.localdate().isoformat()}"

    def write_csv_response(self, queryset):
        rows = submission_rows(self.form_page, queryset)
        response = StreamingHttpResponse(spreadsheets.iter_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx_response(self, queryset):
        file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        spreadsheets.write_xlsx(submission_rows(self.form_page, queryset), file, sheet_title=_gettext("Messages"))
        file.seek(0)
        return FileResponse(file, as_attachment=True, filename=f"{self.get_filename()}.xlsx", content_type=XLSX_TYPE)


class ContactSubmissionsPanel(FormSubmissionsPanel):
    """The "N messages" box of the page editor, shown only to those who may read them."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            return can_read_contact_messages(self.request.user) and super().is_shown()
