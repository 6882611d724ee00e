"""Files staff download for one event: the CSV/XLSX export and the sign-in sheet (PDF or a page to print)."""

import tempfile

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.views.generic import View
from wagtail import log_actions

from registrations import exports, signin_sheet
from registrations.admin.base import EventMixin
from registrations.models import RegistrationStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows, filename, **options):
    """An XLSX attachment spooled to a temporary file (big exports stay off the memory)."""
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    exports.write_xlsx(rows, file, **options)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


class ExportView(EventMixin, View):
    """CSV (streamed) or XLSX of one event's registrations, recorded in the event's history."""

    def get(self, request, event_id, fmt):
        status = request.GET.get("statut") or None
        if fmt not in ("csv", "xlsx") or (status and status not in RegistrationStatus.values):
            raise Http404
        rows = exports.registration_rows(self.event, status=status, occurrence=self.occurrence)
        filename = exports.export_filename(self.event, fmt, self.occurrence)
        data = {"format": fmt, "status": status}
        if self.occurrence is not None:
            data["occurrence"] = self.occurrence.pk
        log_actions.log(instance=self.event, action="registrations.export", user=request.user, data=data)
        if fmt == "csv":
            response = StreamingHttpResponse(exports.iter_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return xlsx_response(rows, filename)


def blank_rows_from(request):
    value = request.GET.get("vierges", "")
    return int(value) if value.isdigit() else signin_sheet.DEFAULT_BLANK_ROWS


class SigninSheetPdfView(EventMixin, View):
    needs_date = True

    def get(self, request, event_id):
        pdf = signin_sheet.render_pdf(self.event, blank_rows=blank_rows_from(request), occurrence=self.occurrence)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = signin_sheet.pdf_filename(self.event, self.occurrence)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SigninSheetHtmlView(EventMixin, View):
    """A print-ready page (A4, header repeated on each page) without the admin's menus."""

    needs_date = True

    def get(self, request, event_id):
        context = signin_sheet.signin_sheet_data(
            self.event, blank_rows=blank_rows_from(request), occurrence=self.occurrence
        )
        context["first_blank_number"] = len(context["attendees"]) + 1
        return TemplateResponse(request, "registrations/admin/signin_sheet.html", context)
