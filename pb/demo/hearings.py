"""Demo hearings: one held in Isanov (Nookat) with its minutes published, one scheduled in Ak-Dobo."""
import random
from datetime import date, timedelta
from pathlib import Path

from pb.accounts import services as accounts
from pb.budgets import services as budgets
from pb.hearings import console, minutes, services as hearings

ISANOV_CSV = Path(__file__).parent / "data" / "isanov-2027.csv"

QUESTIONS = [
    ("Абдыкадыр Ташиев", "Кара-Таш", "Сугат арыгы качан оңдолот? Жайында суу аягына жетпейт.",
     "Быйыл 2,6 млн сом бөлүнөт, иш апрелде башталат.", "Улан Ташиев, айыл өкмөтүнүн финансисти"),
    ("", "Сары-Булак", "Сары-Булакта ичүүчү суу түтүгү эскирди, жаңыланабы?",
     "Ичүүчү сууга 1,65 млн сом каралды; биринчи кезекте Сары-Булак.", "Жылдыз Мамытова"),
    ("Гүлзат Эргешова", "Он-Эки-Бел", "Балдар бакчасына орун жетпейт. Жаңы топ ачылабы?",
     "Бакчага 500 000 сом кошулду, сентябрда бир топ ачылат.", "Улан Ташиев"),
    ("", "Кара-Таш", "Көчө чырактары түнкүсүн күйбөй калат.", "Электр тармагы менен келишим жаңыланат.",
     "Улан Ташиев"),
    ("Бакыт Жолдошев", "Сары-Булак", "ФАПка дары-дармек сатып алууга каражат барбы?",
     "ФАПтарга 610 000 сом, анын 70 000и дары-дармекке.", "Жылдыз Мамытова"),
    ("", "Он-Эки-Бел", "Жолдорду шагылдоо кайсы көчөлөрдөн башталат?",
     "Мектепке баруучу көчөлөрдөн; тизме айыл өкмөтүндө илинет.", "Улан Ташиев"),
    ("Айнура Курманова", "Кара-Таш", "Таштанды чыгаруу жумасына бир жолу эле, аз.", "", ""),
    ("", "Сары-Булак", "Жаштар үчүн спорт аянтча курулабы?",
     "Сунуш катары катталды; добуш берүүгө коюлат.", "Жылдыз Мамытова"),
]

HALL_PROPOSALS = [
    ("Кара-Таштагы сугат арыгын бетондоо", "Кара-Таш", "water", "1200000", "150000", "30 киши × 10 күн"),
    ("Сары-Булакка ичүүчү суу түтүгү", "Сары-Булак", "water", "900000", "80000", "ашар: 25 киши"),
    ("Он-Эки-Бел мектебине спорт аянтча", "Он-Эки-Бел", "culture", "450000", "30000", ""),
]

DECISIONS = [
    ("2027-жылдын бюджетинин долбоорун негизинен колдоо.", 58, 4, 6, "adopted"),
    ("Сугат тармагына бөлүнгөн каражатты 2,6 млн сомго чейин көбөйтүү.", 61, 2, 5, "adopted"),
    ("Айыл күнүнө чыгашаны кыскартуу.", 22, 35, 11, "rejected"),
]

NARRATIVE = (
    "Угууну айыл өкмөтүнүн башчысы ачып, 2027-жылдын бюджетинин долбоору тууралуу маалымат берди.\n\n"
    "Катышуучулар сугат жана ичүүчү суу маселесин эң маанилүү деп белгилешти. Демилгелүү топ "
    "сунуштарды чогултуп, добуш берүүгө даярдайт."
)


def _user(login):
    return accounts.find_user_by_login(login)


def _isanov_budget(isanov):
    staff = _user("finance@isanov.kg")
    budget = budgets.create_budget(staff, isanov, 2027,
                                   summary_ky="Исанов айыл өкмөтүнүн 2027-жылдын бюджетинин долбоору.",
                                   summary_ru="Проект бюджета Исановского айыл окмоту на 2027 год.")
    budgets.import_lines(staff, budget, ISANOV_CSV.name, ISANOV_CSV.read_bytes())
    budgets.change_phase(staff, budget, "consultation")
    budgets.change_phase(staff, budget, "hearing")
    return budget


def _entries(hearing, rng):
    villages = {v.name: v.id for v in hearing.villages}
    village_ids = list(villages.values())
    items = [item.id for item in hearing.agenda]
    batch = [{"key": "demo-agenda-1", "type": "agenda", "data": {"item_id": items[0]}}]
    # about 70 attendees: 42% women as nationally, a quarter young
    for n in range(72):
        batch.append({"key": f"demo-att-{n:03d}", "type": "attendance", "data": {
            "gender": "female" if rng.random() < 0.43 else "male",
            "age_band": rng.choices(["18_29", "30_44", "45_59", "60_plus", "under_18"], [24, 30, 26, 18, 2])[0],
            "village_id": rng.choice(village_ids)}})
    for n, (who, village, text, answer, by) in enumerate(QUESTIONS):
        batch.append({"key": f"demo-q-{n:02d}", "type": "question", "data": {
            "asked_by": who, "village_id": villages[village], "text": text, "answer": answer, "answered_by": by}})
    batch.append({"key": "demo-agenda-2", "type": "agenda", "data": {"item_id": items[1], "from_item_id": items[0]}})
    for n, (title, village, category, cost, money, labour) in enumerate(HALL_PROPOSALS):
        batch.append({"key": f"demo-p-{n:02d}", "type": "proposal", "data": {
            "title": title, "village_id": villages[village], "category": category, "estimated_cost": cost,
            "contribution_money": money, "contribution_labour": labour}})
    batch.append({"key": "demo-agenda-3", "type": "agenda", "data": {"item_id": items[2], "from_item_id": items[1]}})
    for n, (motion, yes, no, abstain, outcome) in enumerate(DECISIONS):
        batch.append({"key": f"demo-d-{n:02d}", "type": "decision", "data": {
            "motion": motion, "votes_for": yes, "votes_against": no, "abstentions": abstain, "outcome": outcome}})
    return batch


def load_demo_hearings(munis, today=None):
    """The held Isanov hearing (minutes published) and the scheduled Ak-Dobo hearing."""
    today = today or date.today()
    isanov, ak_dobo = munis["isanov"], munis["ak-dobo"]
    chair = _user("chair@isanov.kg")
    budget = _isanov_budget(isanov)
    held = hearings.schedule_hearing(_user("finance@isanov.kg"), isanov, dict(
        kind="draft_budget", budget_id=budget.id, date=(today - timedelta(days=8)).isoformat(), time="10:00",
        place="Кара-Таш айылы, №1 орто мектептин чоң залы", village_ids=[v.id for v in isanov.villages],
        chair_name="Жылдыз Мамытова", secretary_name="Айпери Садыкова", chair_id=chair.id, quorum=50,
        agenda=[{"title": "2027-жылдын бюджетинин долбоору тууралуу маалымат"},
                {"title": "Тургундардын сунуштары"},
                {"title": "Чечимдер"}]))
    hearings.open_hearing(chair, held)
    console.store_entries(chair, held, _entries(held, random.Random(2014)), device="demo")  # 89 entries
    hearings.close_hearing(chair, held)
    minutes.save_minutes(chair, held, NARRATIVE, None)
    minutes.publish_minutes(chair, held)

    ak_budget = budgets.list_budgets(None, ak_dobo.id)[0]
    hearings.schedule_hearing(_user("chair@ak-dobo.kg"), ak_dobo, dict(
        kind="draft_budget", budget_id=ak_budget.id, date=(today + timedelta(days=20)).isoformat(), time="14:00",
        place="Ак-Добо айылы, маданият үйү", village_ids=[v.id for v in ak_dobo.villages],
        chair_name="Мирлан Асанов", secretary_name="Нургүл Токтосунова",
        chair_id=_user("chair@ak-dobo.kg").id, secretary_id=_user("secretary@ak-dobo.kg").id,
        agenda=[{"title": "2027-жылдын бюджетинин долбоору"},
                {"title": "Ичүүчү суу түтүгүн оңдоо", "about": f"line:{_line_id(ak_budget, '7063100')}"},
                {"title": "Тургундардын сунуштары"}]))
    return held


def _line_id(budget, code):
    return next(line.id for line in budget.lines if line.code == code)
