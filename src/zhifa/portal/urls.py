from django.urls import path

from zhifa.portal import views
from zhifa.portal.ledger_feed import LedgerHeadsFeed

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/feed/", views.agency_feed, name="agency_feed"),
    path("agencies/<int:pk>/officers/", views.roster, name="roster"),
    path("posts/<int:pk>/board/", views.post_board, name="post_board"),
    path("posts/<int:pk>/notice/", views.window_notice, name="window_notice"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/export.<str:fmt>", views.catalog_export, name="catalog_export"),
    path("catalog/items/<int:pk>/", views.catalog_item, name="catalog_item"),
    path("officers/", views.officer_check, name="officer_check"),
    path("plans/", views.plans, name="plans"),
    path("flows/", views.flows, name="flows"),
    path("devices/", views.devices, name="devices"),
    path("remedy/", views.remedy, name="remedy"),
    path("verify/", views.verify, name="verify"),
    path("ledger/feed/", LedgerHeadsFeed(), name="ledger_feed"),
    path("draws/<int:task_id>/", views.draw, name="draw"),
    path("staff/devices/", views.device_list, name="device_list"),
    path("staff/devices/<int:pk>/<str:action>/", views.device_act, name="device_act"),
    path("staff/posts/", views.post_list, name="post_list"),
    path("staff/posts/<int:pk>/", views.post_edit, name="post_edit"),
]
