"""Plain records the matcher works on, built from table rows or generated for benchmarks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhida.jobs.vocab import split_list


@dataclass
class JobRecord:
    id: int
    title: str
    occupation_code: str | None
    township: str | None
    salary_min: int
    salary_max: int
    education: str = "不限"
    experience_years: int = 0
    description: str = ""
    valid_until: dt.date = dt.date.max
    uscc: str = ""
    unit_name: str = ""
    headcount: int = 1


@dataclass
class SeekerRecord:
    id: int
    desired_codes: list[str]
    desired: str = ""
    townships: list[str] = field(default_factory=list)  # acceptable; empty = the whole district
    home_township: str | None = None
    salary_expected: int = 0
    education: str = "不限"
    experience_years: int = 0
    skills: str = ""
    name: str = ""
    id_number: str = ""
    phone: str | None = None


def job_record(job, unit_name: str = "") -> JobRecord:
    """From a ``models.Job`` row."""
    return JobRecord(job.id, job.title, job.occupation_code, job.township, job.salary_min, job.salary_max,
                     job.education, job.experience_years, job.description or "", job.valid_until, job.uscc,
                     unit_name, job.headcount)


def seeker_record(s) -> SeekerRecord:
    """From a ``models.Seeker`` row."""
    return SeekerRecord(s.id, split_list(s.desired_codes), s.desired or "", split_list(s.townships),
                        s.home_township, s.salary_expected, s.education, s.experience_years, s.skills or "",
                        s.name, s.id_number, s.phone)
