from django.urls import path

from zhifa.discretion import views

app_name = "discretion"

urlpatterns = [
    path("", views.benchmarks, name="benchmarks"),
    path("<int:pk>/", views.benchmark_detail, name="benchmark_detail"),
    path("import/", views.import_page, name="import"),
    path("template.xlsx", views.template_download, name="template"),
    path("report/", views.report, name="report"),
    path("case/<int:pk>/facts/", views.case_facts, name="case_facts"),
    path("case/<int:pk>/deviation/", views.case_deviation, name="case_deviation"),
]
