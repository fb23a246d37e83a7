"""factory_boy factories for the accounts app's people, made through the hall's own services
(so an account is stored, encrypted and indexed exactly as registration stores it). Tests of
every app build people here instead of importing another app's test helpers."""

import factory

from servicehall.accounts import services
from servicehall.accounts.models import IdType, User
from tests.people import PASSWORD, resident_id

NAMES = ["张晓明", "李华", "王芳", "赵磊", "陈静", "刘洋"]


class PersonFactory(factory.Factory):
    """A registered, real-name-verified applicant. `PersonFactory(index=3)` is always the same
    person (ID number, name and mobile follow the index), so tests can say who they mean."""

    class Meta:
        model = User

    class Params:
        index = factory.Sequence(lambda n: n)

    id_number = factory.LazyAttribute(lambda o: resident_id(f"32010220040315{100 + o.index:03d}"))
    name = factory.LazyAttribute(lambda o: NAMES[o.index % len(NAMES)])
    mobile = factory.LazyAttribute(lambda o: f"138000001{o.index:02d}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, **values):
        return services.person_create_verified(id_type=IdType.RESIDENT, **values)
