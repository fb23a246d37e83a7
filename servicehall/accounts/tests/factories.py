"""factory_boy factories for the accounts app's people, made through the hall's own services
(so an account is stored, encrypted and indexed exactly as registration stores it). Tests of
every app build people here instead of importing another app's test helpers."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from servicehall.accounts import services
from servicehall.accounts.models import IdType, User
from tests.people import PASSWORD, resident_id

NAMES = ["张晓明", "李华", "王芳", "赵磊", "陈静", "刘洋"]


def _id_prefix(index: int) -> str:
    """320102, born 2004-03-15 and a day later for every 900 people, sequence 100 to 999."""
    born = datetime.date(2004, 3, 15) + datetime.timedelta(days=index // 900)
    return f"320102{born:%Y%m%d}{100 + index % 900:03d}"


class PersonFactory(factory.Factory):
    """A registered, real-name-verified applicant. `PersonFactory(index=3)` is always the same
    person (ID number, name and mobile follow the index), so tests can say who they mean."""

    class Meta:
        model = User

    class Params:
        index = factory.Sequence(lambda n: n)

    id_number = factory.LazyAttribute(lambda o: resident_id(_id_prefix(o.index)))
    name = factory.LazyAttribute(lambda o: NAMES[o.index % len(NAMES)])
    # 13800000100 on: valid for any index, never the `person` fixture's 13800000001.
    mobile = factory.LazyAttribute(lambda o: f"1380{100 + o.index:07d}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, **values):
        return services.person_create_verified(id_type=IdType.RESIDENT, **values)


# --- 用户申诉 (an appeal, sent the way a person sends it) -----------------------------------

APPELLANT_MOBILE = "13655556666"


def photo(name="id.jpg", fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 250), "white").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def appeal_form(person, **overrides):
    data = {"id_type": "resident", "id_number": person.id_number, "name": "张晓明",
            "mobile": APPELLANT_MOBILE, "sms_code": "", "reason": "本人从未注册过该账号"}
    data.update(overrides)
    return data


def submit_appeal(client, person, sms_code):
    client.post(reverse("accounts:appeal"), {**appeal_form(person), "action": "send_code"})
    return client.post(reverse("accounts:appeal"), {
        **appeal_form(person, sms_code=sms_code(APPELLANT_MOBILE)), "id_photo": photo()})
