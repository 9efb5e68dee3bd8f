"""Forms of the exchange pages: the posted fields checked before a service is called."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import id_field, text_field


class NoFieldsForm(forms.Form):
    """A button with nothing to fill in (停用 / 启用)."""


class SourceForm(forms.Form):
    region = id_field("区划", message="请选择您有权登记的区划。")
    name = text_field("下级平台名称", 100, required=True)
    code = text_field("平台编码", 40, required=True)
    public_key_pem = text_field("签名公钥", 2000, required=True)


class UpstreamForm(forms.Form):
    name = text_field("上级平台名称", 100, required=True)
    url = text_field("上级平台地址", 500, required=True)
    source_code = text_field("本平台编码", 40, required=True)
    secret = text_field("接入密钥", 200, required=True)
