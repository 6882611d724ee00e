"""What each person owes and has paid: price tiers, quotas, the refund rule, payments, exemptions, invoices.

The one place for the money rules; ``services.register`` calls
``tiers_for_seats`` and ``full_tier`` under the event's lock, the admin and
the exports read ``money_of`` / ``money_by_registration``.

- **Owed** (``_due``): an active registration owes the amounts of its active
  attendees' tiers; an exempted one owes nothing. Once cancelled or refused,
  it owes nothing when the cancellation is refundable (refused by staff,
  event cancelled, an offer or address check that lapsed, or cancelled at
  least ``refund_days_before`` days before the start), else it keeps what it
  paid (nothing refunded, nothing more asked).
- **Paying** (``is_paying``): a tier amount above 0 € and no exemption; the
  funders' figures split participations on it.
- **Balance** = owed − (payments − refunds): positive, still to pay;
  negative, to refund (``Money.refund_owed``).
- **Receipts** are numbered « 2026-0001 » without gaps per year: the year's
  counter row is locked (``select_for_update``) in the transaction that
  writes the payment (``next_number``), so a rolled-back payment gives its
  number back and two payments never share one. Invoices use the same
  counters in their own series (« F2026-0001 »).

Amounts are ``Decimal`` everywhere; no float ever touches them.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import log_actions

from core.text import clean_line
from events.models import EventStatus
from registrations.models import (
    ACTIVE_STATUSES,
    Attendee,
    DocumentCounter,
    Invoice,
    Payment,
    PaymentExemption,
    PaymentKind,
    Registration,
    RegistrationStatus,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RECEIPT_SERIES = "R"
INVOICE_SERIES = "F"
NBSP, NARROW_NBSP = "\u00a0", "\u202f"
SIRET_PATTERN = re.compile(r"^\d{14}$")


class PaymentError(Exception):
    """A money rule refused the action; ``message`` (French) is shown to staff as is."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def euros(amount):
    """« 1 234,50 € »: French grouping and comma, a non-breaking space before the sign."""
    amount = Decimal(amount).quantize(CENT)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return sign + NARROW_NBSP.join(groups) + "," + cents + NBSP + "€"


def parse_amount(value):
    """A typed amount (« 60 », « 60,50 ») as Decimal with cents, or PaymentError."""
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace("€", "").replace(" ", ""))
    except InvalidOperation:
        raise PaymentError(_("Saisissez un montant en euros, par exemple 60,00.")) from None
    if amount != amount.quantize(CENT):
        raise PaymentError(_("Un montant a au plus deux chiffres après la virgule."))
    return amount.quantize(CENT)


# ---------------------------------------------------------------------------
# Tiers and quotas (called by services.register, under the event's lock)


def event_tiers(event):
    return list(event.price_tiers.order_by("sort_order", "pk")) if event.pk else []


def tiers_for_seats(event, tier_ids, seats):
    """The tier of each seat, in order, or a French message of what is wrong with ``tier_ids``.

    Returns ``(tiers, None)`` or ``(None, message)``. An event without tiers
    takes none; an event with tiers needs one per seat, each of this event.
    """
    tiers = {tier.pk: tier for tier in event_tiers(event)}
    tier_ids = [int(tier_id) if tier_id not in (None, "") else None for tier_id in tier_ids]
    if not tiers:
        return ([None] * seats, None) if not any(tier_ids) else (None, _("Cet événement ne propose pas de tarifs."))
    if len(tier_ids) != seats or any(tier_id not in tiers for tier_id in tier_ids):
        return None, _("Choisissez un tarif pour chaque personne.")
    return [tiers[tier_id] for tier_id in tier_ids], None


def tier_seats_taken(tier, registrations=None):
    """Seats counted against a tier's quota: active attendees of active requests (waiting ones included).

    Counting the waiting list and the requests under review too means that a
    promotion or an approval can never take a tier beyond its quota.
    ``registrations``: those of one bookable unit (a date of a series has its own quotas).
    """
    people = Attendee.objects.filter(
        price_tier=tier, cancelled_at__isnull=True, registration__status__in=ACTIVE_STATUSES
    )
    if registrations is not None:
        people = people.filter(registration__in=registrations)
    return people.count()


def full_tier(tiers, registrations=None):
    """The first tier among ``tiers`` (one per seat asked) whose quota they would exceed, or None.

    The caller holds the event's lock: the count and the write that follows
    are one decision.
    """
    wanted = {}
    for tier in tiers:
        if tier is not None and tier.quota is not None:
            wanted.setdefault(tier.pk, [tier, 0])[1] += 1
    for tier, count in wanted.values():
        if tier_seats_taken(tier, registrations) + count > tier.quota:
            return tier
    return None


def tier_full_message(tier, other_tiers, registrations=None):
    """The French refusal, naming the tiers still open so that the person can choose another."""
    others = [
        t.label
        for t in other_tiers
        if t.pk != tier.pk and (t.quota is None or tier_seats_taken(t, registrations) < t.quota)
    ]
    if others:
        return _("Il ne reste plus de place au tarif « %(tier)s ». Vous pouvez choisir : %(others)s.") % {
            "tier": tier.label,
            "others": ", ".join(f"« {label} »" for label in others),
        }
    return _("Il ne reste plus de place au tarif « %(tier)s ».") % {"tier": tier.label}


# ---------------------------------------------------------------------------
# What is owed, paid, to refund


@dataclass(frozen=True)
class Money:
    """One registration's account, all Decimal."""

    total: Decimal  # the tiers of its active attendees
    due: Decimal  # what it owes now (``_due``)
    paid: Decimal
    refunded: Decimal
    exemption: str = ""

    @property
    def net_paid(self):
        return self.paid - self.refunded

    @property
    def balance(self):
        """Positive: still to pay; negative: to give back."""
        return self.due - self.net_paid

    @property
    def refund_owed(self):
        return max(-self.balance, ZERO)

    @property
    def is_paying(self):
        """True when the registration is for a paid seat (the funders' « payant » as opposed to free)."""
        return is_paying(self.total, exempt=bool(self.exemption))


def is_paying(amount, *, exempt):
    """The funders' « payant »: a tier amount above 0 € and no exemption; a free tier, an event without tiers
    (``amount`` None) or an exempted registration is « gratuit ». Per registration (``Money``) or per person
    (the statistics rows, ``statistics.build_records``)."""
    return amount is not None and amount > 0 and not exempt


def refundable(registration):
    """True when a cancelled or refused registration gets back what it paid (the event's rule)."""
    if registration.status == RegistrationStatus.REJECTED or registration.lapsed:
        return True
    event = registration.event
    if event.status == EventStatus.CANCELLED:
        return True
    if registration.status != RegistrationStatus.CANCELLED or event.refund_days_before is None:
        return False
    cancelled_at = registration.status_changed_at or timezone.now()
    return cancelled_at <= event.start - datetime.timedelta(days=event.refund_days_before)


def _due(registration, total, net_paid, exempt):
    """What a registration owes (the rule written in the module's docstring)."""
    if exempt:
        return ZERO
    if registration.status in ACTIVE_STATUSES:
        return total
    if refundable(registration):
        return ZERO
    return max(min(total, net_paid), ZERO)


def money_by_registration(registrations):
    """``{registration.pk: Money}`` for many registrations in three queries (listing, exports).

    ``registrations`` must carry their ``event`` (select_related) for the refund rule.
    """
    registrations = list(registrations)
    ids = [registration.pk for registration in registrations]
    totals = dict(
        Attendee.objects.filter(registration_id__in=ids, cancelled_at__isnull=True, price_amount__isnull=False)
        .values("registration_id")
        .order_by()
        .annotate(total=Sum("price_amount"))
        .values_list("registration_id", "total")
    )
    sums = (
        Payment.objects.filter(registration_id__in=ids)
        .values("registration_id")
        .order_by()
        .annotate(
            paid=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
            refunded=Sum("amount", filter=Q(kind=PaymentKind.REFUND)),
        )
    )
    paid = {row["registration_id"]: (row["paid"] or ZERO, row["refunded"] or ZERO) for row in sums}
    exemptions = dict(PaymentExemption.objects.filter(registration_id__in=ids).values_list("registration_id", "reason"))
    accounts = {}
    for registration in registrations:
        total = Decimal(totals.get(registration.pk) or ZERO).quantize(CENT)
        received, given_back = (Decimal(value).quantize(CENT) for value in paid.get(registration.pk, (ZERO, ZERO)))
        exemption = exemptions.get(registration.pk, "")
        due = _due(registration, total, received - given_back, bool(exemption))
        accounts[registration.pk] = Money(total, due, received, given_back, exemption)
    return accounts


def money_of(registration):
    """One registration's ``Money`` (the same rule as the listing's)."""
    return money_by_registration([registration])[registration.pk]


# ---------------------------------------------------------------------------
# Numbering


def next_number(series, year):
    """The next number of ``series`` in ``year`` (« 2026-0001 »), counter row locked until the transaction ends.

    Must run inside the transaction that writes the document: the lock (and a
    rollback giving the number back) is what keeps the series without gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that writes the document.")
    counter = DocumentCounter.objects.select_for_update().filter(series=series, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # the year's first number: two may race to create the row
                DocumentCounter.objects.create(series=series, year=year)
        except IntegrityError:
            pass
        counter = DocumentCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = "" if series == RECEIPT_SERIES else series
    return f"{prefix}{year}-{counter.last:04d}"


# ---------------------------------------------------------------------------
# Actions (staff, from the admin)


def record_payment(
    registration, *, amount, method, paid_on, kind=PaymentKind.PAYMENT, note="", by=None, allow_overpay=False
):
    """Record money received (with its receipt number) or given back; returns the ``Payment``.

    The registration's row is locked so that two staff members recording at
    the same time check the balance one after the other. A payment above what
    is still owed needs ``allow_overpay`` (staff confirm it); a refund can
    never exceed what was paid.
    """
    amount = parse_amount(amount)
    if amount <= 0:
        raise PaymentError(_("Le montant doit être supérieur à zéro."))
    if kind not in PaymentKind.values:
        raise PaymentError(_("Type de mouvement inconnu."))
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        account = money_of(current)
        if kind == PaymentKind.REFUND:
            if amount > account.net_paid:
                raise PaymentError(
                    _("On ne peut pas rembourser plus que ce qui a été payé (%(paid)s).")
                    % {"paid": euros(account.net_paid)}
                )
            number = ""
        else:
            if amount > account.balance and not allow_overpay:
                raise PaymentError(
                    _(
                        "Ce paiement dépasse le reste à payer (%(balance)s) : cochez « Enregistrer quand même » "
                        "pour le confirmer."
                    )
                    % {"balance": euros(max(account.balance, ZERO))}
                )
            number = next_number(RECEIPT_SERIES, timezone.localdate().year)
        payment = Payment.objects.create(
            registration=current,
            kind=kind,
            amount=amount,
            method=method,
            paid_on=paid_on,
            note=clean_line(note),
            receipt_number=number,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _audit(current, "registrations.payment" if kind == PaymentKind.PAYMENT else "registrations.refund", by, amount)
    return payment


def exempt(registration, *, reason, by=None):
    """Staff decide the registration owes nothing (« exonéré »), with the reason; returns the exemption."""
    reason = clean_line(reason)
    if not reason:
        raise PaymentError(_("Indiquez le motif de l'exonération."))
    with transaction.atomic():
        exemption, _created = PaymentExemption.objects.update_or_create(
            registration=registration,
            defaults={"reason": reason, "granted_by": by if getattr(by, "is_authenticated", False) else None},
        )
        _audit(registration, "registrations.exempt", by)
    return exemption


def remove_exemption(registration, *, by=None):
    with transaction.atomic():
        PaymentExemption.objects.filter(registration=registration).delete()
        _audit(registration, "registrations.exempt_removed", by)


def issue_invoice(registration, *, customer_name, customer_address, customer_siret="", by=None):
    """An invoice to the organisation paying for this registration, numbered in its own series."""
    customer_name = clean_line(customer_name)
    customer_siret = re.sub(r"\s", "", customer_siret or "")
    if not customer_name or not (customer_address or "").strip():
        raise PaymentError(_("Indiquez le nom et l'adresse de la structure à facturer."))
    if customer_siret and not SIRET_PATTERN.match(customer_siret):
        raise PaymentError(_("Un SIRET compte 14 chiffres."))
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        total = money_of(current).due
        if total <= 0:
            raise PaymentError(_("Cette inscription ne doit rien : il n'y a rien à facturer."))
        invoice = Invoice.objects.create(
            registration=current,
            number=next_number(INVOICE_SERIES, timezone.localdate().year),
            issued_on=timezone.localdate(),
            customer_name=customer_name,
            customer_address=customer_address.strip(),
            customer_siret=customer_siret,
            total=total,
            issued_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _audit(current, "registrations.invoice", by, total)
    return invoice


def _audit(registration, action, by, amount=None):
    if by is not None and getattr(by, "is_authenticated", False):
        data = {"amount": str(amount)} if amount is not None else None
        log_actions.log(instance=registration, action=action, user=by, data=data)
