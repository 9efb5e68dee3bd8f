from django.urls import path

from zhifa.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("picker/", views.item_picker, name="item_picker"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/repeal/", views.item_repeal, name="item_repeal"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:which>.xlsx", views.import_template, name="import_template"),
    path("lists/", views.lenient_lists, name="lenient_lists"),
    path("confirmations/", views.confirmation_list, name="confirmation_list"),
    path("confirmations/new/", views.confirmation_new, name="confirmation_new"),
    path("confirmations/<int:pk>/", views.confirmation_detail, name="confirmation_detail"),
    path("confirmations/<int:pk>/<str:decision>/", views.confirmation_decide, name="confirmation_decide"),
    path("cases/<int:case_pk>/lenient/<int:entry_pk>/", views.lenient_record, name="lenient_record"),
]
