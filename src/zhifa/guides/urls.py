"""Staff pages of the service guides, under /guides/."""

from django.urls import path

from zhifa.guides import views

app_name = "guides"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:agency_id>/<str:kind>/", views.edit, name="edit"),
]
