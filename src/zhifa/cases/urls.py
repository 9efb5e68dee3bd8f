from django.urls import path

from zhifa.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.source_new, name="source_new"),
    path("simple/", views.simple_new, name="simple_new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:code>/", views.case_act, name="act"),
]
