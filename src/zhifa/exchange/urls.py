from django.urls import path

from zhifa.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.city, name="city"),
    path("open/", views.open_items, name="open_items"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/<str:action>/", views.source_act, name="source_act"),
    path("upstream/", views.upstream, name="upstream"),
    path("upstream/<int:pk>/<str:action>/", views.upstream_act, name="upstream_act"),
]
