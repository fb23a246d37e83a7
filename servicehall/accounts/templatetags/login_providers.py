"""`{% login_providers as providers %}`: the 其他登录方式 buttons and 账号绑定 read the configured
providers from one place (accounts.providers)."""

from django import template

from ..providers import providers_configured

register = template.Library()


@register.simple_tag
def login_providers():
    return providers_configured()
