"""Public (no login) pages of the service guides, mounted under /public/ before the portal."""

from django.urls import path

from zhifa.guides import views

app_name = "guidepub"

urlpatterns = [
    path("guides/", views.public_index, name="index"),
    path("guides/<int:agency_id>/<str:kind>/", views.public_detail, name="detail"),
]
