"""URL routes of the home app that live outside the page tree."""

from django.urls import path

from home import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("plan-du-site/", views.site_plan, name="site_plan"),
]
