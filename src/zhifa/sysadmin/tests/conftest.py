"""A province with two counties, an agency in each, an administrator for each county and one for the
province, and an officer account in each county."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from zhifa.org.models import Agency, Region, RegionLevel, Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant


@dataclass
class Two:
    province: Region
    county_a: Region
    county_b: Region
    agency_a: Agency
    agency_b: Agency
    admin_a: User
    admin_b: User
    province_admin: User
    user_a: User
    user_b: User


def lock(username: str, failures: int = 5) -> None:
    """The counters django-axes keeps after ``failures`` wrong passwords (as the login page leaves them)."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.8",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


@pytest.fixture
def two(db: None) -> Two:
    province = Region.objects.create(code="870000", name="测试省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="870100", name="测试市", level=RegionLevel.CITY, parent=province)
    county_a = Region.objects.create(code="870102", name="甲县", level=RegionLevel.COUNTY, parent=city)
    county_b = Region.objects.create(code="870103", name="乙县", level=RegionLevel.COUNTY, parent=city)
    agency_a = AgencyFactory(name="甲县市场监督管理局", region=county_a)
    agency_b = AgencyFactory(name="乙县市场监督管理局", region=county_b)
    admin_a = UserFactory(username="admin_a", full_name="甲县管理员")
    admin_b = UserFactory(username="admin_b", full_name="乙县管理员")
    province_admin = UserFactory(username="admin_p", full_name="省管理员")
    grant(admin_a, Role.ADMIN, region=county_a)
    grant(admin_b, Role.ADMIN, region=county_b)
    grant(province_admin, Role.ADMIN, region=province)
    user_a = UserFactory(username="officer_a", full_name="甲县执法员")
    user_b = UserFactory(username="officer_b", full_name="乙县执法员")
    grant(user_a, Role.OFFICER, agency=agency_a)
    grant(user_b, Role.OFFICER, agency=agency_b)
    return Two(
        province, county_a, county_b, agency_a, agency_b, admin_a, admin_b, province_admin, user_a, user_b
    )
