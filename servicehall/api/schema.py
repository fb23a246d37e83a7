"""How the OpenAPI schema describes the hall's API: the bearer token, and the error responses
every operation can give, so that a client (and schemathesis) knows each of them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "请求内容不正确，或不符合业务规则（见 message、code、fields）",
    "401": "未登录、登录凭证无效或已过期",
    "403": "当前账号不能进行此操作（如单位账号的令牌）",
    "404": "找不到该内容，或它不属于当前用户",
    "413": "请求体超过上限，未读取即拒绝（code=request_too_large）",
    "415": "请求格式不是 JSON（上传材料用 multipart/form-data）",
    "429": "操作过于频繁，稍后再试（见 Retry-After）",
    "503": "所依赖的外部系统（如其他登录方式）暂时无法访问或响应超时，稍后再试",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "servicehall.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "登录或注册返回的 access 令牌：`Authorization: Bearer <access>`",
        }


# Ids in paths are at most 18 digits (urls.IdConverter), within both databases' 64-bit
# integers; the schema says so, so that clients (and schemathesis) keep to the range.
MAX_ID = 10**18 - 1


class HallAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("type") == "integer":
                parameter["schema"].update(minimum=0, maximum=MAX_ID)
        return parameters

    def _needs_login(self) -> bool:
        return not any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _error_codes(self) -> list[str]:
        # Any request may carry an expired or unknown token (401) and be refused before a view
        # reads it (400: a bad Host header or query; every rule of the services answers 400).
        codes = ["400", "401"]
        if self._needs_login():
            codes.append("403")  # a token that is not a person's
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        codes.extend(getattr(self.view, "extra_error_codes", ()))
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS.get(code, response.get("description", ""))
                responses[code] = response
        return responses
