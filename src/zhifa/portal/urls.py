from django.urls import path

from zhifa.portal import lists, views
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
    path("lists/", lists.lists_home, name="lists"),
    path("lists/lenient/", lists.lenient_list, name="lenient_list"),
    path("lists/lenient/export.<str:fmt>", lists.lenient_export, name="lenient_export"),
    path("lists/benchmarks/", lists.benchmark_list, name="benchmark_list"),
    path("lists/benchmarks/<int:pk>/", lists.benchmark_detail, name="benchmark_detail"),
    path("lists/benchmarks/export.<str:fmt>", lists.benchmark_export, name="benchmark_export"),
    path("lists/inspection-items/", lists.inspection_item_list, name="inspection_item_list"),
    path("lists/inspection-items/<int:pk>/", lists.inspection_item_detail, name="inspection_item_detail"),
    path(
        "lists/inspection-items/export.<str:fmt>", lists.inspection_item_export, name="inspection_item_export"
    ),
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
