from django.urls import path

from funders import views

app_name = "funders"
urlpatterns = [
    path("<int:pk>/", views.ReportView.as_view(), name="report"),
    path("<int:pk>/dossier.zip", views.PackView.as_view(), name="pack"),
]
