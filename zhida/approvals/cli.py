"""``zhida approvals …``: the clock calculator (no case, no database), the catalogue, cases,
alerts, the daily run and the dashboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, db_session, emit, parse_date
from zhida.errors import ValidationFailed


def required_date(text: str | None, label: str) -> dt.date:
    """``YYYY-MM-DD`` that must be given (``ValidationFailed`` naming ``label`` otherwise)."""
    day = parse_date((text or "").strip())
    if day is None:
        raise ValidationFailed(f"请填写{label}（YYYY-MM-DD）")
    return day


def parse_pause(text: str) -> tuple[dt.date, dt.date]:
    """``2026-03-02..2026-03-06`` → the two dates (both inclusive).

    >>> parse_pause("2026-03-02..2026-03-06")
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 6))
    """
    parts = text.split("..")
    if len(parts) != 2 or not all(parts):
        raise ValidationFailed(f"中止计时区间 {text!r} 格式不对：应为 开始..结束，例如 2026-03-02..2026-03-06")
    return required_date(parts[0], "中止计时开始日期"), required_date(parts[1], "中止计时结束日期")


def deadline_result(accepted: dt.date, days: int, pauses: list[tuple[dt.date, dt.date]], calendar=None) -> dict:
    """The deadline of ``days`` working days from the day after ``accepted``, pauses not counted
    (on ``calendar``, default the shipped schedules without any database)."""
    from zhida.platform.calendar import WorkingCalendar
    from zhida.platform.clock import Pause, check_pauses, deadline, used

    cal = calendar or WorkingCalendar()
    ps = check_pauses([Pause(a, b, "中止计时") for a, b in pauses], accepted)
    due = deadline(accepted, days, ps, cal)
    if due is None:  # pragma: no cover - every pause given here has an end
        raise ValidationFailed("中止计时区间缺少结束日期")
    paused_days = sum(cal.working_days_between(p.start - dt.timedelta(days=1), p.end)
                      for p in ps if p.end is not None and p.start <= due)
    return {"accepted": accepted.isoformat(), "days": days, "deadline": due.isoformat(),
            "working_days_counted": used(accepted, due, ps, cal), "calendar_days": (due - accepted).days,
            "paused_working_days": paused_days, "pauses": [[p.start.isoformat(), str(p.end)] for p in ps]}


def deadline_cmd(accepted: str = typer.Option(..., "--accepted", help="受理日期 YYYY-MM-DD（次日起算）"),
                 days: int = typer.Option(..., "--days", help="时限（工作日）"),
                 pause: list[str] = typer.Option([], "--pause", help="中止计时区间 开始..结束（可多次）"),
                 use_db: bool = typer.Option(False, "--use-db", help="同时使用数据库中载入的节假日安排（如下一年度）"),
                 fmt: str = FormatOpt) -> None:
    """计算办结期限：工作日自受理次日起算，法定节假日不计、调休上班日计入，中止计时期间不计。"""
    calendar = None
    if use_db:
        from zhida.platform.calendar import WorkingCalendar

        with db_session() as s:
            calendar = WorkingCalendar.from_session(s)
    r = deadline_result(required_date(accepted, "受理日期"), days, [parse_pause(p) for p in pause], calendar)
    stopped = f"，中止计时 {r['paused_working_days']} 个工作日不计" if r["pauses"] else ""
    emit(r, fmt, f"受理 {r['accepted']}，时限 {days} 个工作日{stopped}：办结期限 {r['deadline']}"
                 f"（计入 {r['working_days_counted']} 个工作日，共 {r['calendar_days']} 个自然日）")


def seed_cmd(actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """载入科室和示例审批事项目录（已有的事项保持不变）。"""
    from zhida.approvals.matters import load_seed

    with db_session() as s:
        n = load_seed(s, actor_of(actor, role))
    typer.echo(f"已载入 {n} 个审批事项")


def matters_cmd(fmt: str = FormatOpt) -> None:
    """列出审批事项目录。"""
    from zhida.approvals.matters import list_matters

    with db_session() as s:
        rows = [{"code": m.code, "name": m.name, "legal_days": m.legal_days, "promised_days": m.promised_days,
                 "instant": m.instant, "notify_promise": m.notify_promise, "local_parameter": m.local_parameter}
                for m in list_matters(s)]
    emit(rows, fmt, "\n".join(f"{r['code']}\t{r['name']}\t法定 {r['legal_days']} / 承诺 {r['promised_days']} 个工作日"
                              + ("（本地参数）" if r["local_parameter"] else "") for r in rows) or "（目录为空）")


def case_cmd(case_no: str = typer.Argument(..., help="办件编号"), as_of: str = typer.Option(None, "--as-of"),
             fmt: str = FormatOpt) -> None:
    """办件详情：时限、已用与剩余工作日、时间线。"""
    from zhida.approvals.queries import case_detail

    with db_session() as s:
        d = case_detail(s, case_no, parse_date(as_of) or dt.date.today())
        c, ck = d.case, d.clock
        out = {"case_no": c.case_no, "matter": d.matter.name, "state": c.state, "accepted_on": c.accepted_on,
               "legal_due": c.legal_due, "promised_due": c.promised_due, "used": ck.used if ck else None,
               "promised_left": ck.promised_left if ck else None, "level": d.level,
               "timeline": [{"date": a, "kind": b, "text": t} for a, b, t in d.timeline]}
    text = "\n".join([f"{c.case_no} {d.matter.name} {c.state}  法定办结日 {c.legal_due}  承诺办结日 {c.promised_due}"
                      + (f"  已用 {ck.used} 剩余 {ck.promised_left} 个工作日 {d.level or ''}" if ck else "")]
                     + [f"  {a} {b} {t}" for a, b, t in d.timeline])
    emit(out, fmt, text)


def alerts_cmd(as_of: str = typer.Option(None, "--as-of"), department: str = typer.Option(None, "--department"),
               fmt: str = FormatOpt) -> None:
    """预警清单（黄色、红色、逾期），绿色通道优先。"""
    from zhida.approvals.alerts import open_alerts

    with db_session() as s:
        rows = open_alerts(s, parse_date(as_of) or dt.date.today(), department, ("黄色", "红色", "逾期"))
    emit(rows, fmt, "\n".join(f"{r.level}\t{r.case_no}\t{r.matter}\t已用 {r.used}/{r.limit}\t承诺办结日 {r.due}"
                              for r in rows) or "没有预警办件")


def daily_cmd(as_of: str = typer.Option(None, "--as-of"), actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """每日运行：重算全部办理中办件的期限与预警，5日补正规则，容缺台账，预警短信入队。"""
    from zhida.approvals.sweeps import daily

    with db_session() as s:
        typer.echo(daily(s, actor_of(actor, role), parse_date(as_of) or dt.date.today()).summary())


def dashboard_cmd(year: int = typer.Option(..., "--year"), months: str = typer.Option("1-12", "--months"),
                  out: Path = typer.Option(None, "--out", help="导出 XLSX"), fmt: str = FormatOpt) -> None:
    """按事项、按月统计：办结件数、按时办结率、平均用时、提速比例、即办件占比，并生成公报句。"""
    from zhida.approvals.dashboard import bulletin, dashboard, to_xlsx

    try:
        lo, hi = (int(x) for x in months.split("-"))
        assert 1 <= lo <= hi <= 12
    except (ValueError, AssertionError):
        raise ValidationFailed(f"月份范围 {months!r} 不对：应为 1-12 这样的起止月份") from None
    with db_session() as s:
        d = dashboard(s, year, (lo, hi))
    if out:
        Path(out).write_bytes(to_xlsx(d))
    rows = [{"group": f.label, "cases": f.cases, "on_time_pct": f.on_time_pct, "avg_used": f.avg_used,
             "speedup_legal_pct": f.speedup_legal_pct, "instant_pct": f.instant_pct} for f in [*d.by_matter, d.total]]
    emit({"rows": rows, "bulletin": bulletin(d)}, fmt, "\n".join(
        [f"{r['group']}\t{r['cases']} 件\t按时 {r['on_time_pct']}%\t平均 {r['avg_used']} 个工作日" for r in rows]
        + [bulletin(d)]))


def register(app: typer.Typer) -> None:
    ap = typer.Typer(help="行政审批：时限计算、事项目录、办件、预警、统计", no_args_is_help=True)
    ap.command("deadline")(deadline_cmd)
    ap.command("seed")(seed_cmd)
    ap.command("matters")(matters_cmd)
    ap.command("case")(case_cmd)
    ap.command("alerts")(alerts_cmd)
    ap.command("daily")(daily_cmd)
    ap.command("dashboard")(dashboard_cmd)
    app.add_typer(ap, name="approvals")
