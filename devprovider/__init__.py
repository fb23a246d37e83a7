"""The local OpenID Connect provider for development and tests: a separate small Django site on
django-oauth-toolkit in OIDC mode, standing in for the province's unified identity (江苏政务服务网
统一身份认证). `python -m devprovider --port 8090`; the hall never imports it."""
