import pytest

from alliance.focus_areas.models import FocusArea
from projects.services.entries import entry_create
from projects.services.vetting import entry_submit_for_vetting, review_create
from tests.members.factories import OrganizationFactory
from tests.projects.factories import member_of


@pytest.fixture
def owner_org(db):
    return OrganizationFactory(name="Owner Labs")


@pytest.fixture
def maintainer(owner_org):
    return member_of(owner_org, name="Mara Maintainer")


@pytest.fixture
def focus_area(db):
    return FocusArea.objects.get(number=1)


@pytest.fixture
def tool(maintainer, owner_org, focus_area):
    """A tool added through the service by its maintainer, owned by their org."""
    return entry_create(
        author=maintainer,
        kind="tool",
        name="Safety Scanner",
        summary="Scans prompts for attacks.",
        description="Scans prompts.",
        focus_area=focus_area,
        owners=[owner_org],
        license="MIT",
        languages=["en"],
        modalities=["text"],
    )


@pytest.fixture
def submitted_tool(tool, maintainer):
    return entry_submit_for_vetting(entry=tool, actor=maintainer)


@pytest.fixture
def reviewer_factory(db):
    """Make reviewers, each of a new organization unless one is given."""

    def make(organization=None, **kwargs):
        organization = organization or OrganizationFactory()
        return member_of(organization, **kwargs), organization

    return make


def approve(entry, reviewer, organization, **kwargs):
    """Post an approving review with the whole checklist ticked."""
    checklist = {
        "license_clear": True,
        "documentation_adequate": True,
        "maintained_recently": True,
        "security_contact_given": True,
        "evaluation_evidence_given": True,
    }
    return review_create(
        entry=entry,
        reviewer=reviewer,
        organization=organization,
        verdict="approve",
        findings="Looks good.",
        **{**checklist, **kwargs},
    )
