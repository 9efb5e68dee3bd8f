from django.urls import path

from zhifa.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:name>.xlsx", views.chart_export, name="chart_export"),
    path("cases/", views.drill, name="drill"),
    path("annual/", views.annual, name="annual"),
    path("remedies/import/", views.remedy_import, name="remedy_import"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessment/<int:pk>/score/", views.assessment_score, name="assessment_score"),
]
