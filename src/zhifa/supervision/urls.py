from django.urls import path

from zhifa.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("flags/bulk/", views.flags_bulk, name="flags_bulk"),
    path("flags/<int:pk>/<str:action>/", views.flag_act, name="flag_act"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/<str:action>/", views.problem_act, name="problem_act"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/new/", views.instrument_new, name="instrument_new"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/pdf/", views.instrument_pdf, name="instrument_pdf"),
    path("instruments/<int:pk>/<str:action>/", views.instrument_act, name="instrument_act"),
    path("verify/<str:number>/", views.instrument_verify, name="instrument_verify"),
    path("statements/", views.noact_file, name="noact_file"),
    path("people/", views.people, name="people"),
    path("people/visits/new/", views.return_visit_new, name="return_visit_new"),
    path("people/questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("people/questionnaires/<int:pk>/<str:action>/", views.questionnaire_act, name="questionnaire_act"),
    path("people/supervisors/new/", views.supervisor_appoint, name="supervisor_appoint"),
    path("people/supervisors/<int:pk>/dismiss/", views.supervisor_dismiss, name="supervisor_dismiss"),
    path("people/tasks/new/", views.supervisor_task_assign, name="task_assign"),
    path("people/tasks/<int:pk>/feedback/", views.supervisor_task_feedback, name="task_feedback"),
    path("people/liaison/new/", views.liaison_designate, name="liaison_designate"),
    path("people/liaison/<int:pk>/visits/", views.liaison_visit, name="liaison_visit"),
]
