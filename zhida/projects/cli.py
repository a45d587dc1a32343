"""``zhida projects …``: the monthly report and bulletin, the ledger export, task forces,
targets, the daily reminders, the problem list (问题清单/要素保障: list, progress notes, 销号 with
evidence) and the pipeline (招商: list, one step on). Imports go through ``zhida import
projects|project-reports|project-fields FILE``. Every change goes through the service with the
actor given (``--actor``, ``--role``), checked and audited as in the console."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, db_session, emit, parse_date
from zhida.errors import ValidationFailed
from zhida.projects import bulletin as bulletins
from zhida.projects import issues, leads, ledger, queries, reminders, targets
from zhida.projects.export import write_ledger
from zhida.projects.models import InvestmentLead, Project, ProjectIssue
from zhida.projects.progress import SLOW_POINTS, month_progress, report_json
from zhida.projects.reports import parse_month

MonthOpt = typer.Option(..., "--month", help="月份 YYYY-MM")
TodayOpt = typer.Option(None, "--today", help="办理日期 YYYY-MM-DD（默认今天）")
SlowOpt = typer.Option(str(SLOW_POINTS), "--slow", help="慢于时间进度超过多少个百分点列入滞后项目")


def _decimal(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"{what}「{text}」不是数字") from None


def _text(data: dict) -> str:
    lines = [f"{data['month']} 时间进度 {data['schedule_pct']}%"]
    for p in data["projects"]:
        lines.append(f"{p['code']} {p['name']} 完成率 {p['completion_pct'] or '—'}% 快慢 {p['ahead_pp'] or '—'} 个百分点"
                     + ("" if p["reported"] else "（未报）"))
    t = data["total"]
    lines.append(f"合计 完成率 {t['completion_pct'] or '—'}% 快慢 {t['ahead_pp'] or '—'} 个百分点")
    return "\n".join(lines)


def report(month: str = MonthOpt, fmt: str = FormatOpt, actor: str = ActorOpt, role: str = RoleOpt,
           slow: str = SlowOpt) -> None:
    """每个项目的年度计划完成率、时间进度与快慢百分点（精确值与一次四舍五入值）。"""
    with db_session() as s:
        data = report_json(month_progress(s, actor_of(actor, role), parse_month(month), _decimal(slow, "参数")))
    emit(data, fmt, _text(data))


def bulletin(month: str = MonthOpt, out: Path = typer.Option(None, "--out", help="写入文本文件"),
             today: str = TodayOpt, slow: str = SlowOpt, region: str = typer.Option("经开区", "--region")) -> None:
    """生成月度重点项目推进情况通报。"""
    with db_session() as s:
        text = bulletins.monthly_bulletin(s, actor_of("system", "admin"), parse_month(month),
                                          parse_date(today) or dt.date.today(), _decimal(slow, "参数"), region)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"已写入 {out}")
    else:
        typer.echo(text)


def export(month: str = MonthOpt, out: Path = typer.Option(..., "--out", help="输出 .xlsx 路径")) -> None:
    """按台账格式导出 Excel。"""
    with db_session() as s:
        system = actor_of("system", "admin")
        path = write_ledger(s, system, month_progress(s, system, parse_month(month)), out)
    typer.echo(f"已写入 {path}")


def taskforce(name: str = typer.Argument(..., help="专班名称"), head_name: str = typer.Option(None, "--head"),
              head_user: str = typer.Option(None, "--head-user"),
              member: list[str] = typer.Option([], "--member", help="成员账号，可重复"),
              actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """设立专班（或更新负责人、增加成员）。"""
    with db_session() as s:
        ledger.add_task_force(s, actor_of(actor, role), name, head_name, head_user, member)
    typer.echo(f"专班「{name}」已设立")


def target(year: int = typer.Argument(...), indicator: str = typer.Argument(..., help="过亿元项目、完成投资、到位资金、新增高新技术企业"),
           value: str = typer.Argument(..., help="目标值（“以上”即不少于）"),
           actual: str = typer.Option(None, "--actual", help="不能由台账计算的指标的完成值"),
           actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """设定年度目标。"""
    with db_session() as s:
        targets.set_target(s, actor_of(actor, role), year, indicator, _decimal(value, "目标值"),
                           None if actual is None else _decimal(actual, "完成值"))
    typer.echo(f"{year} 年目标「{indicator}」{value} 以上已设定")


def progress(month: str = MonthOpt, fmt: str = FormatOpt) -> None:
    """年度目标完成情况。"""
    with db_session() as s:
        rows = targets.progress(s, parse_month(month))
    text = "\n".join(f"{t.indicator} 目标 {t.target}{t.unit}以上 完成 {t.actual if t.actual is not None else '—'} "
                     f"{'已完成' if t.met else '未完成'} 完成率 {t.completion_pct or '—'}%" for t in rows)
    emit(rows, fmt, text or "尚未设定年度目标")


def remind(today: str = TodayOpt) -> None:
    """到期提醒与逾期升级（写入消息队列，由 zhida outbox 发送）。"""
    with db_session() as s:
        result = reminders.remind(s, parse_date(today) or dt.date.today())
    typer.echo(result.summary())


def _issue_row(item: ProjectIssue, project: Project, today: dt.date) -> dict:
    overdue = item.state == issues.IssueState.OPEN.value and item.due_on < today
    return {"id": item.id, "kind": item.kind, "factor": item.factor, "title": item.title,
            "project_code": project.code, "project": project.name, "owner_dept": item.owner_dept,
            "opened_on": item.opened_on, "due_on": item.due_on, "state": item.state, "closed_on": item.closed_on,
            "overdue": overdue}


def _issue_line(r: dict) -> str:
    kind = f"{r['kind']}·{r['factor']}" if r["factor"] else r["kind"]
    return (f"#{r['id']} [{kind}] {r['title']}  项目 {r['project_code']} {r['project']}  责任部门 {r['owner_dept']}  "
            f"期限 {r['due_on']}  {r['state']}" + ("（逾期）" if r["overdue"] else ""))


def problems(kind: str = typer.Option("问题", "--kind", help="问题 或 要素保障"),
             overdue: bool = typer.Option(False, "--overdue", help="只列出已过办结期限仍未销号的事项"),
             state: str = typer.Option("", "--state", help="办理中 或 已销号（默认全部）"), today: str = TodayOpt,
             fmt: str = FormatOpt, actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """问题清单（或要素保障）：办理人可见项目的事项，按办结期限排列。"""
    if kind not in issues.KINDS:
        raise ValidationFailed(f"事项类别「{kind}」不对：应为 {'、'.join(issues.KINDS)}")
    day = parse_date(today) or dt.date.today()
    with db_session() as s:
        found = queries.issue_list(s, actor_of(actor, role), kind, state, overdue_on=day if overdue else None)
        rows = [_issue_row(item, project, day) for item, project in found]
    emit(rows, fmt, "\n".join(map(_issue_line, rows)) or f"没有符合条件的{kind}事项")


def problem_note(issue_id: int = typer.Argument(..., help="事项编号"), text: str = typer.Argument(..., help="办理进展"),
                 actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """填写事项的办理进展。"""
    with db_session() as s:
        who = actor_of(actor, role)
        issues.add_note(s, who, queries.issue_for(s, who, issue_id)[0], text)
    typer.echo(f"事项 #{issue_id} 已记录办理进展")


def problem_close(issue_id: int = typer.Argument(..., help="事项编号"),
                  evidence: list[Path] = typer.Option([], "--evidence", help="佐证材料文件（照片、批复、纪要），可重复"),
                  note: str = typer.Option(..., "--note", help="销号说明（如何解决的）"), today: str = TodayOpt,
                  actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """事项销号：先上传佐证材料，再销号（没有佐证材料的事项不能销号）。"""
    from zhida.config import get_settings

    with db_session() as s:
        who = actor_of(actor, role)
        item = queries.issue_for(s, who, issue_id)[0]
        for path in evidence:
            if not path.is_file():
                raise ValidationFailed(f"佐证材料文件 {path} 不存在")
            issues.attach(s, who, item, Path(get_settings().data_dir), path.name, path.read_bytes())
        issues.close_issue(s, who, item, note, parse_date(today) or dt.date.today())
        title = item.title
    typer.echo(f"事项 #{issue_id}「{title}」已销号（佐证材料 {len(evidence)} 个）")


def _lead_row(lead: InvestmentLead) -> dict:
    return {"id": lead.id, "name": lead.name, "investor": lead.investor, "source": lead.source,
            "amount_fen": lead.amount_fen, "funds_in_place_fen": lead.funds_in_place_fen, "stage": lead.stage,
            "responsible": lead.responsible, "project_id": lead.project_id,
            "dates": {stage.value: getattr(lead, attr) for stage, attr in leads.DATE_OF.items()}}


def _lead_line(r: dict) -> str:
    since = r["dates"][r["stage"]]
    return (f"#{r['id']} {r['name']}（{r['investor']}，{r['source']}）{ledger.fen_to_wan(r['amount_fen'])} 万元  "
            f"{r['stage']} {since or ''}  责任人 {r['responsible']}" + (f"  台账项目 #{r['project_id']}" if r["project_id"] else ""))


def lead_list(stage: str = typer.Option("", "--stage", help="在谈、签约、落地、开工 或 投产（默认全部）"),
              fmt: str = FormatOpt) -> None:
    """招商项目（新登记的在前）。"""
    if stage and stage not in {st.value for st in leads.STAGES}:
        raise ValidationFailed(f"阶段「{stage}」不对：应为 {'、'.join(s.value for s in leads.STAGES)}")
    with db_session() as s:
        rows = [_lead_row(lead) for lead in queries.leads(s, stage)]
    emit(rows, fmt, "\n".join(map(_lead_line, rows)) or "没有符合条件的招商项目")


def lead_advance(lead_id: int = typer.Argument(..., help="招商项目编号"),
                 to: str = typer.Option(..., "--to", help="下一阶段：签约、落地、开工 或 投产"),
                 on: str = typer.Option(None, "--on", help="该阶段的日期 YYYY-MM-DD（默认办理日期）"),
                 today: str = TodayOpt, actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """招商项目推进一步（须按 在谈→签约→落地→开工→投产 的顺序）。"""
    day = parse_date(today) or dt.date.today()
    with db_session() as s:
        lead = queries.lead_by_id(s, lead_id)
        leads.advance(s, actor_of(actor, role), lead, to, parse_date(on) or day, day)
        name = lead.name
    typer.echo(f"招商项目 #{lead_id}「{name}」已{to}")


COMMANDS = (("report", report), ("bulletin", bulletin), ("export", export), ("taskforce", taskforce),
            ("target", target), ("targets", progress), ("remind", remind), ("problems", problems),
            ("problem-note", problem_note), ("problem-close", problem_close), ("leads", lead_list),
            ("lead-advance", lead_advance))


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="重点项目与招商：月报、通报、台账导出、专班、目标、提醒、问题清单、招商", no_args_is_help=True)
    for name, fn in COMMANDS:
        sub.command(name)(fn)
    app.add_typer(sub, name="projects")
