"""Demo data: Ak-Dobo, the three Nookat aiyl okmotus and Karakol, with accounts for every role."""
from decimal import Decimal

import sqlalchemy as sa

from pb.accounts import services as accounts
from pb.accounts.models import User
from pb.budgets import services as budgets
from pb.budgets.states import Phase
from pb.budgets.samples import SAMPLE_CSV
from pb.extensions import db
from pb.groups import services as groups
from pb.places import services as places

DEMO_PASSWORD = "ashar-demo-2027"

MUNICIPALITIES = [
    dict(slug="ak-dobo", name_ky="Ак-Добо айыл өкмөтү", name_ru="Ак-Добинский айыл окмоту",
         kind="aiyl_okmotu", oblast="talas", rayon="Талас району", population=8650,
         villages=[("Ак-Добо", 4210, 2890, "2100000"), ("Кызыл-Арык", 2630, 1770, "1250000"),
                   ("Жон-Арык", 1810, 1190, "780000")]),
    dict(slug="isanov", name_ky="Исанов айыл өкмөтү", name_ru="Исановский айыл окмоту",
         kind="aiyl_okmotu", oblast="osh", rayon="Ноокат району", population=21400,
         villages=[("Кара-Таш", 9100, 5320, "2650000"), ("Сары-Булак", 7300, 4150, "1900000"),
                   ("Он-Эки-Бел", 5000, 2870, "1150000")]),
    dict(slug="zulpuev", name_ky="Зулпуев айыл өкмөтү", name_ru="Зулпуевский айыл окмоту",
         kind="aiyl_okmotu", oblast="osh", rayon="Ноокат району", population=17900,
         villages=[("Кожо-Келен", 7600, 4400, "2100000"), ("Кулатов", 6100, 3500, "1600000"),
                   ("Бел-Орук", 4200, 2380, "900000")]),
    dict(slug="janynookat", name_ky="Жаңы-Ноокат айыл өкмөтү", name_ru="Жаны-Ноокатский айыл окмоту",
         kind="aiyl_okmotu", oblast="osh", rayon="Ноокат району", population=15300,
         villages=[("Жаңы-Ноокат", 6900, 3950, "2300000"), ("Көк-Бел", 4800, 2760, "1200000"),
                   ("Мырза-Аке", 3600, 2050, "850000")]),
    dict(slug="karakol", name_ky="Каракол шаары", name_ru="Город Каракол", kind="city",
         oblast="issyk_kul", rayon="", population=84300,
         villages=[("Каракол (борбор)", 52100, 33800, "61000000"), ("Пристань", 18400, 11900, "14500000"),
                   ("Малиновка", 13800, 8900, "9800000")]),
]

GROUPS = [
    ("ak-dobo", "public_budget", "Ак-Добо айылынын Коомдук бюджет тобу",
     "Общественная бюджетная группа Ак-Добо",
     "Тургундардын өкүлдөрү учурдагы бюджетти жана кийинки жылдын киреше-чыгашаларын талдайт, аткарылышын көзөмөлдөйт."),
    ("isanov", "initiative", "Исанов айыл өкмөтүнүн демилгелүү тобу", "Инициативная группа Исановского АО", ""),
    ("zulpuev", "initiative", "Зулпуев айыл өкмөтүнүн демилгелүү тобу", "Инициативная группа Зулпуевского АО", ""),
    ("janynookat", "initiative", "Жаңы-Ноокат айыл өкмөтүнүн демилгелүү тобу",
     "Инициативная группа Жаны-Ноокатского АО", ""),
    ("ak-dobo", "monitoring", "Ак-Добо мониторинг тобу", "Группа мониторинга Ак-Добо", ""),
]

# (login, name, role, where, village) — the README lists these.
ACCOUNTS = [
    ("admin@ashar.kg", "Айгүл Сыдыкова", "admin", None, None),
    ("finance@ak-dobo.kg", "Бакыт Жумабаев", "staff", "ak-dobo", None),
    ("finance@isanov.kg", "Улан Ташиев", "staff", "isanov", None),
    ("deputy@ak-dobo.kg", "Гүлнара Осмонова", "council", "ak-dobo", None),
    ("chair@ak-dobo.kg", "Мирлан Асанов", "chair", 0, "Ак-Добо"),
    ("secretary@ak-dobo.kg", "Нургүл Токтосунова", "secretary", 0, "Кызыл-Арык"),
    ("member@ak-dobo.kg", "Эрмек Бекболотов", "member", 0, "Жон-Арык"),
    ("chair@isanov.kg", "Жылдыз Мамытова", "chair", 1, "Кара-Таш"),
    ("0555123456", "Айбек Карабаев", "resident", "ak-dobo", "Ак-Добо"),
]


def database_is_empty():
    return db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0


def _village(municipality, name):
    return next(v for v in municipality.villages if v.name == name)


def load_demo():
    """Create the demo through the services, so that it is audited like real work.

    Returns the municipalities by slug and the clear voting codes of Ak-Dobo's open round (stored only
    hashed: the caller prints them or they are lost).
    """
    admin = accounts.create_first_admin(ACCOUNTS[0][1], ACCOUNTS[0][0], DEMO_PASSWORD)
    munis = {}
    for spec in MUNICIPALITIES:
        data = {k: v for k, v in spec.items() if k != "villages"}
        municipality = places.create_municipality(admin, data)
        for name, population, voters, contribution in spec["villages"]:
            places.create_village(admin, municipality, dict(
                name=name, population=population, registered_voters=voters, revenue_contribution=contribution))
        munis[spec["slug"]] = municipality
    group_list = [groups.create_group(admin, munis[slug], kind, ky, ru, desc) for slug, kind, ky, ru, desc in GROUPS]

    for login, name, role, where, village_name in ACCOUNTS[1:]:
        contact = dict(phone=login) if "@" not in login else dict(email=login)
        if role == "resident":
            user = accounts.register_resident(name, DEMO_PASSWORD, _village(munis[where], village_name).id,
                                              "ky", **contact)
            continue
        user = accounts.create_account(admin, name, DEMO_PASSWORD, "ky" if role != "council" else "ru", **contact)
        if role in ("staff", "council"):
            accounts.assign_municipal_role(admin, user, munis[where].id, role)
        else:
            group = group_list[where]
            groups.add_member(admin, group, user.id, role, _village(group.municipality, village_name).id)

    budget = _demo_budget(munis["ak-dobo"])
    _demo_participation(budget)
    from pb.demo.hearings import load_demo_hearings

    load_demo_hearings(munis)
    from pb.demo.monitoring import load_demo_monitoring

    load_demo_monitoring(munis["ak-dobo"])
    from pb.demo.approval import load_demo_approval, load_demo_awaiting_approval
    from pb.demo.voting import load_demo_voting

    clear_codes = load_demo_voting(munis)
    load_demo_approval(admin, munis["isanov"], DEMO_PASSWORD)
    load_demo_awaiting_approval(admin, munis["janynookat"], DEMO_PASSWORD)
    return munis, clear_codes


def _demo_budget(municipality):
    """Ak-Dobo's draft 2027 budget, imported from the sample spreadsheet and published."""
    staff = db.session.execute(sa.select(User).where(User.email == "finance@ak-dobo.kg")).scalar_one()
    chair = db.session.execute(sa.select(User).where(User.email == "chair@ak-dobo.kg")).scalar_one()
    budget = budgets.create_budget(
        staff, municipality, 2027,
        summary_ky="2027-жылдын долбоору: кирешелер 23,2 млн сом, чыгашалар 21,0 млн сом. "
                   "Эң чоң жаңы чыгашалар — ичүүчү суу түтүгү, мектептин чатыры жана көчө жарыктандыруу.",
        summary_ru="Проект на 2027 год: доходы 23,2 млн сомов, расходы 21,0 млн сомов. "
                   "Крупнейшие новые расходы — водопровод, кровля школы и уличное освещение.",
    )
    budgets.import_lines(staff, budget, SAMPLE_CSV.name, SAMPLE_CSV.read_bytes())
    budgets.change_phase(chair, budget, Phase.CONSULTATION.value)
    line = next(line for line in budget.lines if line.code == "7063100")
    budgets.save_line(staff, budget, dict(
        kind=line.kind.value, code=line.code, name_ky=line.name_ky, name_ru=line.name_ru,
        category=line.category.value, approved_last_year=line.approved_last_year,
        executed_last_year=line.executed_last_year, proposed=Decimal("2750000"), note=line.note), line)
    budgets.publish_version(staff, budget, "Суу түтүгүнө 150 000 сом кошулду")
    return budget


PROPOSALS = [
    # (author login, village, category, title, description, cost, money, labour, statuses, reason)
    ("0555123456", "Ак-Добо", "water", "Ак-Добо айылына суу сактагыч",
     "Жайкысын суу жетпейт: 50 куб метрлик суу сактагыч керек.", "850000", "60000", "15 киши × 6 күн",
     ["under_review", "feasible", "on_ballot"], ""),
    ("0555123456", "Кызыл-Арык", "roads", "Кызыл-Арык көпүрөсүн оңдоо",
     "Арыктын үстүндөгү көпүрө бузулуп, мектеп балдары айланып жүрөт.", "320000", "0", "ашар: 20 киши × 2 күн",
     ["under_review", "feasible", "on_ballot"], ""),
    ("member@ak-dobo.kg", "Жон-Арык", "culture", "Жон-Арыкта жаңы маданият үйү",
     "Эски клубдун ордуна жаңы имарат.", "12000000", "0", "",
     ["under_review", "not_feasible"], "Наркы бир жылдык бүт бюджеттен ашат; оңдоо катары кайра сунуштаңыз."),
    ("0555123456", "Ак-Добо", "lighting", "Мектепке баруучу көчөгө чырак",
     "Кышында эрте караңгы кирет; 12 чырак керек.", "96000", "10000", "", [], ""),
]


def _demo_participation(budget):
    """Proposals at several stages and a question on a line with the official answer."""
    from pb.comments import services as comments
    from pb.comments.targets import load_target
    from pb.proposals import review
    from pb.proposals import services as proposals

    def user(login):
        return accounts.find_user_by_login(login)

    chair = user("chair@ak-dobo.kg")
    villages = {v.name: v.id for v in budget.municipality.villages}
    for login, village, category, title, text, cost, money, labour, statuses, reason in PROPOSALS:
        proposal = proposals.submit_proposal(user(login), budget, dict(
            title=title, description=text, village_id=villages[village], category=category,
            estimated_cost=cost, contribution_money=money, contribution_labour=labour))
        for status in statuses:
            review.change_status(chair, proposal, status, reason if status == statuses[-1] else "")
    line = next(line for line in budget.lines if line.code == "7063100")
    target = load_target("budget_line", line.id)
    question = comments.post_comment(user("0555123456"), target,
                                     "Жаңы түтүк Кызыл-Арыкка да тартылабы? Быйыл жайында суу таптакыр болгон жок.")
    comments.post_comment(user("finance@ak-dobo.kg"), target,
                          "Ооба: 3,2 км түтүктүн 1,2 км Кызыл-Арыкка тартылат, иш май айында башталат.",
                          parent_id=question.id, official=True)
