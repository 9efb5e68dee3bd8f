"""The sign-up page of an enterprise (企业账号自助注册, ``/accounts/enterprise-signup/``, no login)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhifa.core.errors import DomainError
from zhifa.core.textlimits import LimitedTextForm
from zhifa.org.forms import UpperCaseCodeField, add_domain_error
from zhifa.sysadmin import signup


class EnterpriseSignupForm(LimitedTextForm):
    uscc = UpperCaseCodeField(label="统一社会信用代码", max_length=18, required=False)
    code = forms.CharField(
        label="注册码",
        max_length=20,
        required=False,
        help_text="印在企业检查码页面、检查通知书或决定书上，如 ABCD-EFGH-JKMN。",
    )
    username = forms.CharField(label="用户名", max_length=30, required=False)
    password = forms.CharField(
        label="密码",
        max_length=128,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，含大写字母、小写字母、数字、符号中的至少三类，不能与用户名相近或过于常见。",
    )
    full_name = forms.CharField(label="联系人姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


@require_http_methods(["GET", "POST"])
def enterprise_signup(request: HttpRequest) -> HttpResponse:
    """企业账号自助注册 — USCC, the one-time code, username, password and a contact; the service decides."""
    if request.user.is_authenticated:
        return redirect("core:workbench")
    form = EnterpriseSignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                signup.enterprise_signup(
                    uscc=data["uscc"],
                    code=data["code"],
                    username=data["username"],
                    password=data["password"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "企业账号已开通，请用刚才设置的用户名和密码登录。")
                return redirect("login")
        else:
            status = 422
    return render(request, "sysadmin/enterprise_signup.html", {"form": form}, status=status)
