from django.urls import path

from zhifa.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("submit/", views.public_submit, name="submit"),
    path("track/", views.public_track, name="track"),
    path("import/", views.import_work_orders, name="import"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.complaint_act, name="act"),
]
