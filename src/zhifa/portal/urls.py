from django.urls import path

from zhifa.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.placeholder, name="agency_list"),
    path("catalog/", views.placeholder, name="catalog"),
    path("officers/", views.placeholder, name="officer_check"),
    path("plans/", views.placeholder, name="plans"),
    path("verify/", views.placeholder, name="verify"),
    path("remedy/", views.placeholder, name="remedy"),
]
