"""When a medical review falls due: twelve months after the last one, unless the reviewer says sooner."""

import datetime


def twelve_months_after(date):
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date + datetime.timedelta(days=365)
