from django.urls import path

from zhifa.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.index, name="index"),
    path("weights/", views.weights, name="weights"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/review/", views.run_review, name="run_review"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/bulletin.pdf", views.run_pdf, name="run_pdf"),
    path("runs/<int:pk>/bulletin.xlsx", views.run_xlsx, name="run_xlsx"),
    path("mine/", views.mine, name="mine"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("answer/", views.enterprise_surveys, name="enterprise_surveys"),
    path("answer/<int:pk>/<int:party>/", views.enterprise_answer, name="enterprise_answer"),
    # 群众满意度调查: no login, reached by the link or QR code the bureau hands out
    path("s/<str:token>/", views.public_answer, name="public_answer"),
]
