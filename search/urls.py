"""URL routes of the search app that live outside the page tree."""

from django.urls import path

from search import views

urlpatterns = [path("", views.search, name="search")]
