from django.urls import path

from zhifa.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.home, name="home"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/pdf/", views.interview_pdf, name="interview_pdf"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/letter/", views.team_letter, name="team_letter"),
    path("teams/<int:pk>/conclude/", views.team_conclude, name="team_conclude"),
    path("joint/new/", views.joint_new, name="joint_new"),
    path("joint/<int:pk>/", views.joint_detail, name="joint"),
    path("joint/<int:pk>/<str:action>/", views.joint_act, name="joint_act"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/decide/", views.dispute_decide, name="dispute_decide"),
    path("accountability/new/", views.accountability_new, name="accountability_new"),
    path("accountability/<int:pk>/", views.accountability_detail, name="accountability"),
    path("exemptions/new/", views.exemption_new, name="exemption_new"),
    path("exemptions/<int:pk>/", views.exemption_detail, name="exemption"),
    path("exemptions/<int:pk>/decide/", views.exemption_decide, name="exemption_decide"),
]
