"""The report as tables of cells: one source for the admin page, the XLSX sheets and the PDF summary.

``report_tables(report, suppressed=True)`` is what leaves the association
(every count of people through ``suppression.suppress``; the number of
events is not about people and is shown as it is); the admin page, seen by the
team only, asks for exact figures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.dates import format_month, format_short_date
from funders import suppression


@dataclass
class Table:
    title: str
    header: list
    rows: list
    chart: list | None = None  # [(label, exact value)] for a bar chart (drawn on screen and in the PDF)

    def as_rows(self):
        return [self.header, *self.rows]


def number_text(value, is_share):
    """« 42,5 % » or « 300 »: French decimal comma."""
    if value is None:
        return "—"
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    text = text.replace(".", ",")
    return f"{text} %" if is_share else text


def target_value_text(progress, suppressed):
    if progress.is_share and suppressed:
        shown = suppression.suppress_share(progress.part, progress.whole)
        return f"{str(shown).replace('.', ',')} %" if isinstance(shown, float) else str(shown)
    if not progress.is_share and suppressed and progress.value is not None and progress.counts_people:
        return str(suppression.suppress(int(progress.value)))
    return number_text(progress.value, progress.is_share)


def report_tables(report, *, suppressed=True):
    """[Table]: summary, targets, per event, month, category, paying or free, each audience question, sessions,
    courses."""
    count = suppression.suppress if suppressed else (lambda value: value)

    def share(part, whole):
        if suppressed:
            return suppression.suppress_share(part, whole)
        return round(100 * part / whole, 1) if whole else "—"

    tables = [
        Table(
            _("Synthèse"),
            [_("Indicateur"), _("Valeur")],
            [
                [_("Événements tenus"), report.events_held],  # not people: never suppressed
                [_("Inscrit·es (places confirmées)"), count(report.registered)],
                [_("Participations (personnes présentes)"), count(report.participations)],
                [_("Personnes différentes"), count(report.people)],
                [_("Personnes revenues (au moins deux venues dans l'année)"), count(report.returning)],
            ],
        ),
        Table(
            _("Objectifs"),
            [_("Objectif"), _("Visé"), _("Réalisé"), _("Atteint")],
            [
                [
                    str(progress.target),
                    number_text(progress.target.target, progress.is_share),
                    target_value_text(progress, suppressed),
                    _("oui") if progress.reached else _("non"),
                ]
                for progress in report.targets
            ],
        ),
        Table(
            _("Par événement"),
            [_("Événement"), _("Date"), _("Type"), _("Inscrit·es"), _("Participations")],
            [
                [event.title, format_short_date(event.start), event.get_schedule_display(), count(reg), count(came)]
                for event, reg, came in report.events
            ],
        ),
        Table(
            _("Par mois"),
            [_("Mois"), _("Participations")],
            [[format_month(month), count(value)] for month, value in report.by_month],
            chart=[(format_month(month), value) for month, value in report.by_month],
        ),
        Table(
            _("Par catégorie"),
            [_("Catégorie"), _("Participations")],
            [[name, count(value)] for name, value in report.by_category],
            chart=list(report.by_category),
        ),
        Table(
            _("Payant ou gratuit"),
            [_("Participation"), _("Participations"), _("Personnes différentes"), _("Part des participations (%)")],
            [
                [
                    line.label,
                    count(line.participations),
                    count(line.people),
                    share(line.participations, report.participations),
                ]
                for line in report.by_paying
            ],
            chart=[(line.label, line.participations) for line in report.by_paying],
        ),
    ]
    for breakdown in report.by_answer:
        tables.append(
            Table(
                breakdown.question.label,
                [_("Réponse"), _("Participations"), _("Part des répondant·es (%)")],
                [
                    *(
                        [answer, count(value), share(value, breakdown.respondents)]
                        for answer, value in breakdown.counts
                    ),
                    [_("Sans réponse"), count(breakdown.unanswered), ""],
                ],
                chart=list(breakdown.counts),
            )
        )
    if report.sessions:
        tables.append(
            Table(
                _("Présence par séance"),
                [_("Parcours"), _("Séance"), _("Date"), _("Présent·es")],
                [
                    [event.title, str(session), format_short_date(session.start), count(present)]
                    for event, session, present in report.sessions
                ],
            )
        )
    if report.courses:
        tables.append(
            Table(
                _("Parcours suivis"),
                [_("Parcours"), _("Venu·es à une séance au moins"), _("Venu·es à toutes"), _("Part (%)")],
                [[event.title, count(n), count(done), share(done, n)] for event, n, done in report.courses],
            )
        )
    return tables
