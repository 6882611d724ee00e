"""The action's report page in the admin and its pack download: managers of registrations only."""

import tempfile

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from funders import charts
from funders.figures import action_report
from funders.models import FundedAction
from funders.pack import pack_filename, write_pack
from funders.tables import number_text, report_tables
from registrations.admin.permissions import ManagerRequiredMixin


class ActionMixin(ManagerRequiredMixin):
    """Loads the action, and the year asked (``?annee=``) when it is one of the action's years, else None."""

    def dispatch(self, request, *args, **kwargs):
        self.action = get_object_or_404(FundedAction.objects.prefetch_related("funders", "targets"), pk=kwargs["pk"])
        asked = request.GET.get("annee", "")
        self.year = int(asked) if asked.isdigit() and int(asked) in self.action.years else None
        return super().dispatch(request, *args, **kwargs)

    def year_query(self):
        return f"?annee={self.year}" if self.year else ""


class ReportView(ActionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Figures against targets, breakdowns with their charts, the note; exact figures (the team only)."""

    template_name = "funders/report.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Bilan : %(title)s") % {"title": self.action.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_funders_fundedaction:list"), "label": _("Actions financées")},
            {"url": "", "label": self.action.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = action_report(self.action, year=self.year)
        tables = report_tables(report, suppressed=False)
        context.update(
            action=self.action,
            report=report,
            progress=[
                (
                    progress,
                    charts.progress_bar(
                        str(progress.target),
                        progress.ratio,
                        _("%(value)s sur %(target)s")
                        % {
                            "value": number_text(progress.value, progress.is_share),
                            "target": number_text(progress.target.target, progress.is_share),
                        },
                    ),
                )
                for progress in report.targets
            ],
            tables=[(table, charts.bar_chart(table.title, table.chart) if table.chart else None) for table in tables],
            pack_url=reverse("funders:pack", args=[self.action.pk]) + self.year_query(),
            years=list(self.action.years),
            year=self.year,
            edit_url=reverse("wagtailsnippets_funders_fundedaction:edit", args=[self.action.pk]),
        )
        return context


class PackView(ActionMixin, View):
    """The funder's pack of this action as a ZIP attachment."""

    def get(self, request, pk):
        file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        write_pack([self.action], file, year=self.year)
        file.seek(0)
        name = pack_filename([self.action])
        if self.year:
            name = name.replace(".zip", f"-{self.year}.zip")
        return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
