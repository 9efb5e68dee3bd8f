from django.urls import path

from zhifa.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("received/", views.received, name="received"),
    path("kinds/", views.kinds, name="kinds"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
]
