"""URL routes of the registrations app that live outside the page tree (included at the site root)."""

from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("inscription/<int:event_id>/", views.register_view, name="register"),
    path("inscription/<int:event_id>/merci/", views.thanks_view, name="thanks"),
    # One date of a series: its own form and thank-you page (each date is a bookable unit).
    path("inscription/<int:event_id>/date/<int:occurrence_id>/", views.register_view, name="register_date"),
    path("inscription/<int:event_id>/date/<int:occurrence_id>/merci/", views.thanks_view, name="thanks_date"),
    path("inscription/gerer/<str:value>/", views.manage_view, name="manage"),
    path("inscription/gerer/<str:value>/annuler/", views.manage_cancel_view, name="manage_cancel"),
    path(
        "inscription/gerer/<str:value>/place/<int:attendee_id>/annuler/",
        views.manage_cancel_seat_view,
        name="manage_cancel_seat",
    ),
    path("inscription/gerer/<str:value>/accepter/", views.manage_accept_view, name="manage_accept"),
    path("inscription/gerer/<str:value>/laisser/", views.manage_decline_view, name="manage_decline"),
    path("inscription/gerer/<str:value>/confirmer/", views.manage_verify_view, name="manage_verify"),
    path("inscription/gerer/<str:value>/payer/", views.manage_pay_view, name="manage_pay"),
    path("inscription/gerer/<str:value>/effacer/", views.manage_erase_view, name="manage_erase"),
    path("inscription/gerer/<str:value>/agenda.ics", views.manage_ics_view, name="manage_ics"),
    path(
        "inscription/gerer/<str:value>/document/<str:kind>/<int:document_pk>.pdf",
        views.manage_document_view,
        name="manage_document",
    ),
    # Online payment (HelloAsso Checkout): the ways back from its page, a retry, the notifications.
    path("inscription/paiement/notification/", views.checkout_notification_view, name="checkout_notification"),
    path("inscription/paiement/<str:reference>/retour/", views.checkout_return_view, name="checkout_return"),
    path("inscription/paiement/<str:reference>/erreur/", views.checkout_error_view, name="checkout_error"),
    path("inscription/paiement/<str:reference>/abandon/", views.checkout_back_view, name="checkout_back"),
    path("inscription/paiement/<str:reference>/reessayer/", views.checkout_retry_view, name="checkout_retry"),
]
