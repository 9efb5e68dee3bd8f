from django.urls import path

from zhifa.records import views

app_name = "records"

urlpatterns = [
    path("object/<str:object_type>/<str:object_id>/", views.object_page, name="object"),
    path("entry/<int:seq>/", views.entry_page, name="entry"),
    path("status/", views.status_page, name="status"),
    path("status/sign/", views.sign_head, name="sign"),
]
