"""Demo of the monitoring year: Ak-Dobo's 2026 budget approved and carried out, through the services.

Three quarters of execution imported from the treasury sample, two funded projects with their progress, and
a monitoring group's reports, one answered by the municipality.
"""
from datetime import date
from decimal import Decimal

from pb.accounts import services as accounts
from pb.budgets import execution, exporters
from pb.budgets import services as budgets
from pb.budgets.execution_importers import SAMPLE
from pb.budgets.samples import sample_rows
from pb.groups import services as groups
from pb.groups.models import GroupKind
from pb.monitoring import projects, reports
from pb.proposals import approval, review
from pb.proposals import services as proposals

MONITOR = ("monitor@ak-dobo.kg", "Чолпон Абдраева", "Кызыл-Арык")

FUNDED = [
    # (village, category, title, description, cost, money, labour)
    ("Кызыл-Арык", "water", "Кызыл-Арыкка ичүүчү суу түтүгү",
     "Кызыл-Арыктын үч көчөсүнө 1,2 км түтүк тартуу.", "1150000", "80000", "ашар: 30 киши × 4 күн"),
    ("Ак-Добо", "lighting", "Ак-Добо мектебинин жанындагы көчөгө чырак",
     "Мектепке баруучу 600 метр көчөгө 18 LED чырак.", "210000", "15000", ""),
]


def _lines_2026():
    """The 2026 plan: the sample's lines that were approved for 2026, with that amount as the plan."""
    rows = []
    for row in sample_rows():
        if row["approved_last_year"]:
            plan = row["approved_last_year"]
            rows.append(dict(row, proposed=plan, approved_last_year=(plan * Decimal("0.95")).quantize(Decimal("1")),
                             executed_last_year=(plan * Decimal("0.93")).quantize(Decimal("1")), note=""))
    return exporters.export_csv(rows)


def load_demo_monitoring(municipality):
    """Ak-Dobo's 2026 budget in the monitoring phase, with execution, projects and monitoring reports."""
    def user(login):
        return accounts.find_user_by_login(login)

    admin, staff, chair, deputy = (user(x) for x in ("admin@ashar.kg", "finance@ak-dobo.kg", "chair@ak-dobo.kg",
                                                     "deputy@ak-dobo.kg"))
    villages = {v.name: v.id for v in municipality.villages}
    group = next(g for g in groups.list_groups(municipality.id) if g.kind == GroupKind.MONITORING)
    monitor = accounts.create_account(admin, MONITOR[1], "ashar-demo-2027", "ky", email=MONITOR[0])
    groups.add_member(admin, group, monitor.id, "chair", villages[MONITOR[2]])

    budget = budgets.create_budget(staff, municipality, 2026, summary_ky="2026-жылдын бекитилген бюджети.",
                                   summary_ru="Утверждённый бюджет на 2026 год.")
    budgets.import_lines(staff, budget, "ak-dobo-2026.csv", _lines_2026())
    budgets.change_phase(chair, budget, "consultation")
    funded = []
    for village, category, title, text, cost, money, labour in FUNDED:
        proposal = proposals.submit_proposal(user("0555123456"), budget, dict(
            title=title, description=text, village_id=villages[village], category=category,
            estimated_cost=cost, contribution_money=money, contribution_labour=labour))
        for status in ("under_review", "feasible", "on_ballot", "selected"):
            review.change_status(chair, proposal, status)
        funded.append(proposal)
    for to, who in (("hearing", chair), ("approval", staff)):
        budgets.change_phase(who, budget, to)
    # the kenesh's decision makes the selected proposals budget lines and funds them
    approval.approve_budget(deputy, budget, dict(session_number="XVII", session_date=date(2025, 12, 24),
                                                 decision_number="17/1"))
    budgets.change_phase(staff, budget, "monitoring")
    execution.import_figures(staff, budget, SAMPLE.name, SAMPLE.read_bytes())
    _projects(staff, funded)
    _reports(staff, monitor, group, budget, funded[0])
    return budget


def _projects(staff, funded):
    pipe_proposal, lights_proposal = funded
    pipe = projects.save_implementation(staff, pipe_proposal, dict(
        responsible_body="Ак-Добо айыл өкмөтү", contractor="«Талас-Суу-Курулуш» ЖЧК",
        planned_start=date(2026, 5, 1), planned_end=date(2026, 9, 30), actual_start=date(2026, 7, 6),
        planned_cost="1150000", spent="410000", contribution_delivered="35000",
        contribution_labour_delivered="ашар: 22 киши × 3 күн, траншея казылды", progress=40, status="delayed"))
    for title, planned, done in (("Долбоордук-сметалык документация", date(2026, 4, 15), date(2026, 5, 20)),
                                 ("Траншея казуу (ашар)", date(2026, 6, 1), date(2026, 7, 18)),
                                 ("Түтүктөрдү коюу", date(2026, 8, 15), None),
                                 ("Сыноо жана пайдаланууга берүү", date(2026, 9, 30), None)):
        milestone = projects.add_milestone(staff, pipe, title, planned)
        if done:
            projects.complete_milestone(staff, milestone, done)
    lights = projects.save_implementation(staff, lights_proposal, dict(
        responsible_body="Ак-Добо айыл өкмөтү", contractor="ЖИ Асанов Т.", planned_start=date(2026, 6, 1),
        planned_end=date(2026, 8, 31), actual_start=date(2026, 6, 10), actual_end=date(2026, 8, 20),
        planned_cost="210000", spent="198400", contribution_delivered="15000", progress=100, status="done"))
    projects.add_milestone(staff, lights, "18 чырак орнотулду", date(2026, 8, 31))
    projects.complete_milestone(staff, lights.milestones[0], date(2026, 8, 20))


def _reports(staff, monitor, group, budget, pipe_proposal):
    pipe = projects.find_implementation(pipe_proposal)
    report = reports.file_report(monitor, pipe, dict(
        group_id=group.id, visit_date=date(2026, 8, 28), rating="concerns",
        findings="Траншея 1,2 км казылган, бирок түтүктөрдүн жарымы гана жеткирилген; подрядчик эки жумадан бери "
                 "иштебей жатат. Тургундар ашарга убадасындагыдан көп чыгышты.",
        recommendations="Подрядчик менен келишимдеги мөөнөттү текшерүү; калган түтүктөрдү сентябрдын башына чейин "
                        "жеткирүү; кышка чейин траншеяны жабуу."))
    reports.answer_report(staff, report, "Подрядчикке расмий кат жөнөтүлдү: калган 600 м түтүк 15-сентябрга "
                                         "чейин жеткирилет. Иштин мөөнөтү 31-октябрга узартылды; 1-ноябрда "
                                         "мониторинг тобу менен бирге кабыл алабыз.")
    roads = next(line for line in budget.lines if line.code == "7045200")
    reports.file_report(monitor, roads, dict(
        group_id=group.id, visit_date=date(2026, 4, 2), rating="problem",
        findings="Кышкы жол тейлөөгө бир жылдык пландын 90% үч айда сарпталды. Актыларда кар тазалаган техниканын "
                 "сааттары көрсөтүлгөн эмес.",
        recommendations="Техниканын иштеген сааттарын актыга жазуу жана кеңешке маалымат берүү."))
