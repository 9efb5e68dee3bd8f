from django.urls import path

from zhifa.cases import transfer_views, views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.source_new, name="source_new"),
    path("all/", views.case_list, name="case_list"),
    path("simple/", views.simple_new, name="simple_new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:code>/", views.case_act, name="act"),
    path("<int:pk>/seizures/<int:seizure_pk>/approve/", views.seizure_approve, name="seizure_approve"),
    path("<int:pk>/seizures/<int:seizure_pk>/<str:code>/", views.seizure_act, name="seizure_act"),
    path("<int:pk>/documents/issue/", views.document_issue, name="document_issue"),
    path("documents/<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("documents/<int:pk>/void/", views.document_void, name="document_void"),
    path("sources/", views.source_list, name="source_list"),
    path("transfers/", transfer_views.transfer_list, name="transfers"),
    path("<int:pk>/transfer/", transfer_views.transfer_detail, name="transfer"),
]
