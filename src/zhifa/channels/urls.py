from django.urls import path

from zhifa.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/<str:action>/", views.endpoint_act, name="endpoint_act"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]
