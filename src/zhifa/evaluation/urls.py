from django.urls import path

from zhifa.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/panel/", views.plan_panel, name="plan_panel"),
    path("plans/<int:pk>/third-party/", views.plan_third_party, name="plan_third_party"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("files/<int:pk>/assign/", views.file_assign, name="file_assign"),
    path("files/<int:pk>/confirm/", views.file_confirm, name="file_confirm"),
]
