"""The messaging app's settings, read when used (so `override_settings` works in tests), each
with a safe default. A deployment sets them in the environment-driven settings if it must."""

from django.conf import settings


class MessagingSettings:
    @property
    def code_ttl_seconds(self) -> int:
        """How long a one-time code stays valid."""
        return int(getattr(settings, "SMS_CODE_TTL_SECONDS", 300))

    @property
    def resend_seconds(self) -> int:
        """How long before another code may be requested for one (mobile, purpose)."""
        return int(getattr(settings, "SMS_RESEND_SECONDS", 60))

    @property
    def code_max_attempts(self) -> int:
        """Wrong tries after which a code is burnt."""
        return int(getattr(settings, "SMS_CODE_MAX_ATTEMPTS", 5))

    @property
    def daily_limit_per_number(self) -> int:
        """Codes per mobile number per Asia/Shanghai calendar day that anonymous requests
        (register, login, reset_password, appeal) may spend, all those purposes together."""
        return int(getattr(settings, "SMS_DAILY_LIMIT_PER_NUMBER", 10))

    @property
    def daily_limit_own_action(self) -> int:
        """Codes per number per day for a logged-in person's own action (change_mobile)."""
        return int(getattr(settings, "SMS_DAILY_LIMIT_OWN_ACTION", 10))

    @property
    def daily_limit_staff_login(self) -> int:
        """Staff second-factor codes per number per day (sent only after a right password)."""
        return int(getattr(settings, "SMS_DAILY_LIMIT_STAFF_LOGIN", 20))

    @property
    def limit_per_address_per_hour(self) -> int:
        """Codes sent per budget class to one client address per hour (a campus NAT shares
        one address)."""
        return int(getattr(settings, "SMS_LIMIT_PER_ADDRESS_PER_HOUR", 30))

    @property
    def requests_per_address_per_minute(self) -> int:
        """Code requests (answered or refused) a client address may make per minute, whatever
        door they come through (the pages or the API)."""
        return int(getattr(settings, "SMS_REQUESTS_PER_ADDRESS_PER_MINUTE", 5))

    @property
    def requests_per_number_per_minute(self) -> int:
        """Code requests (answered or refused) for one mobile number per minute."""
        return int(getattr(settings, "SMS_REQUESTS_PER_NUMBER_PER_MINUTE", 5))

    @property
    def delivery_max_attempts(self) -> int:
        """Gateway attempts for one message before it is marked failed."""
        return int(getattr(settings, "SMS_DELIVERY_MAX_ATTEMPTS", 3))

    @property
    def stale_claim_seconds(self) -> int:
        """How long a delivery may go without reporting back before it counts as left behind by
        a worker that died (the sweep then takes it up). Far above the gateway's own timeout."""
        return int(getattr(settings, "SMS_STALE_CLAIM_SECONDS", 300))

    @property
    def gateway_per_second(self) -> int:
        """Messages the gateway's contract allows a second, for batches (政策找人 invitations),
        counted across every worker (a cache counter: Redis when REDIS_URL is set)."""
        return max(1, int(getattr(settings, "SMS_GATEWAY_PER_SECOND", 50)))

    @property
    def delivery_retry_seconds(self) -> int:
        """Base delay before retrying a failed delivery (multiplied by the attempt number)."""
        return int(getattr(settings, "SMS_DELIVERY_RETRY_SECONDS", 15))

    @property
    def sign(self) -> str:
        return getattr(settings, "SMS_HTTP_GATEWAY_SIGN", None) or "江苏人社"

    @property
    def backend(self) -> str:
        return getattr(settings, "SMS_BACKEND", None) or (
            "servicehall.messaging.gateways.OutboxGateway"
        )

    @property
    def dev_outbox_page(self) -> bool:
        return bool(getattr(settings, "SMS_DEV_OUTBOX_PAGE", False))


messaging_settings = MessagingSettings()
