r"""The door: a request no person could have typed gets a French 400 page, not a server error.

No browser puts a control character in an address, but a probe does, and
each view would then have to survive it: NUL made PostgreSQL refuse the site
search and the check-in search (500s). So before any view runs:

- a control character (NUL, ESC, DEL, the C1 range: ``core.text.has_control``)
  in the path or in a query-string name or value answers 400;
- NUL anywhere in posted form data answers 400. Other controls are left to the
  forms, whose fields clean them (text pasted from Word carries ``\x0b``, and
  refusing it would lose what the person typed); NUL is the one character no
  text field can store.

The 400 page is ``site/templates/400.html`` (through the URLconf's 400
handler). Each view still parses its own parameters defensively (lengths,
ranges): this guard only removes a whole class of surprises.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.urls import get_resolver

from core.text import has_control

logger = logging.getLogger(__name__)


def _query_has_control(query_dict):
    return any(has_control(key) or any(has_control(value) for value in values) for key, values in query_dict.lists())


def _form_has_nul(request):
    if request.method != "POST":
        return False
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists())


def refusal(request):
    """Why the request is refused ("path", "query", "form"), or None."""
    if has_control(request.path_info):
        return "path"
    if _query_has_control(request.GET):
        return "query"
    if _form_has_nul(request):
        return "form"
    return None


class ControlCharacterGuardMiddleware:
    """Answer 400 (French page) to a request whose address or form data holds control characters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = refusal(request)
        if where is None:
            return self.get_response(request)
        # One line, without the values: they are hostile and may be personal.
        logger.warning("Refused a %s request: control character in its %s", request.method, where)
        handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(400)
        return handler(request, SuspiciousOperation(f"Control character in the {where}"))
