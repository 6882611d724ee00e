"""Admin wiring of the outbox: the "E-mails envoyés" menu and the dashboard warning."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from outbox import delivery
from outbox.views import OutgoingEmailViewSet, can_see_outbox


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutgoingEmailViewSet()


class MailProblemsPanel(Component):
    """On the dashboard, only when something is wrong: failed e-mails, or e-mails long overdue (worker stopped)."""

    name = "mail_problems"
    order = 10  # above Wagtail's own panels
    template_name = "outbox/dashboard_panel.html"

    def __init__(self, problems):
        self.problems = problems

    def get_context_data(self, parent_context):
        index = reverse("emails_envoyes:index")
        return {**self.problems, "failed_url": f"{index}?status=failed", "late_url": f"{index}?status=queued"}


@hooks.register("construct_homepage_panels")
def add_mail_problems_panel(request, panels):
    if not can_see_outbox(request.user):
        return
    problems = delivery.problems()
    if problems["failed"] or problems["late"]:
        panels.append(MailProblemsPanel(problems))
