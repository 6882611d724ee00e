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
    def dispatch(self, request, *args, **kwargs):
        self.action = get_object_or_404(FundedAction.objects.prefetch_related("funders", "targets"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


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
        report = action_report(self.action)
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
            pack_url=reverse("funders:pack", args=[self.action.pk]),
            edit_url=reverse("wagtailsnippets_funders_fundedaction:edit", args=[self.action.pk]),
        )
        return context


class PackView(ActionMixin, View):
    """The funder's pack of this action as a ZIP attachment."""

    def get(self, request, pk):
        file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        write_pack([self.action], file)
        file.seek(0)
        return FileResponse(
            file, as_attachment=True, filename=pack_filename([self.action]), content_type="application/zip"
        )
