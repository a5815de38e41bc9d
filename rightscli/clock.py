"""What day it is for a buyer in mainland China: the day deadlines and letters are dated by, wherever the machine is."""

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time


def today_in_china() -> date:
    return datetime.now(CHINA).date()
