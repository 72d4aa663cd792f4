"""Demo people for the voting demo: the Nookat organisers and residents verified by their group leads."""
import random

from pb.accounts import services as accounts
from pb.accounts.models import User
from pb.audit.services import record
from pb.extensions import db
from pb.groups import services as groups

# Initiative-group leads for the two Nookat aiyl okmotus the demo had no one in (README lists them).
ORGANISERS = [
    ("chair@zulpuev.kg", "Абдыжапар Сулайманов", "zulpuev", "chair", "Кожо-Келен"),
    ("secretary@zulpuev.kg", "Мунара Жолдошева", "zulpuev", "secretary", "Кулатов"),
    ("chair@janynookat.kg", "Рахат Эргешова", "janynookat", "chair", "Жаңы-Ноокат"),
]

MEN = ["Азамат", "Бакыт", "Нурлан", "Эрлан", "Талант", "Адилет", "Мирбек", "Тилек", "Жаныбек", "Дастан",
       "Мухтар", "Алмаз", "Канат", "Самат", "Бектур", "Абдималик"]
WOMEN = ["Айгүл", "Гүлзат", "Нургүл", "Жылдыз", "Айнура", "Бурул", "Чолпон", "Мээрим", "Асел", "Зарина",
         "Гүлмира", "Каныкей", "Динара", "Айпери", "Салтанат", "Назгүл"]
FAMILIES = ["Мамыт", "Курман", "Садык", "Осмон", "Бекболот", "Токтосун", "Абдрахман", "Турдубек", "Сапар",
            "Назар", "Арзымат", "Эрмат", "Кадыр", "Момун", "Акмат", "Абдыкалык", "Жусуп"]


def _user(login):
    return accounts.find_user_by_login(login)


def _account(actor, action, password_hash, **fields):
    """The row and audit entry that accounts.create_account / register_resident make, with the demo
    password's hash made once: Argon2 takes a quarter of a second a hash, on purpose."""
    user = User(language="ky", password_hash=password_hash, **fields)
    db.session.add(user)
    db.session.flush()
    if action == "account.register":
        record(user, action, user, municipality_id=user.village.municipality_id)
    else:
        record(actor, action, user, is_admin=False)
    return user


class Residents:
    """Demo residents of the villages, each verified by a group lead, with made-up Kyrgyz names."""

    def __init__(self, password_hash):
        self.rng = random.Random(1991)
        self.serial = 0
        self.password_hash = password_hash

    def _name(self):
        woman = self.rng.random() < 0.45
        first = self.rng.choice(WOMEN if woman else MEN)
        return f"{first} {self.rng.choice(FAMILIES)}{'ова' if woman else 'ов'}"

    def add(self, village, count, verifier):
        """count new residents of the village, verified by verifier; returns them."""
        made = []
        for _ in range(count):
            self.serial += 1
            made.append(_account(None, "account.register", self.password_hash, name=self._name(),
                                 phone=f"+99677010{self.serial:04d}", village=village))
        db.session.commit()
        for user in made:
            groups.verify_resident(verifier, village.municipality, user.id, village.id)
        return made


def add_organisers(admin, munis):
    for login, name, slug, position, village_name in ORGANISERS:
        user = _account(admin, "account.create", admin.password_hash, name=name, email=login)
        db.session.commit()
        group = next(g for g in groups.list_groups(munis[slug].id) if g.kind.value == "initiative")
        village = next(v for v in munis[slug].villages if v.name == village_name)
        groups.add_member(admin, group, user.id, position, village.id)
