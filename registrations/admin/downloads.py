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


ALL_SESSIONS = "toutes"


def sheet_session(event, request):
    """(session, all sessions?) asked by ``?seance=<id>`` or ``?seance=toutes``; only for a course (else 404)."""
    value = request.GET.get("seance", "")
    if not value:
        return None, False
    if not event.is_course:
        raise Http404
    if value == ALL_SESSIONS:
        return None, True
    session = next((item for item in event.course_sessions if str(item.pk) == value), None)
    if session is None:
        raise Http404
    return session, False


class SigninSheetPdfView(EventMixin, View):
    """The sheet as PDF: of one date of a series (``?date=``); for a course, one session's (``?seance=``)
    or every session's, one sheet each."""

    needs_date = True

    def get(self, request, event_id):
        blank_rows = blank_rows_from(request)
        session, all_sessions = sheet_session(self.event, request)
        sheets = signin_sheet.course_sheets(self.event, blank_rows=blank_rows) if all_sessions else None
        pdf = signin_sheet.render_pdf(
            self.event, blank_rows=blank_rows, occurrence=self.occurrence, session=session, sheets=sheets
        )
        filename = signin_sheet.pdf_filename(self.event, self.occurrence, session=session, all_sessions=all_sessions)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SigninSheetHtmlView(EventMixin, View):
    """A print-ready page (A4, header repeated on each page) without the admin's menus; a course's by session."""

    needs_date = True

    def get(self, request, event_id):
        blank_rows = blank_rows_from(request)
        session, all_sessions = sheet_session(self.event, request)
        if all_sessions:
            sheets = signin_sheet.course_sheets(self.event, blank_rows=blank_rows)
        else:
            sheets = [
                signin_sheet.signin_sheet_data(
                    self.event, blank_rows=blank_rows, occurrence=self.occurrence, session=session
                )
            ]
        for sheet in sheets:
            sheet["first_blank_number"] = len(sheet["attendees"]) + 1
        context = {**sheets[0], "sheets": sheets}
        return TemplateResponse(request, "registrations/admin/signin_sheet.html", context)
