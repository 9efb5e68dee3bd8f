from django.urls import path

from zhifa.workbench import views

# The namespace stays "core": `core:workbench` is the URL name of the login redirect, the menu and the templates.
app_name = "core"

urlpatterns = [
    path("", views.workbench, name="workbench"),
]
