from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhifa.api import api
from zhifa.cases import views as case_views
from zhifa.core import views as core_views
from zhifa.sysadmin import signup_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/enterprise-signup/", signup_views.enterprise_signup, name="enterprise_signup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", core_views.password_change_done, name="password_change_done"),
    path("workbench/", include("zhifa.workbench.urls")),
    path("org/", include("zhifa.org.urls")),
    path("evidence/", include("zhifa.evidence.urls")),
    path("records/", include("zhifa.records.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("discretion/", include("zhifa.discretion.urls")),
    path("review/", include("zhifa.review.urls")),
    path("disclosure/", include("zhifa.disclosure.urls")),
    path("channels/", include("zhifa.channels.urls")),
    path("exchange/", include("zhifa.exchange.urls")),
    path("public/", include("zhifa.disclosure.public_urls")),
    path("public/", include("zhifa.guides.public_urls")),
    path("public/", include("zhifa.portal.urls")),
    path("guides/", include("zhifa.guides.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("oversight/", include("zhifa.oversight.urls")),
    path("complaints/", include("zhifa.complaints.urls")),
    path("stats/", include("zhifa.stats.urls")),
    path("evaluation/", include("zhifa.evaluation.urls")),
    path("reporting/", include("zhifa.reporting.urls")),
    path("personnel/", include("zhifa.personnel.urls")),
    path("ratings/", include("zhifa.ratings.urls")),
    path("caselib/", include("zhifa.caselib.urls")),
    path("sysadmin/", include("zhifa.sysadmin.urls")),
    path("enterprise/", include("zhifa.enterprise.urls")),
    path("verify/document/<str:ref>/", case_views.document_verify, name="document_verify"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
