from django.urls import path

from zhifa.inspections import views

app_name = "inspections"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/handle/", views.warning_act, {"action": "handle"}, name="warning_handle"),
    path("warnings/<int:pk>/dismiss/", views.warning_act, {"action": "dismiss"}, name="warning_dismiss"),
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/tasks/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/file/", views.task_file, name="task_file"),
    path("caps/", views.visit_caps, name="visit_caps"),
    path("no-disturb/", views.no_disturb, name="no_disturb"),
    path("no-disturb/<int:party_id>/remove/", views.no_disturb_remove, name="no_disturb_remove"),
    path("inspections/<int:pk>/remote/", views.remote, name="remote"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/draw/", views.task_draw, name="task_draw"),
    path("draws/<int:task_id>/verify/", views.draw_verify, name="draw_verify"),
    path("today/", views.today, name="today"),
    path("inspections/<int:pk>/onsite/", views.onsite, name="onsite"),
    path("inspections/<int:pk>/onsite/<str:action>/", views.onsite, name="onsite_act"),
    path("code/", views.code_view, name="code_view"),
    path("inspections/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
