"""Funded actions: who funds what, with which objectives, and which events carry it out.

Models describe; the figures are computed in ``funders/figures.py`` from the
anonymous statistics rows of the registrations app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable


class Indicator(models.TextChoices):
    """What a target measures (definitions in ``funders/figures.py``)."""

    PARTICIPANTS = "participants", _("Participations (personnes présentes, par événement)")
    PEOPLE = "people", _("Personnes différentes")
    RETURNING = "returning", _("Personnes revenues (au moins deux venues dans l'année)")
    EVENTS = "events", _("Événements tenus")
    ANSWER_SHARE = "answer_share", _("Part des répondant·es ayant donné une réponse (%)")
    COMPLETION = "completion", _("Parcours suivis jusqu'au bout (%)")


class FundedAction(ClusterableModel):
    """One action a funder pays for (a convention, a call for projects): its objectives and its events."""

    title = models.CharField(
        _("intitulé"), max_length=200, help_text=_("Le nom de l'action tel qu'il figure dans la convention.")
    )
    funders = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("financeurs"),
        blank=True,
        related_name="+",
        help_text=_("Les financeurs enregistrés dans « Partenaires » (leur logo figure sur le bilan)."),
    )
    funder_text = models.CharField(
        _("autres financeurs"),
        max_length=255,
        blank=True,
        help_text=_("Financeurs sans fiche partenaire, en toutes lettres (par exemple « Fondation de France »)."),
    )
    scheme = models.CharField(
        _("dispositif"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Contrat de ville — appel à projets 2026 » ou « Politique de la ville »."),
    )
    first_year = models.PositiveSmallIntegerField(_("première année"), help_text=_("Année de début de l'action."))
    last_year = models.PositiveSmallIntegerField(
        _("dernière année"), help_text=_("Année de fin (la même pour une action d'un an).")
    )
    note = models.TextField(
        _("bilan qualitatif"),
        blank=True,
        max_length=10000,
        help_text=_("Ce que les chiffres ne disent pas : ce qui a marché, les difficultés, des paroles recueillies."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("scheme"),
                FieldRowPanel([FieldPanel("first_year"), FieldPanel("last_year")]),
            ],
            heading=_("L'action"),
        ),
        MultiFieldPanel([FieldPanel("funders"), FieldPanel("funder_text")], heading=_("Financeurs")),
        InlinePanel("targets", heading=_("Objectifs chiffrés"), label=_("objectif")),
        InlinePanel("action_events", heading=_("Événements de l'action"), label=_("événement")),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("action financée")
        verbose_name_plural = _("actions financées")
        ordering = ["-first_year", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("La dernière année ne peut pas précéder la première.")})

    @property
    def years(self):
        return range(self.first_year, self.last_year + 1)


class FundedActionTarget(Orderable):
    """One objective of an action: an indicator and its target figure (« 300 participations »)."""

    action = ParentalKey(FundedAction, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(
        _("indicateur"),
        max_length=20,
        choices=Indicator.choices,
        help_text=_("Ce qui est compté ; pour une part, choisir aussi la question et les réponses comptées."),
    )
    target = models.DecimalField(
        _("objectif"),
        max_digits=8,
        decimal_places=1,
        help_text=_("Le chiffre visé : un nombre de personnes, ou un pourcentage pour une part (40 pour 40 %)."),
    )
    question = models.ForeignKey(
        "registrations.AudienceQuestion",
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Pour une part : la question des financeurs concernée."),
    )
    answers = models.TextField(
        _("réponses comptées"),
        blank=True,
        help_text=_("Pour une part : les réponses qui comptent, une par ligne, écrites comme dans la question."),
    )
    label = models.CharField(
        _("libellé"),
        max_length=200,
        blank=True,
        help_text=_("Facultatif, par exemple « habitant les quartiers prioritaires »."),
    )

    panels = [
        FieldRowPanel([FieldPanel("indicator"), FieldPanel("target")]),
        FieldRowPanel([FieldPanel("question"), FieldPanel("answers")]),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")

    def __str__(self):
        return self.label or self.get_indicator_display()

    def clean(self):
        super().clean()
        if self.indicator == Indicator.ANSWER_SHARE:
            errors = {}
            if not self.question_id:
                errors["question"] = _("Choisissez la question dont la part est comptée.")
            if not self.answer_list:
                errors["answers"] = _("Indiquez au moins une réponse comptée.")
            elif self.question_id:
                unknown = set(self.answer_list) - set(self.question.choice_list)
                if unknown:
                    errors["answers"] = _("Réponses absentes de la question : %(answers)s.") % {
                        "answers": ", ".join(sorted(unknown))
                    }
            if errors:
                raise ValidationError(errors)

    @property
    def answer_list(self):
        return [line.strip() for line in self.answers.splitlines() if line.strip()]


class FundedActionEvent(Orderable):
    """An event (single date, series or course) carried out under an action."""

    action = ParentalKey(FundedAction, on_delete=models.CASCADE, related_name="action_events")
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="funded_action_links",
        help_text=_("Un événement de l'agenda : une date, une série ou un parcours."),
    )

    panels = [PageChooserPanel("event", "events.EventPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("événement de l'action")
        verbose_name_plural = _("événements de l'action")
        constraints = [models.UniqueConstraint(fields=["action", "event"], name="one_link_per_action_and_event")]
