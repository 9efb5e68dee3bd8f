"""Public (no login) pages of disclosure, mounted under /public/ beside the portal: decisions, search, feeds."""

from django.urls import path

from zhifa.disclosure import public_views as views

app_name = "pub"

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("search/", views.decision_list, name="search"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("agencies/<int:agency_id>/decisions.atom", views.agency_feed, name="agency_feed"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
    path("statistics/", views.annual_stats, name="stats"),
]
