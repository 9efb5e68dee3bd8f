from django.urls import path

from zhifa.enterprise import views

app_name = "enterprise"

urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/visit-time/", views.visit_time, name="visit_time"),
    path("complaints/", views.complaints, name="complaints"),
]
