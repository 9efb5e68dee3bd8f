from django.urls import path

from zhifa.personnel import views

app_name = "personnel"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/accept/", views.plan_accept, name="plan_accept"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("check/", views.training_check, name="training_check"),
    path("auxiliary/", views.auxiliary, name="auxiliary"),
    path("officers/<int:pk>/prejob/", views.prejob, name="prejob"),
    path("assessments/", views.assessments, name="assessments"),
    path("awards/", views.award_add, name="award_add"),
    path("advisers/", views.advisers, name="advisers"),
    path("advisers/<int:pk>/remove/", views.adviser_remove, name="adviser_remove"),
    path("review/<int:pk>/advisers/", views.review_adviser, name="review_adviser"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/withdraw/", views.delegation_withdraw, name="delegation_withdraw"),
]
