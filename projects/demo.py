"""Demo data of the catalog: entries across the focus areas in every state.

The entries are invented for the demo; their descriptions stay generic and do not
describe real products of the organizations that own them.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_list
from members.models import Affiliation, Organization, User
from projects.models import CatalogEntry, Contribution, EntryStatusChange, Review
from projects.services.entries import entry_search_refresh

E = CatalogEntry
V = E.Vetting
APPROVE = Review.Verdict.APPROVE


@dataclass
class DemoEntry:
    kind: str
    name: str
    focus: int
    summary: str
    maintainer: str
    group: str | None = None
    contributors: list[str] = field(default_factory=list)
    license: str = "Apache-2.0"
    modalities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    hardware: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str = V.NOT_SUBMITTED
    lifecycle: str = E.Lifecycle.ACTIVE
    reviews: list[tuple[str, str, str]] = field(default_factory=list)
    days_ago: int = 60


DESCRIPTION = """## What it is

{summary}

## How to use it

1. Read the documentation in the repository.
2. Run the examples on a small sample first.
3. Report problems through the issue tracker; security reports go to the
   contact named in the repository.

*Demo entry of the AI Alliance Portal.*
"""
FINDING = "Checked the license file, the documentation and the release history. {extra}"
ENTRIES = [
    DemoEntry(
        E.Kind.TOOL,
        "Guardrail Test Kit",
        1,
        "Runs a fixed suite of prompts against a model's guardrails and reports "
        "which ones hold.",
        "ada.brennan",
        group="trust-and-safety-evaluation",
        contributors=["felix.braun", "emily.carter"],
        modalities=["text"],
        languages=["en", "de", "fr"],
        hardware=["cpu", "gpu"],
        tags=["guardrails", "red teaming"],
        status=V.VETTED,
        reviews=[
            ("marco.bianchi", APPROVE, "Evaluation evidence is convincing."),
            ("lucas.martin", APPROVE, "Documentation is clear."),
        ],
        days_ago=70,
    ),
    DemoEntry(
        E.Kind.DATASET,
        "Red Team Prompt Collection",
        1,
        "Adversarial prompts in several languages, labelled by the harm they "
        "try to provoke.",
        "nora.svensson",
        group="trust-and-safety-evaluation",
        license="CC-BY-4.0",
        modalities=["text"],
        languages=["en", "es", "ar", "hi"],
        tags=["red teaming", "multilingual"],
        status=V.IN_REVIEW,
        reviews=[("marco.bianchi", APPROVE, "Labels are documented well.")],
        days_ago=12,
    ),
    DemoEntry(
        E.Kind.BENCHMARK,
        "Multilingual Safety Benchmark",
        1,
        "Measures refusal and harmful-completion rates of chat models across "
        "twelve languages.",
        "kenji.watanabe",
        group="trust-and-safety-evaluation",
        contributors=["yuki.tanaka"],
        license="MIT",
        modalities=["text"],
        languages=["en", "ja", "de", "sw", "hi", "ar"],
        tags=["safety", "multilingual", "evaluation"],
        status=V.VETTED,
        reviews=[
            ("samuel.green", APPROVE, "Scoring method is reproducible."),
            ("hannah.weber", APPROVE, "Language coverage as described."),
        ],
        days_ago=120,
    ),
    DemoEntry(
        E.Kind.TOOL,
        "Prompt Injection Scanner",
        1,
        "Scans application prompts and retrieved documents for injection "
        "attempts before they reach a model.",
        "emily.carter",
        license="Apache-2.0",
        modalities=["text", "code"],
        languages=["en"],
        hardware=["cpu"],
        tags=["security", "prompt injection"],
        status=V.REVIEW_DUE,
        reviews=[
            ("grace.liu", APPROVE, "Works as documented."),
            ("omar.haddad", APPROVE, "Security contact is given."),
        ],
        days_ago=400,
    ),
    DemoEntry(
        E.Kind.TOOL,
        "Toxicity Probe",
        1,
        "Scores model outputs for toxic language with a small classifier.",
        "chloe.dubois",
        license="BSD-3-Clause",
        modalities=["text"],
        languages=["en"],
        tags=["toxicity", "classifier"],
        status=V.CHANGES_REQUESTED,
        reviews=[
            (
                "samuel.green",
                Review.Verdict.REQUEST_CHANGES,
                "No evaluation evidence yet: please publish the classifier's "
                "precision and recall on a held-out set.",
            )
        ],
        days_ago=30,
    ),
    DemoEntry(
        E.Kind.PROJECT,
        "Evaluation Harness Adapters",
        1,
        "Shared adapters so that one evaluation harness can run every "
        "benchmark in the catalog.",
        "jonas.keller",
        group="trust-and-safety-evaluation",
        contributors=["felix.braun", "nora.svensson"],
        tags=["evaluation", "tooling"],
        days_ago=90,
    ),
    DemoEntry(
        E.Kind.MODEL,
        "Alpine 7B Multilingual",
        2,
        "An openly licensed 7-billion-parameter language model trained with a "
        "focus on European languages.",
        "lena.hoffmann",
        group="multilingual-models",
        contributors=["mia.schneider", "clara.neumann"],
        modalities=["text"],
        languages=["de", "fr", "it", "en", "pl", "sv"],
        hardware=["gpu", "accelerator"],
        tags=["llm", "multilingual"],
        status=V.VETTED,
        reviews=[
            ("ada.brennan", APPROVE, "Model card covers the training data."),
            ("omar.haddad", APPROVE, "Evaluation results are reproducible."),
        ],
        days_ago=40,
    ),
    DemoEntry(
        E.Kind.DATASET,
        "Nordic Speech Corpus",
        2,
        "Transcribed speech in the Nordic languages for training and "
        "evaluating speech recognition.",
        "sofia.lindqvist",
        group="open-datasets",
        license="CC-BY-SA-4.0",
        modalities=["audio", "text"],
        languages=["sv", "fi", "da", "nb", "is"],
        tags=["speech", "asr"],
        days_ago=20,
    ),
    DemoEntry(
        E.Kind.PROJECT,
        "Open Vision-Language Pretraining",
        2,
        "A proposed joint effort to pretrain an open vision-language model on "
        "documented data.",
        "omar.haddad",
        group="multilingual-models",
        contributors=["lucas.martin"],
        modalities=["image", "text", "multimodal"],
        lifecycle=E.Lifecycle.PROPOSED,
        tags=["vision", "pretraining"],
        days_ago=8,
    ),
    DemoEntry(
        E.Kind.TOOL,
        "Portable Kernel Library",
        3,
        "Attention and matrix kernels written once and compiled for several "
        "kinds of accelerators.",
        "grace.liu",
        group="accelerator-software",
        contributors=["ravi.patel", "tom.becker"],
        license="Apache-2.0 WITH LLVM-exception",
        modalities=["code"],
        hardware=["gpu", "accelerator", "cpu", "risc_v"],
        tags=["kernels", "compilers"],
        status=V.IN_REVIEW,
        days_ago=5,
    ),
    DemoEntry(
        E.Kind.PROJECT,
        "Accelerator Compatibility Matrix",
        3,
        "Which open models run on which accelerators, tested every month.",
        "ravi.patel",
        group="accelerator-software",
        contributors=["hannah.weber"],
        hardware=["gpu", "accelerator", "fpga", "edge"],
        tags=["compatibility", "testing"],
        days_ago=150,
    ),
    DemoEntry(
        E.Kind.PUBLICATION,
        "Evaluating Language Models: A Course Reader",
        4,
        "Lecture notes and exercises for a one-semester course on evaluating "
        "language models.",
        "priya.raman",
        group="curriculum-and-courses",
        license="CC-BY-4.0",
        languages=["en"],
        tags=["education", "evaluation"],
        days_ago=200,
    ),
    DemoEntry(
        E.Kind.PUBLICATION,
        "Open Models and Safety: A Briefing",
        5,
        "A short briefing for policymakers on how openness and safety work together.",
        "samuel.green",
        group="policy-briefings",
        license="CC-BY-4.0",
        languages=["en", "de", "fr"],
        tags=["policy"],
        days_ago=100,
    ),
    DemoEntry(
        E.Kind.PROJECT,
        "Open Hackathon Starter Kit",
        6,
        "Templates, datasets and judging guides for running an open AI hackathon.",
        "sofia.lindqvist",
        group="open-showcases",
        contributors=["chloe.dubois", "aisha.bello", "noah.fischer"],
        license="MIT",
        tags=["hackathon", "community"],
        days_ago=60,
    ),
    DemoEntry(
        E.Kind.DATASET,
        "Legacy Caption Set",
        2,
        "Image captions collected for an earlier project; kept for reference.",
        "lucas.martin",
        license="CC0-1.0",
        modalities=["image", "text"],
        languages=["en"],
        lifecycle=E.Lifecycle.ARCHIVED,
        tags=["captions"],
        days_ago=500,
    ),
]


def _people() -> dict[str, tuple[User, Organization | None]]:
    affiliations = Affiliation.objects.filter(
        user__email__endswith="@demo.alliance.example",
        status=Affiliation.Status.ACTIVE,
    ).select_related("user", "organization")
    return {a.user.email.split("@")[0]: (a.user, a.organization) for a in affiliations}


def _log(entry, field, old, new, actor, when, note=""):
    EntryStatusChange.objects.create(
        entry=entry,
        field=field,
        old_value=old,
        new_value=new,
        actor=actor,
        note=note,
        created_at=when,
    )


def _vetting_history(entry: CatalogEntry, demo: DemoEntry, people, created) -> None:
    if demo.status == V.NOT_SUBMITTED:
        return
    maintainer = people[demo.maintainer][0]
    submitted = created + datetime.timedelta(days=2)
    entry.vetting_round = 1
    entry.vetting_requested_at = submitted
    _log(entry, "vetting", V.NOT_SUBMITTED, V.IN_REVIEW, maintainer, submitted)
    owners = {o.pk for o in entry.owners.all()}
    for index, (reviewer_key, verdict, finding) in enumerate(demo.reviews):
        reviewer, organization = people[reviewer_key]
        Review.objects.create(
            entry=entry,
            reviewer=reviewer,
            reviewer_name=reviewer.public_name,
            organization=organization,
            round=1,
            verdict=verdict,
            findings=FINDING.format(extra=finding),
            license_clear=True,
            documentation_adequate=True,
            maintained_recently=True,
            security_contact_given=verdict == APPROVE,
            evaluation_evidence_given=verdict == APPROVE,
            counts=verdict == APPROVE and organization.pk not in owners,
            created_at=submitted + datetime.timedelta(days=3 + index * 2),
        )
    decided = submitted + datetime.timedelta(days=3 + len(demo.reviews) * 2)
    if demo.status in (V.VETTED, V.REVIEW_DUE):
        last_reviewer = people[demo.reviews[-1][0]][0]
        entry.vetted_at = decided
        entry.vetting_expires_at = decided + settings.CATALOG_VETTING_VALID_FOR
        entry.vetted_substance = entry.substance()
        _log(entry, "vetting", V.IN_REVIEW, V.VETTED, last_reviewer, decided)
    if demo.status == V.REVIEW_DUE:
        entry.vetting_round = 2
        entry.vetting_requested_at = entry.vetting_expires_at
        _log(
            entry,
            "vetting",
            V.VETTED,
            V.REVIEW_DUE,
            None,
            entry.vetting_expires_at,
            "The vetting expired; the entry needs a new review.",
        )
    if demo.status == V.CHANGES_REQUESTED:
        reviewer = people[demo.reviews[-1][0]][0]
        _log(entry, "vetting", V.IN_REVIEW, V.CHANGES_REQUESTED, reviewer, decided)
    entry.vetting_status = demo.status
    entry.save()


def seed_entry(demo: DemoEntry, people, areas, groups) -> None:
    slug = slugify(demo.name)
    if CatalogEntry.objects.filter(slug=slug).exists():
        return
    maintainer, maintainer_org = people[demo.maintainer]
    created = timezone.now() - datetime.timedelta(days=demo.days_ago)
    entry = CatalogEntry.objects.create(
        kind=demo.kind,
        name=demo.name,
        slug=slug,
        summary=demo.summary,
        description=DESCRIPTION.format(summary=demo.summary),
        focus_area=areas[demo.focus],
        working_group=groups.get(demo.group),
        repository_url=f"https://code.alliance.example/demo/{slug}",
        homepage=f"https://{slug}.alliance.example/" if demo.focus < 4 else "",
        card_url=(
            f"https://code.alliance.example/demo/{slug}/card"
            if demo.kind in (E.Kind.MODEL, E.Kind.DATASET)
            else ""
        ),
        license=demo.license,
        modalities=demo.modalities,
        languages=demo.languages,
        hardware=demo.hardware,
        tags=demo.tags,
        lifecycle=demo.lifecycle,
        created_by=maintainer,
        created_at=created,
    )
    entry.owners.set([maintainer_org] if maintainer_org else [])
    Contribution.objects.create(
        entry=entry,
        user=maintainer,
        organization=maintainer_org,
        role=Contribution.Role.MAINTAINER,
        joined_at=created,
    )
    for key in demo.contributors:
        user, organization = people[key]
        Contribution.objects.create(
            entry=entry, user=user, organization=organization, joined_at=created
        )
    first = E.Lifecycle.PROPOSED if demo.kind == E.Kind.PROJECT else demo.lifecycle
    _log(entry, "lifecycle", "", first, maintainer, created, "Added to the catalog.")
    if first != demo.lifecycle:
        _log(entry, "lifecycle", first, demo.lifecycle, maintainer, created)
    _vetting_history(entry, demo, people, created)


SYNTHETIC_STATUSES = [V.VETTED, V.NOT_SUBMITTED, V.IN_REVIEW, V.VETTED, V.REVIEW_DUE]


def _synthetic_entry(i: int, areas: list[FocusArea], now) -> CatalogEntry:
    kind = E.Kind.values[i % len(E.Kind.values)]
    status = V.NOT_SUBMITTED
    if kind in E.VETTABLE_KINDS:
        status = SYNTHETIC_STATUSES[i % len(SYNTHETIC_STATUSES)]
    vetted = status == V.VETTED
    entry = CatalogEntry(
        kind=kind,
        name=f"Synthetic Catalog Entry {i:05d}",
        slug=f"synthetic-catalog-entry-{i:05d}",
        summary="A generated catalog entry for load tests.",
        description="Generated for load tests.",
        focus_area=areas[i % len(areas)],
        license=["Apache-2.0", "MIT", "CC-BY-4.0"][i % 3],
        modalities=[E.Modality.values[i % len(E.Modality.values)]],
        languages=[["en"], ["de"], ["en", "fr"]][i % 3],
        hardware=[E.Hardware.values[i % len(E.Hardware.values)]],
        tags=["synthetic"],
        vetting_status=status,
        vetting_round=0 if status == V.NOT_SUBMITTED else 1,
        vetted_at=now if vetted else None,
        vetting_expires_at=now + settings.CATALOG_VETTING_VALID_FOR if vetted else None,
    )
    if vetted:
        entry.vetted_substance = entry.substance()
    return entry


def seed_scale(scale: int, areas: list[FocusArea]) -> None:
    """Add one synthetic entry per ten synthetic people, in every state."""
    now = timezone.now()
    CatalogEntry.objects.bulk_create(
        [_synthetic_entry(i, areas, now) for i in range(max(1, scale // 10))],
        ignore_conflicts=True,
        batch_size=1000,
    )
    entry_search_refresh(
        entry_ids=CatalogEntry.objects.filter(
            slug__startswith="synthetic-catalog-entry-", search_vector__isnull=True
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create demo catalog entries with their teams, reviews and history."""
    people = _people()
    areas = {area.number: area for area in FocusArea.objects.all()}
    groups = {
        group.slug: group
        for group in working_group_list(with_counts=False, include_archived=True)
    }
    created = []
    for demo in ENTRIES:
        keys = [demo.maintainer, *demo.contributors, *(r[0] for r in demo.reviews)]
        if all(key in people for key in keys):
            seed_entry(demo, people, areas, groups)
            created.append(slugify(demo.name))
    entry_search_refresh(
        entry_ids=CatalogEntry.objects.filter(slug__in=created).values_list(
            "pk", flat=True
        )
    )
    if scale:
        seed_scale(scale, [areas[n] for n in sorted(areas)])
