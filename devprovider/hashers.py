"""A quick password hasher: the provider's passwords are fake people's demo passwords and its one
client secret is printed in the README, so 1,000 PBKDF2 rounds instead of Django's million keep a
login and every token request (the client secret is checked each time) in milliseconds."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
