from django.urls import path

from zhifa.sysadmin import views

app_name = "sysadmin"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/roles/", views.user_role_grant, name="user_role_grant"),
    path("users/<int:pk>/roles/<int:assignment_pk>/remove/", views.user_role_remove, name="user_role_remove"),
    path("users/<int:pk>/qualification/", views.user_qualification, name="user_qualification"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/days/", views.holiday_day_add, name="holiday_day_add"),
    path("holidays/days/<int:pk>/remove/", views.holiday_day_remove, name="holiday_day_remove"),
    path("holidays/confirm/", views.holiday_confirm, name="holiday_confirm"),
    path("jobs/", views.job_list, name="job_list"),
]
