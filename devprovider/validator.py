"""The claims of each identity, in the id_token and at the userinfo endpoint, by scope."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class IdentityValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "id_number": "idcard",
        "phone_number": "phone",
        "phone_number_verified": "phone",
    }

    def get_additional_claims(self, request):
        identity = request.user.identity
        claims = {"sub": identity.sub, "name": identity.name}
        if identity.mobile:
            claims.update(phone_number=identity.mobile, phone_number_verified=True)
        if identity.id_number:
            claims["id_number"] = identity.id_number
        return claims
