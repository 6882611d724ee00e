"""Agenda: venues, categories, the agenda page and event pages.

Event pages also carry the registration settings (``RegistrationSettings``,
defined in the registrations app) so that editors find everything about one
event in one editor.
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from core import generation_memo
from core.dates import format_event_dates, local_zone, to_local
from core.page_queries import RememberedPublicPageManager, RememberedPublicQuerySet
from events import recurrence
from events.agenda import agenda_entries, month_range, month_weeks, shift_month, valid_month
from events.forms import (
    AgendaFilterForm,
    CategoryFilterForm,
    EventPageForm,
    NotificationConfirmationPanel,
    RuleDatesPanel,
    WeekdaysFormField,
)
from home.blocks import LIST_FEATURES, BodyBlock
from home.fields import PROMOTE_PANELS, introduction_field
from registrations.models import RegistrationSettings

# Image renditions the agenda cards use; prefetched with the listing so that
# the number of queries does not grow with the number of events.
LISTING_IMAGE_SPECS = ("format-avif|fill-640x360", "format-webp|fill-640x360", "format-jpeg|fill-640x360")
EVENTS_PER_PAGE = 12
# How far back the subscribable feeds go, so that recent events stay in calendars.
FEED_PAST_DAYS = 90


class Venue(models.Model):
    """A place where events happen; reused by many events."""

    name = models.CharField(
        _("nom du lieu"), max_length=200, help_text=_("Tel qu'il s'affiche sur la page de l'événement.")
    )
    address = models.CharField(_("adresse"), max_length=255, help_text=_("Numéro et rue."))
    postcode = models.CharField(_("code postal"), max_length=10, help_text=_("Par exemple 21000."))
    city = models.CharField(_("ville"), max_length=100, default="Dijon", help_text=_("Commune du lieu."))
    access_notes = models.TextField(
        _("accès"), blank=True, max_length=1000, help_text=_("Transports en commun, stationnement, entrée.")
    )
    accessibility_notes = models.TextField(
        _("accessibilité"),
        blank=True,
        max_length=1000,
        help_text=_("Accès en fauteuil, boucle magnétique, toilettes adaptées…"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Facultatif. En degrés décimaux, par exemple 47.336 ; sert à situer le lieu sur une carte."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Facultatif. En degrés décimaux, par exemple 5.053."),
    )
    is_default = models.BooleanField(
        _("lieu par défaut"),
        default=False,
        help_text=_("Proposé d'office pour chaque nouvel événement. Un seul lieu peut l'être."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")])],
            heading=_("Adresse"),
        ),
        FieldPanel("access_notes"),
        FieldPanel("accessibility_notes"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Coordonnées (facultatif)"),
        ),
    ]

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_venue")
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"

    def save(self, *args, **kwargs):
        # Ticking "default" on one venue unticks it on the others, as editors expect.
        if self.is_default:
            Venue.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
        super().save(*args, **kwargs)

    @classmethod
    def get_default(cls):
        """The venue new events start with (La Coursive), or None."""
        return cls.objects.filter(is_default=True).first()

    @property
    def full_address(self):
        return f"{self.name}, {self.address}, {self.postcode} {self.city}"


class EventCategory(models.Model):
    """A kind of event (atelier, conférence, exposition…), used for filters and feeds."""

    name = models.CharField(
        _("nom"), max_length=100, help_text=_("Au singulier, par exemple « Atelier » ou « Conférence ».")
    )
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True, help_text=_("Utilisé dans les adresses."))

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("catégorie d'événement")
        verbose_name_plural = _("catégories d'événements")
        ordering = ["name"]

    def __str__(self):
        return self.name


def event_categories():
    """Every category, read once per generation: a category is a snippet, and saving one moves the generation."""
    return generation_memo.remember("event-categories", lambda: list(EventCategory.objects.all()))


class EventIndexPage(RoutablePageMixin, Page):
    """The agenda: upcoming events, the archive, filters and calendar feeds."""

    objects = RememberedPublicPageManager()  # public() without a query per call

    # The HTML site plan links to the agenda, not to every dated event under it.
    site_plan_lists_children = False

    introduction = introduction_field(_("Quelques phrases en tête de l'agenda, au-dessus de la liste des événements."))

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")

    @path("")
    def upcoming_view(self, request):
        return self.render(request)

    @path("archives/", name="archives")
    def archive_view(self, request):
        return self.render(request, archive=True)

    @path("mois/<int:year>/<int:month>/", name="month")
    def month_view(self, request, year, month):
        """The month calendar: a plain URL per month, so that it is cached like the agenda."""
        if not valid_month(year, month):
            raise Http404("Mois hors de l'agenda")
        return self.render(request, template="events/event_month.html", month=(year, month))

    def route(self, request, path_components):
        """Find a child event in one query that also reads its venue, category and image.

        Wagtail's default routing reads the child page, then its specific row, then
        each related object as the template asks for it: five queries instead of one.
        The agenda's own URLs (the archive) keep precedence, as with RoutablePageMixin.
        """
        if path_components and self.live:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                event = (
                    EventPage.objects.child_of(self)
                    .select_related("venue", "category", "image")
                    .filter(slug=path_components[0])
                    .first()
                )
                if event is not None:
                    event._cached_parent_obj = self  # as Wagtail does: get_parent() without a query
                    return event.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_events(self):
        """Public events of this agenda, ready to be listed."""
        return EventPage.objects.live().public().child_of(self).for_listing()

    def month_url(self, year, month, category=None):
        """The month view's address, keeping the category filter."""
        url = self.url + self.reverse_subpage("month", args=(year, month))
        return f"{url}?{urlencode({'categorie': category})}" if category else url

    def get_context(self, request, *args, archive=False, month=None, **kwargs):
        if month is not None:
            return self.get_month_context(request, *month, *args, **kwargs)
        context = super().get_context(request, *args, **kwargs)

        def listed_events():
            # Built only when the months or the listing are read: a kept listing needs neither.
            events = self.get_events()
            return events.past().order_by("-start", "pk") if archive else events.upcoming()

        months = generation_memo.remember_for_a_while(
            ("agenda-months", self.pk, archive), lambda: self.listing_months(listed_events(), archive)
        )
        categories = event_categories()
        form = AgendaFilterForm(request.GET or None, categories=categories, months=months, descending=archive)
        if form.is_bound:
            form.is_valid()  # invalid fields are reported; the valid ones still filter

        def page_of_events():
            events = listed_events()
            listed = form.filter(events) if form.is_bound else events
            if not archive:
                # A series shows its next date; with a month chosen, its first date of that month.
                month = form.cleaned_data.get("mois") if form.is_bound else None
                since = max(timezone.now(), month_bounds(*month)[0]) if month else None
                listed = listed.with_next_date(since).order_by("listing_start", "pk")
            return Paginator(listed, EVENTS_PER_PAGE).get_page(request.GET.get("page"))

        context.update(
            {
                "archive": archive,
                "filter_form": form,
                # Read only when the template's {% keptlisting %} builds the listing; it also marks the events
                # shown, so that a seat change of one of them purges this page.
                "events": SimpleLazyObject(page_of_events),
                "upcoming_url": self.url,
                "archive_url": self.url + self.reverse_subpage("archives"),
                "categories": categories,
                "month_view_url": self.month_url(*timezone.localdate().timetuple()[:2], self._category_slug(form)),
            }
        )
        return context

    @staticmethod
    def listing_months(events, archive=False):
        """The months of the filter: those of the events, and of each date of the series (two queries)."""
        zone = local_zone()
        months = set(events.exclude(schedule=EventSchedule.SERIES).order_by().datetimes("start", "month", tzinfo=zone))
        dates = Occurrence.objects.filter(
            event__in=events.filter(schedule=EventSchedule.SERIES).order_by().values("pk")
        )
        dates = dates.exclude(occurrence_upcoming_q()) if archive else dates.filter(occurrence_upcoming_q())
        months.update(dates.datetimes("start", "month", tzinfo=zone))
        return sorted(months)

    @staticmethod
    def _category_slug(form):
        """The valid category of a filter form, as its slug (None without one)."""
        category = form.cleaned_data.get("categorie") if form.is_bound else None
        return category.slug if category else None

    def get_month_context(self, request, year, month, *args, **kwargs):
        """The month grid: each day's events (``events.agenda``), today, the neighbouring months."""
        context = super().get_context(request, *args, **kwargs)
        categories = event_categories()
        form = CategoryFilterForm(request.GET or None, categories=categories)
        # The grid shows titles, days and times: the bodies (StreamFields) are left in the database.
        events = EventPage.objects.live().public().child_of(self).select_related("category").defer_streamfields()
        if form.is_bound:
            form.is_valid()
            events = form.filter(events)
        first_day, last_day = month_range(year, month)
        events = events.in_month(year, month).order_by("start", "pk")

        def grid():
            """Read only when the template's {% keptlisting %} builds the month (it also marks the events shown)."""
            listed = list(events)
            read_month_dates(listed, year, month)
            entries = agenda_entries(listed, first_day, last_day)
            return {
                "events": listed,
                "weeks": month_weeks(year, month, entries, timezone.localdate()),
                # An event over several days counts once, each date of a series once.
                "entry_count": len({(entry.event.pk, entry.occurrence and entry.occurrence.pk) for entry in entries}),
            }

        category = self._category_slug(form)
        neighbours = {name: shift_month(year, month, delta) for name, delta in (("previous", -1), ("next", 1))}
        context.update(
            {
                "filter_form": form,
                "month_start": first_day,
                "grid": SimpleLazyObject(grid),
                "previous_month": neighbours["previous"] and first_day - timedelta(days=1),
                "next_month": neighbours["next"] and last_day + timedelta(days=1),
                "previous_url": neighbours["previous"] and self.month_url(*neighbours["previous"], category),
                "next_url": neighbours["next"] and self.month_url(*neighbours["next"], category),
                "list_url": self.url + (f"?{urlencode({'categorie': category})}" if category else ""),
                "month_url": self.month_url(year, month),
            }
        )
        return context

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            urls.append({"location": urls[0]["location"] + self.reverse_subpage("archives")})
        return urls


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programmé")
    CANCELLED = "cancelled", _("Annulé")
    POSTPONED = "postponed", _("Reporté")


class EventSchedule(models.TextChoices):
    """How an event is dated, and so what one registration books (the bookable unit).

    - ``SINGLE``: one date (possibly over several days); the event is the bookable unit.
    - ``SERIES``: dates produced by a recurrence rule (``Occurrence``); each
      occurrence is a bookable unit with its own seats and waiting list.
    - ``COURSE``: several sessions (``CourseSession``) that one registration covers;
      the event is the bookable unit, presence is recorded per session.
    """

    SINGLE = "single", _("Une date")
    SERIES = "series", _("Série de dates (une inscription par date)")
    COURSE = "course", _("Parcours en plusieurs séances (une inscription pour toutes)")


class WeekdaysField(models.CharField):
    """Days of the week stored as "1,3" (0 = Monday), ticked as boxes in the editor."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WeekdaysFormField, **kwargs})


class RepeatFrequency(models.TextChoices):
    WEEKLY = recurrence.WEEKLY, _("Chaque semaine")
    BIWEEKLY = recurrence.BIWEEKLY, _("Toutes les deux semaines")
    MONTHLY = recurrence.MONTHLY, _("Chaque mois, le Nᵉ jour choisi")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("le premier")
    SECOND = 2, _("le deuxième")
    THIRD = 3, _("le troisième")
    FOURTH = 4, _("le quatrième")
    LAST = -1, _("le dernier")


def month_bounds(year, month):
    """The first moment of a month and of the next one, Paris time."""
    return (
        datetime(year, month, 1, tzinfo=local_zone()),
        datetime(year + month // 12, month % 12 + 1, 1, tzinfo=local_zone()),
    )


def start_of_local_day(now):
    """Midnight, Paris time, of the day ``now`` falls in."""
    local_day = timezone.localtime(now, local_zone()).date()
    return datetime.combine(local_day, time.min, tzinfo=local_zone())


def occurrence_upcoming_q(now=None, prefix=""):
    """Dates of a series not over yet (the ``upcoming_q`` rule for timed dates)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}end__isnull": True, f"{prefix}start__gte": start_of_local_day(now)}) | Q(
        **{f"{prefix}end__gte": now}
    )


def upcoming_q(now=None):
    now = now or timezone.now()
    today = start_of_local_day(now)
    return (
        Q(end__isnull=True, start__gte=today)
        | Q(end__isnull=False, all_day=True, end__gte=today)
        | Q(end__isnull=False, all_day=False, end__gte=now)
    )


class EventPageQuerySet(RememberedPublicQuerySet):
    """Agenda filters shared by the agenda, the feeds and the home page."""

    def upcoming(self, now=None):
        """Events not over yet: an event that started but has not ended still counts.

        Without an end, or for all-day events, an event stays upcoming until the
        end of its (last) day.
        """
        return self.filter(upcoming_q(now))

    def past(self, now=None):
        """Events that are over (the exact complement of ``upcoming``)."""
        return self.exclude(upcoming_q(now))

    def for_feed(self, now=None, past_days=FEED_PAST_DAYS):
        """What subscribed calendars get: every upcoming event and those of the last weeks."""
        now = now or timezone.now()
        since = now - timedelta(days=past_days)
        # A series' dates in the same window (one VEVENT each, see events.ical).
        dates = Occurrence.objects.filter(Q(start__gte=since) | Q(end__gte=now)).select_related("venue")
        return (
            self.filter(upcoming_q(now) | Q(start__gte=since))
            .select_related("category", "venue")
            .prefetch_related(
                models.Prefetch("event_partners", EventPartner.objects.select_related("partner")),
                models.Prefetch("sessions", CourseSession.objects.select_related("venue")),
                models.Prefetch("occurrences", dates.order_by("start", "pk"), to_attr="feed_occurrences"),
            )
        )

    def in_month(self, year, month):
        """Events taking place, at least in part, during a month (Paris time); a series by one of its dates."""
        first, following = month_bounds(year, month)
        span = Q(start__lt=following) & (Q(end__isnull=True, start__gte=first) | Q(end__isnull=False, end__gte=first))
        dates = Occurrence.objects.filter(event=OuterRef("pk"), start__gte=first, start__lt=following)
        return self.filter((~Q(schedule=EventSchedule.SERIES) & span) | Q(Exists(dates), schedule=EventSchedule.SERIES))

    def with_next_date(self, now=None):
        """A series is listed once, at its next date that takes place, with the number of its later dates.

        Annotates ``next_start``, ``next_end`` and ``later_dates`` (subqueries:
        the query count does not grow with the dates) and ``listing_start``, the
        next date or the page's start, to order listings by.
        """
        dates = Occurrence.objects.filter(
            occurrence_upcoming_q(now), event=OuterRef("pk"), status=OccurrenceStatus.SCHEDULED
        )
        first = dates.order_by("start", "pk")
        count = dates.order_by().values("event").annotate(total=Count("pk")).values("total")
        return self.annotate(
            next_start=Subquery(first.values("start")[:1]),
            next_end=Subquery(first.values("end")[:1]),
            later_dates=Coalesce(Subquery(count), 0) - 1,
            listing_start=Coalesce(Subquery(first.values("start")[:1]), "start"),
        )

    def for_listing(self):
        """What an agenda card shows, fetched in a fixed number of queries."""
        images = get_image_model().objects.prefetch_renditions(*LISTING_IMAGE_SPECS)
        events = self.select_related("category", "venue").prefetch_related(models.Prefetch("image", queryset=images))
        return events.with_session_summary()

    def with_session_summary(self):
        """``session_count`` and ``first_session_end`` of each course, in the same query (« 3 séances »)."""
        sessions = CourseSession.objects.filter(page=OuterRef("pk")).order_by()
        return self.annotate(
            session_count=Subquery(sessions.values("page").annotate(count=Count("pk")).values("count")),
            first_session_end=Subquery(sessions.order_by("start", "pk").values("end")[:1]),
        )


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


def read_month_dates(events, year, month):
    """What ``agenda_entries`` reads of a month's events beyond their rows, one query each, for those that have it.

    A series carries its dates of the month (``agenda_occurrences``), a course its sessions. Only the
    series and the courses are handed to Django's prefetch, which spends time on every instance it is
    given, rows or not: a month of 87 workshops with one date each costs no prefetch at all.
    """
    first, following = month_bounds(year, month)
    dates = Occurrence.objects.filter(start__gte=first, start__lt=following).order_by("start", "pk")
    series = [event for event in events if event.schedule == EventSchedule.SERIES]
    models.prefetch_related_objects(series, models.Prefetch("occurrences", dates, to_attr="agenda_occurrences"))
    models.prefetch_related_objects([event for event in events if event.is_course], "sessions")


class EventPage(RegistrationSettings, Page):
    """One workshop, talk, exhibition or public event in the agenda."""

    # Read with the page when config/routing.py serves a remembered route: the header and the share picture show them.
    route_select_related = ("venue", "category", "image")

    category = models.ForeignKey(
        EventCategory,
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Sert aux filtres de l'agenda et aux flux de calendrier par catégorie."),
    )
    summary = models.TextField(
        _("résumé"), max_length=400, blank=True, help_text=_("Deux ou trois phrases pour l'agenda et les partages.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Illustration de l'agenda et des partages."
            " Le texte lu par les lecteurs d'écran est la « description » de l'image dans la médiathèque"
            " (vide si l'image est décorative)."
        ),
    )
    start = models.DateTimeField(_("début"), help_text=_("Date et heure de début (heure de Paris)."))
    end = models.DateTimeField(
        _("fin"),
        null=True,
        blank=True,
        help_text=_("Facultatif. Peut être un autre jour pour un événement sur plusieurs jours."),
    )
    all_day = models.BooleanField(
        _("toute la journée"), default=False, help_text=_("Cocher pour ne pas afficher d'heures.")
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Choisir un lieu enregistré ; vide pour un événement en ligne ou à préciser."),
    )
    access_and_price = models.CharField(
        _("accès et tarifs"),
        max_length=255,
        default="Gratuit — inscription obligatoire",
        help_text=_("Par exemple « Gratuit — inscription obligatoire » ou « Plein tarif 20 € / tarif réduit 10 € »."),
    )
    audience = models.TextField(
        _("destinataires"), blank=True, max_length=1000, help_text=_("À qui s'adresse l'événement.")
    )
    objectives = RichTextField(
        _("objectifs"),
        blank=True,
        features=LIST_FEATURES,
        help_text=_("Ce que les participants sauront faire ou auront découvert en repartant."),
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("contenu"),
        blank=True,
        help_text=_("Déroulé, intervenants, informations pratiques : la description détaillée de l'événement."),
    )
    contact_email = models.EmailField(
        _("e-mail de contact"), blank=True, help_text=_("Adresse à laquelle écrire pour une question sur l'événement.")
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_("Un événement annulé ou reporté reste en ligne avec un bandeau."),
    )
    schedule = models.CharField(
        _("type de programmation"),
        max_length=10,
        choices=EventSchedule.choices,
        default=EventSchedule.SINGLE,
        help_text=_(
            "Une date ; une série qui se répète (chaque date a ses propres places) ; ou un parcours "
            "de plusieurs séances pour lequel on s'inscrit une seule fois."
        ),
    )
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    # The repetition rule of a series (``events.recurrence``); read only when ``schedule`` is SERIES.
    repeat_frequency = models.CharField(
        _("fréquence"),
        max_length=10,
        choices=RepeatFrequency.choices,
        default=RepeatFrequency.WEEKLY,
        help_text=_("« Chaque mois » : choisissez aussi quelle semaine du mois, par exemple le premier mardi."),
    )
    repeat_weekdays = WeekdaysField(
        _("jours de la semaine"),
        max_length=20,
        blank=True,
        help_text=_("Le ou les jours où l'événement a lieu."),
    )
    repeat_week_of_month = models.SmallIntegerField(
        _("semaine du mois"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("Seulement pour « chaque mois » : le premier, le deuxième… ou le dernier jour choisi du mois."),
    )
    repeat_from = models.DateField(
        _("à partir du"), null=True, blank=True, help_text=_("Premier jour possible de la série.")
    )
    repeat_until = models.DateField(
        _("jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Dernier jour possible (inclus). Remplissez cette date ou le nombre de dates, pas les deux."),
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("ou nombre de dates"),
        null=True,
        blank=True,
        help_text=_("Par exemple 10 pour dix séances ; les dates retirées (vacances, fériés) ne comptent pas."),
    )
    repeat_start_time = models.TimeField(
        _("heure de début"), null=True, blank=True, help_text=_("Heure de Paris, la même pour chaque date.")
    )
    repeat_end_time = models.TimeField(
        _("heure de fin"), null=True, blank=True, help_text=_("Facultatif. Heure de Paris.")
    )
    repeat_skip_public_holidays = models.BooleanField(
        _("hors jours fériés"), default=True, help_text=_("Ne pas programmer de date un jour férié (11 novembre…).")
    )
    repeat_skip_school_holidays = models.BooleanField(
        _("hors vacances scolaires (zone A)"),
        default=False,
        help_text=_("Ne pas programmer de date pendant les vacances scolaires de Dijon (zone A), été compris."),
    )
    repeat_skip_dates = models.TextField(
        _("autres dates à retirer"),
        blank=True,
        max_length=4000,
        help_text=_("Une date par ligne, au format JJ/MM/AAAA, par exemple 22/12/2026."),
    )

    objects = EventPageManager()
    base_form_class = EventPageForm

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("objectives"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [
        NotificationConfirmationPanel("confirm_notification"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("summary"), FieldPanel("image"), FieldPanel("status")],
            heading=_("Présentation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("schedule"),
                # A series' dates come from its rule: hidden (with JavaScript) while « série » is chosen.
                MultiFieldPanel(
                    [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
                    heading=_("Date"),
                    attrs={"data-w-rules-target": "show", "data-w-rules": '{"schedule": ["single", "course"]}'},
                ),
                FieldPanel("venue"),
                InlinePanel(
                    "sessions",
                    heading=_("Séances"),
                    label=_("séance"),
                    min_num=0,
                    help_text=_(
                        "Pour un parcours seulement : une ligne par séance (au moins deux). Le début et la fin "
                        "de l'événement suivent alors la première et la dernière séance, et les inscriptions "
                        "ferment au début de la première."
                    ),
                ),
            ],
            heading=_("Date et lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("repeat_frequency"),
                FieldPanel("repeat_weekdays"),
                FieldPanel("repeat_week_of_month"),
                FieldRowPanel([FieldPanel("repeat_from"), FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                FieldRowPanel([FieldPanel("repeat_start_time"), FieldPanel("repeat_end_time")]),
                FieldPanel("repeat_skip_public_holidays"),
                FieldPanel("repeat_skip_school_holidays"),
                FieldPanel("repeat_skip_dates"),
                RuleDatesPanel(heading=_("Dates de la série")),
            ],
            heading=_("Répétition"),
            help_text=_(
                "Pour une série seulement : décrivez la règle, enregistrez le brouillon, puis relisez la liste "
                "des dates avant de publier."
            ),
            # Shown only for a series when JavaScript runs; always there (and harmless) without it.
            attrs={"data-w-rules-target": "show", "data-w-rules": '{"schedule": ["series"]}'},
        ),
        MultiFieldPanel(
            [FieldPanel("access_and_price"), FieldPanel("audience"), FieldPanel("contact_email")],
            heading=_("Informations pratiques"),
        ),
        FieldPanel("objectives"),
        FieldPanel("body"),
        InlinePanel("event_partners", heading=_("Organisateurs et partenaires"), label=_("partenaire")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                content_panels,
                heading=_("Contenu"),
                attrs={"data-controller": "w-rules", "data-action": "change->w-rules#resolve"},
            ),
            ObjectList(RegistrationSettings.registration_panels, heading=_("Inscriptions")),
            ObjectList(PROMOTE_PANELS, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Publication")),
        ]
    )

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    # Changing one of these on a published event is an update calendar apps must apply
    # (times and status as RFC 5546 says, and the place, which attendees need too).
    ICAL_SIGNIFICANT_FIELDS = ("start", "end", "all_day", "status", "venue")
    COURSE_SCHEDULE = EventSchedule.COURSE  # for the editor's form, which cannot import this module

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        errors = self.registration_errors()
        self._sync_course_dates()
        session_errors = self.course_session_errors(self.sessions.all(), self.schedule)
        if session_errors:
            errors[NON_FIELD_ERRORS] = session_errors
        if self.is_series and self.describes_rule:
            errors.update(self.apply_rule())
        if self.start and self.end:
            if self.all_day:  # only the (local) days count
                too_early = to_local(self.end).date() < to_local(self.start).date()
            else:
                too_early = self.end < self.start
            if too_early:
                errors["end"] = _("La fin de l'événement ne peut pas précéder son début.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self._sync_course_dates()
        update_fields = kwargs.get("update_fields")
        if self.pk and (update_fields is None or set(update_fields) & set(self.ICAL_SIGNIFICANT_FIELDS)):
            self.ical_sequence = self._next_ical_sequence()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "ical_sequence"}
        super().save(*args, **kwargs)

    def _ical_attnames(self):
        return [self._meta.get_field(name).attname for name in self.ICAL_SIGNIFICANT_FIELDS]

    def _next_ical_sequence(self):
        """SEQUENCE rises when a published event's times or status change.

        Compared with the stored row, which holds the published version once the
        event has been published; drafts never touch it.
        """
        stored = (
            EventPage.objects.filter(pk=self.pk)
            .values("first_published_at", "ical_sequence", *self._ical_attnames())
            .first()
        )
        if stored is None:
            return self.ical_sequence
        sequence = max(stored["ical_sequence"], self.ical_sequence)
        changed = any(stored[name] != getattr(self, name) for name in self._ical_attnames())
        changed = changed or self._sessions_changed()
        if stored["first_published_at"] and changed:
            sequence += 1
        return sequence

    # A course (``EventSchedule.COURSE``): its sessions date it.

    @property
    def is_course(self):
        return self.schedule == EventSchedule.COURSE

    @staticmethod
    def _session_end(session):
        return session.end or session.start

    def _sync_course_dates(self):
        """A course's start and end are its first session's start and its last session's end.

        So the agenda's querysets, the registration window (closing at the first
        session) and the reminders keep reading ``start`` and ``end``. Reads the
        sessions in memory (the editor's, or a revision's) as modelcluster holds them.
        """
        if not self.is_course:
            return
        sessions = [session for session in self.sessions.all() if session.start]
        if sessions:
            self.start = min(session.start for session in sessions)
            self.end = max(self._session_end(session) for session in sessions)

    @classmethod
    def course_session_errors(cls, sessions, schedule=None):
        """What is wrong with a course's sessions, in French (empty when nothing): one rule for the editor and saves.

        ``sessions`` are ``CourseSession`` objects (saved or not); ``schedule``
        defaults to the event's own when called on an instance.
        """
        sessions = sorted((s for s in sessions if s.start), key=lambda s: s.start)
        if schedule != EventSchedule.COURSE:
            if sessions:
                return [
                    _(
                        "Les séances ne servent qu'aux parcours : choisissez « Parcours en plusieurs séances » "
                        "comme type de programmation, ou supprimez les séances."
                    )
                ]
            return []
        errors = []
        if len(sessions) < 2:
            errors.append(
                _("Un parcours compte au moins deux séances : ajoutez-les dans « Séances » (date, heures, lieu).")
            )
        for previous, following in zip(sessions, sessions[1:], strict=False):
            if following.start < cls._session_end(previous):
                errors.append(
                    _("Deux séances se chevauchent : « %(first)s » et « %(second)s ».")
                    % {"first": previous, "second": following}
                )
        return errors

    def _sessions_changed(self):
        """True when the course's sessions (times or places) differ from the stored ones: calendars must update."""
        if not self.pk or not self.is_course:
            return False
        fields = ("pk", "start", "end", "venue_id")
        stored = set(CourseSession.objects.filter(page_id=self.pk).values_list(*fields))
        current = {tuple(getattr(session, name) for name in fields) for session in self.sessions.all()}
        return stored != current

    @cached_property
    def course_sessions(self):
        """The sessions of a course in date order, with their venues (one query); empty for other events."""
        if not self.is_course:
            return []
        prefetched = "sessions" in getattr(self, "_prefetched_objects_cache", {})
        sessions = self.sessions.all() if prefetched else self.sessions.select_related("venue")
        return sorted(sessions, key=lambda session: (session.start, session.pk or 0))

    def default_session(self, now=None):
        """The session staff check in unless they choose: today's (not over yet), else the next, else the last."""
        sessions = self.course_sessions
        if not sessions:
            return None
        now = now or timezone.now()
        today = [s for s in sessions if to_local(s.start).date() == to_local(now).date()]
        coming = [s for s in today or sessions if self._session_end(s) >= now]
        return (coming or today or sessions)[0 if coming else -1]

    # The repetition rule of a series.

    @property
    def is_series(self):
        return self.schedule == EventSchedule.SERIES

    @property
    def describes_rule(self):
        """True once a rule is typed in; a series without one has its dates managed by hand (scripts, imports).

        The editor's form requires the rule of a series (``EventPageForm``).
        """
        return bool(
            self.repeat_weekdays or self.repeat_from or self.repeat_until or self.repeat_count or self.repeat_start_time
        )

    @property
    def repeat_weekday_list(self):
        """The chosen weekdays as numbers (0 = Monday), from the stored "1,3"."""
        return tuple(sorted({int(day) for day in self.repeat_weekdays.split(",") if day.strip().isdigit()}))

    def repeat_rule(self):
        """The ``recurrence.Rule`` the editor described, or None while it is incomplete or wrong."""
        rule, errors = self._rule_and_errors()
        return None if errors else rule

    def _rule_and_errors(self):
        errors = {}
        weekdays = self.repeat_weekday_list
        if not weekdays:
            errors["repeat_weekdays"] = _("Cochez au moins un jour de la semaine.")
        if self.repeat_frequency == RepeatFrequency.MONTHLY and self.repeat_week_of_month is None:
            errors["repeat_week_of_month"] = _("Choisissez quelle semaine du mois, par exemple « le premier ».")
        if not self.repeat_from:
            errors["repeat_from"] = _("Indiquez le premier jour de la série.")
        if self.repeat_until and self.repeat_count:
            errors["repeat_count"] = _("Indiquez soit une date de fin, soit un nombre de dates, pas les deux.")
        elif not self.repeat_until and not self.repeat_count:
            errors["repeat_until"] = _("Indiquez jusqu'à quand la série a lieu, ou son nombre de dates.")
        elif self.repeat_until and self.repeat_from and self.repeat_until < self.repeat_from:
            errors["repeat_until"] = _("La date de fin de la série ne peut pas précéder son premier jour.")
        if not self.repeat_start_time:
            errors["repeat_start_time"] = _("Indiquez l'heure de début de chaque date.")
        elif self.repeat_end_time and self.repeat_end_time == self.repeat_start_time:
            errors["repeat_end_time"] = _("L'heure de fin doit être différente de l'heure de début.")
        try:
            skip_dates = recurrence.parse_dates(self.repeat_skip_dates)
        except ValueError as error:
            errors["repeat_skip_dates"] = str(error)
            skip_dates = ()
        if errors:
            return None, errors
        rule = recurrence.Rule(
            frequency=self.repeat_frequency,
            weekdays=weekdays,
            week_of_month=self.repeat_week_of_month,
            first_day=self.repeat_from,
            until=self.repeat_until,
            count=self.repeat_count,
            start_time=self.repeat_start_time,
            end_time=self.repeat_end_time,
            skip_public_holidays=self.repeat_skip_public_holidays,
            skip_school_holidays=self.repeat_skip_school_holidays,
            skip_dates=skip_dates,
        )
        return rule, {}

    def rule_dates(self):
        """Every date of the rule, the left-out ones with their reason (``recurrence.expand``); [] without a rule."""
        rule = self.repeat_rule()
        if rule is None:
            return []
        try:
            return recurrence.expand(rule)
        except recurrence.RuleTooLong:
            return []

    def apply_rule(self):
        """Check the rule; when it is sound, the series starts at its first date and ends with its last.

        Returns the errors by field (French), as ``clean`` reports them.
        """
        rule, errors = self._rule_and_errors()
        if errors:
            return errors
        try:
            dates = recurrence.scheduled(rule)
        except recurrence.RuleTooLong:
            return {
                "repeat_until": _(
                    "Cette règle donne plus de %(max)d dates : raccourcissez la période ou choisissez moins de jours."
                )
                % {"max": recurrence.MAX_DATES}
            }
        if not dates:
            return {
                "repeat_from": _("Cette règle ne donne aucune date : vérifiez les jours, la période et les exceptions.")
            }
        self.start, self.end, self.all_day = dates[0].start, dates[-1].end or dates[-1].start, False
        return {}

    @cached_property
    def rule_display(self):
        """The rule in one French sentence for the page ("Tous les mardis, de 14 h à 17 h, …"), "" without one."""
        rule = self.repeat_rule() if self.is_series else None
        if rule is None:
            return ""
        return recurrence.describe(rule, to_local(self.start).date(), to_local(self.end or self.start).date())

    def dates_kept_off_rule(self, rule_dates=None, now=None):
        """Upcoming dates the rule no longer gives, kept because people registered for them.

        The editor is told about them (the draft's date list, the message after
        publishing): cancel them one by one if they must not take place.
        """
        rule_dates = self.rule_dates() if rule_dates is None else rule_dates
        days = {rule_date.day for rule_date in rule_dates if not rule_date.excluded}
        booked = self.occurrences.filter(occurrence_upcoming_q(now), registrations__isnull=False).distinct()
        return [occurrence for occurrence in booked.order_by("start") if occurrence.rule_day not in days]

    @cached_property
    def next_dates(self):
        """``upcoming_occurrences`` read once per request (the page's list and its JSON-LD)."""
        return list(self.upcoming_occurrences())

    def upcoming_occurrences(self, now=None):
        """The dates of the series not over yet, soonest first (cancelled ones included, marked)."""
        if not self.pk:
            return Occurrence.objects.none()
        return self.occurrences.filter(occurrence_upcoming_q(now)).select_related("venue").order_by("start", "pk")

    # What templates, feeds and JSON-LD read.

    @property
    def dates_display(self):
        return format_event_dates(self.start, self.end, self.all_day)

    @property
    def listing_date(self):
        """Start and end a card shows: a series' next date (``with_next_date``), else the page's."""
        if self.is_series and getattr(self, "next_start", None):
            return self.next_start, self.next_end
        return self.start, self.end

    @property
    def listing_dates_display(self):
        start, end = self.listing_date
        return format_event_dates(start, end, self.all_day and not self.is_series)

    @property
    def listing_later_dates(self):
        """How many more dates of a series follow the one a card shows (0 for other events)."""
        return max(getattr(self, "later_dates", 0) or 0, 0) if self.is_series else 0

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.status == EventStatus.POSTPONED

    @property
    def ical_url(self):
        # None while previewing an event that was never saved.
        return reverse("events:event_ics", args=[self.pk]) if self.pk else None

    @cached_property
    def partner_groups(self):
        """Partners by role, in the order the page shows them: organisers first."""
        links = self.event_partners.select_related("partner").prefetch_related(
            models.Prefetch("partner__logo", queryset=get_image_model().objects.prefetch_renditions("max-240x120"))
        )
        groups = {role: [] for role in PartnerRole.values}
        for link in links:
            groups[link.role].append(link.partner)
        headings = {
            PartnerRole.ORGANISER: _("Organisé par"),
            PartnerRole.PARTNER: _("En partenariat avec"),
            PartnerRole.FUNDER: _("Avec le soutien de"),
        }
        return [
            {"role": role, "heading": headings[role], "partners": partners}
            for role, partners in groups.items()
            if partners
        ]

    def related_events(self, limit=3):
        """Other upcoming events of the same category, soonest first."""
        if not self.category_id:
            return EventPage.objects.none()
        return (
            EventPage.objects.live()
            .public()
            .upcoming()
            .with_next_date()
            .filter(category_id=self.category_id)
            .exclude(pk=self.pk)
            .order_by("listing_start", "pk")[:limit]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's kept main column is rebuilt ({% clockcache %}), not on every view.
        context["related_events"] = SimpleLazyObject(lambda: list(self.related_events()))
        return context


class PartnerRole(models.TextChoices):
    ORGANISER = "organiser", _("Organisateur")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")


class EventPartner(Orderable):
    """A partner linked to an event with its role, shown as a logo."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="event_partners")
    partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("partenaire"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Un partenaire enregistré dans « Partenaires » ; son logo s'affiche sur la page."),
    )
    role = models.CharField(
        _("rôle"),
        max_length=20,
        choices=PartnerRole.choices,
        default=PartnerRole.PARTNER,
        help_text=_("Organisateur, partenaire ou financeur de cet événement."),
    )

    panels = [FieldPanel("partner"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("partenaire de l'événement")


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")


class Occurrence(models.Model):
    """One date of a series (``EventSchedule.SERIES``): the bookable unit of that date.

    Occurrences are produced from the series' rule and kept in step with it;
    ``original_start`` is the start the rule gave (the calendar's
    ``RECURRENCE-ID``), so a date moved by hand (``start`` differs) is still
    recognised when the rule is expanded again. ``venue`` and ``capacity``
    override the series' when set.
    """

    wagtail_reference_index_ignore = True

    event = models.ForeignKey(EventPage, verbose_name=_("série"), on_delete=models.CASCADE, related_name="occurrences")
    original_start = models.DateTimeField(
        _("date prévue par la règle"), help_text=_("Début donné par la règle de répétition (ne change pas).")
    )
    start = models.DateTimeField(_("début"), help_text=_("Date et heure de début de cette date (heure de Paris)."))
    end = models.DateTimeField(_("fin"), null=True, blank=True, help_text=_("Facultatif."))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : le lieu de la série."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Vide : le nombre de places de la série.")
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    note = models.CharField(
        _("message"),
        max_length=255,
        blank=True,
        help_text=_("Affiché avec cette date, par exemple « Exceptionnellement en salle 2 »."),
    )
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("date de la série")
        verbose_name_plural = _("dates de la série")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "original_start"], name="one_occurrence_per_rule_date"),
        ]
        indexes = [models.Index(fields=["event", "start"], name="occurrence_event_start")]

    # Changing one of these is an update calendar apps must apply (this date's VEVENT).
    ICAL_SIGNIFICANT_FIELDS = ("start", "end", "status", "venue")

    def __str__(self):
        return f"{self.event.title} — {format_event_dates(self.start, self.end)}"

    def save(self, *args, **kwargs):
        if self.pk:
            attnames = [self._meta.get_field(name).attname for name in self.ICAL_SIGNIFICANT_FIELDS]
            stored = Occurrence.objects.filter(pk=self.pk).values("ical_sequence", *attnames).first()
            if stored is not None:
                sequence = max(stored["ical_sequence"], self.ical_sequence)
                if any(stored[name] != getattr(self, name) for name in attnames):
                    sequence += 1
                self.ical_sequence = sequence
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "ical_sequence"}
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self):
        return self.status == OccurrenceStatus.CANCELLED or self.event.status == EventStatus.CANCELLED

    @property
    def effective_venue(self):
        """The venue of this date: its own, else the series'."""
        return self.venue if self.venue_id else self.event.venue

    @property
    def effective_capacity(self):
        """Seats of this date: its own number, else the series' (None: no limit)."""
        return self.capacity if self.capacity is not None else self.event.capacity

    @property
    def is_moved(self):
        return self.start != self.original_start

    @property
    def rule_day(self):
        """The (Paris) day the rule gave this date: how the sync recognises it, even moved."""
        return to_local(self.original_start).date()

    @property
    def dates_display(self):
        return format_event_dates(self.start, self.end)


class CourseSession(Orderable):
    """One session of a course (``EventSchedule.COURSE``): one registration covers them all."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(
        _("intitulé"), max_length=200, blank=True, help_text=_("Facultatif, par exemple « Séance 2 : la médiation ».")
    )
    start = models.DateTimeField(_("début"), help_text=_("Date et heure de début de la séance (heure de Paris)."))
    end = models.DateTimeField(_("fin"), null=True, blank=True, help_text=_("Facultatif."))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : le lieu de l'événement."),
    )

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("venue")]

    class Meta(Orderable.Meta):
        verbose_name = _("séance")
        verbose_name_plural = _("séances")

    def __str__(self):
        return self.title or format_event_dates(self.start, self.end)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin de la séance doit venir après son début.")})

    @property
    def effective_venue(self):
        """The session's own venue, else the course's."""
        return self.venue if self.venue_id else self.page.venue

    @property
    def dates_display(self):
        return format_event_dates(self.start, self.end)
