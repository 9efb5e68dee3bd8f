from django.urls import path

from zhifa.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("stats/", views.stats, name="stats"),
    path("licensing/import/", views.licensing_import, name="licensing_import"),
    path("licensing/template.xlsx", views.licensing_template, name="licensing_template"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/repair/", views.mine_repair, name="mine_repair"),
    path("repairs/<int:pk>/decide/", views.repair_decide, name="repair_decide"),
    path("repairs/files/<int:pk>/", views.repair_file, name="repair_file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
