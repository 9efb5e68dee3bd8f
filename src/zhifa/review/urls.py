from django.urls import path

from zhifa.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/assign/", views.request_assign, name="assign"),
    path("requests/<int:pk>/findings/", views.request_findings, name="findings"),
    path("requests/<int:pk>/conclude/", views.request_conclude, name="conclude"),
    path("opinions/<int:pk>/pdf/", views.opinion_pdf, name="opinion_pdf"),
    path("opinions/<int:pk>/void/", views.opinion_void, name="opinion_void"),
    path("opinions/<str:number>/verify/", views.opinion_verify, name="opinion_verify"),
    path("workload/", views.workload, name="workload"),
    path("report/", views.report, name="report"),
    path("catalog/", views.catalog, name="catalog"),
    path("case/<int:pk>/submit/", views.case_submit, name="case_submit"),
    path("case/<int:pk>/discuss/", views.case_discuss, name="case_discuss"),
]
