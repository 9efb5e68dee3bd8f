from django.urls import path

from zhifa.org import views

app_name = "org"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/training/", views.training_add, name="training_add"),
    path("officers/<int:pk>/certificates/", views.certificate_issue, name="certificate_issue"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/status/", views.certificate_status, name="certificate_status"),
    path("certificates/<int:pk>/review/", views.certificate_review, name="certificate_review"),
    path("parties/", views.party_list, name="party_list"),
    path("parties/new/", views.party_create, name="party_create"),
    path("parties/import/", views.party_import, name="party_import"),
    path("parties/<int:pk>/", views.party_detail, name="party_detail"),
]
