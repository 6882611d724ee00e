"""Figures for funders over a period (``registrations.reports``), on screen and as XLSX, and their menu item."""

import itertools

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from registrations import reports
from registrations.admin.base import StaffPageMixin
from registrations.admin.downloads import xlsx_response
from registrations.admin.forms import ReportPeriodForm
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations


class ReportView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """Figures for funders over a period, on screen and as XLSX (``?format=xlsx``)."""

    template_name = "registrations/admin/report.html"
    page_title = gettext_lazy("Rapports d'inscriptions")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        date_from, date_to = ReportPeriodForm.default_period()
        data = request.GET if "date_from" in request.GET else {"date_from": date_from, "date_to": date_to}
        self.form = ReportPeriodForm(data)
        self.report = None
        if self.form.is_valid():
            period = self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"]
            self.report = reports.period_report(*period)
            self.dates = reports.series_dates_report(*period)  # each date of a series on its own line
            if request.GET.get("format") == "xlsx":
                return self.xlsx_response()
        return super().get(request, *args, **kwargs)

    def xlsx_response(self):
        period = f"{self.report.date_from.isoformat()}-{self.report.date_to.isoformat()}"
        rows = itertools.chain(reports.period_report_rows(self.report), reports.series_dates_rows(self.dates))
        return xlsx_response(rows, f"rapport-inscriptions-{period}.xlsx", sheet_title=_("Rapport"), header=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, report=self.report, dates=getattr(self, "dates", []))
        if self.report is not None:
            context["xlsx_url"] = (
                "?" + self.request.GET.urlencode() + "&format=xlsx"
                if self.request.GET
                else (
                    "?"
                    + f"date_from={self.report.date_from.isoformat()}&date_to={self.report.date_to.isoformat()}"
                    + "&format=xlsx"
                )
            )
        return context


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_registrations(request.user)


class ReportViewSet(ViewSet):
    """ "Inscriptions" → "Rapports", shown to managers only."""

    name = "inscriptions_rapports"
    url_prefix = "inscriptions-rapports"
    icon = "table"
    menu_label = gettext_lazy("Rapports")
    menu_order = 200
    menu_item_class = ReportMenuItem

    def get_urlpatterns(self):
        return [path("", ReportView.as_view(), name="index")]
