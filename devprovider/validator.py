"""What the provider says about a person, in the id_token and at the userinfo endpoint, by scope:
`sub` (openid), `name` (profile), `phone_number` and `phone_number_verified` (phone), and
`id_number` (idcard, this provider's own claim). A claim the person has no value for is left out,
not sent empty."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Identity

CLAIMS = ["sub", "name", "phone_number", "phone_number_verified", "id_number"]


class IdentityValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "id_number": "idcard"}

    def get_additional_claims(self, request):
        identity = Identity.objects.filter(user=request.user).first()
        if identity is None:  # a user made by hand, without an identity: only DOT's own sub
            return {}
        claims = {"sub": identity.sub, "name": identity.name}
        if identity.mobile:
            claims.update(phone_number=identity.mobile, phone_number_verified=True)
        if identity.id_number:
            claims["id_number"] = identity.id_number
        return claims

    def get_discovery_claims(self, request):
        return list(CLAIMS)
