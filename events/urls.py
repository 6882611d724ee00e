"""Calendar URLs, outside the page tree so that subscriptions survive a renamed agenda."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("calendrier/agenda.ics", views.agenda_feed, name="feed"),
    path("calendrier/categorie/<slug:slug>.ics", views.category_feed, name="category_feed"),
    path("calendrier/evenement/<int:pk>.ics", views.event_ics, name="event_ics"),
]
