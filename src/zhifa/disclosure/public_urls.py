"""Public (no login) pages of disclosure, mounted under /public/ beside the portal: decisions, search, feeds."""

from django.urls import path  # noqa: F401

app_name = "pub"

urlpatterns: list = []
