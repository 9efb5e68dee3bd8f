from django.urls import path

from zhifa.inspections import aftercare_views, checklist_views, views

app_name = "inspections"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/handle/", views.warning_act, {"action": "handle"}, name="warning_handle"),
    path("warnings/<int:pk>/dismiss/", views.warning_act, {"action": "dismiss"}, name="warning_dismiss"),
    path("merge-proposals/<int:pk>/accept/", views.merge_act, {"action": "accept"}, name="merge_accept"),
    path("merge-proposals/<int:pk>/decline/", views.merge_act, {"action": "decline"}, name="merge_decline"),
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("checklists/import/", checklist_views.checklist_import, name="checklist_import"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/tasks/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/draw/", views.task_draw, name="task_draw"),
    path("joint/new/", views.joint_create, name="joint_create"),
    path("tasks/<int:pk>/joint-approve/", views.joint_approve, name="joint_approve"),
    path("checks/<int:pk>/<str:action>/", views.check_act, name="check_act"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("draws/<int:task_id>/verify/", views.draw_verify, name="draw_verify"),
    path("today/", views.today, name="today"),
    path("inspections/<int:pk>/onsite/", views.onsite, name="onsite"),
    path("inspections/<int:pk>/onsite/<str:action>/", views.onsite, name="onsite_act"),
    path("inspections/<int:pk>/checklist/", checklist_views.checklist_record, name="checklist_record"),
    path("inspections/<int:pk>/visit-window/", views.visit_window, name="visit_window"),
    path("code/", views.code_view, name="code_view"),
    path("inspections/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # the enterprise's actions after a visit (整改报告、评价、异议) and the supervisors' objections
    path("mine/<int:pk>/rectify/", aftercare_views.mine_rectify, name="mine_rectify"),
    path("mine/<int:pk>/rate/", aftercare_views.mine_rate, name="mine_rate"),
    path("mine/<int:pk>/object/", aftercare_views.mine_object, name="mine_object"),
    path("objections/", aftercare_views.objection_list, name="objection_list"),
    path("objections/<int:pk>/", aftercare_views.objection_detail, name="objection_detail"),
    path("offline/conflicts/", views.offline_conflicts, name="offline_conflicts"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
