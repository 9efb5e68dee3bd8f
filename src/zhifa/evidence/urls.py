from django.urls import path

from zhifa.evidence import views

app_name = "evidence"

urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("for/<str:object_type>/<str:object_id>/", views.gallery, name="gallery"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/content/", views.content, name="content"),
    path("<int:pk>/download/", views.download, name="download"),
    path("access/<str:object_type>/<str:object_id>/", views.access, name="access"),
]
