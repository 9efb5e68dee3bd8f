from django.urls import path

from zhifa.caselib import views

app_name = "caselib"

urlpatterns = [
    path("", views.library_list, name="list"),
    path("<int:pk>/", views.library_detail, name="detail"),
    path("<int:pk>/withdraw/", views.library_withdraw, name="withdraw"),
    path("choose/<int:pk>/", views.library_choose, name="choose"),
]
