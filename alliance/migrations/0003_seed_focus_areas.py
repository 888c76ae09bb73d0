"""The six focus areas of the founding announcement, in English and German."""

from django.db import migrations

FOCUS_AREAS = [
    {
        "number": 1,
        "slug": "benchmarks-evaluation",
        "name_en": "Benchmarks and evaluation",
        "name_de": "Benchmarks und Evaluierung",
        "summary_en": (
            "Tools and resources for developing and using AI responsibly worldwide, "
            "including a catalog of vetted safety, trust and security tools."
        ),
        "summary_de": (
            "Werkzeuge und Ressourcen für die verantwortungsvolle Entwicklung und "
            "Nutzung von KI weltweit, einschließlich eines Katalogs geprüfter "
            "Sicherheits-, Vertrauens- und Sicherheitstools."
        ),
        "description_en": (
            "Members define benchmarks that show whether models work safely, build "
            "evaluation tooling together and vet trust-and-safety tools, models, "
            "datasets and benchmarks for the alliance's catalog."
        ),
        "description_de": (
            "Die Mitglieder definieren Benchmarks, die zeigen, ob Modelle sicher "
            "arbeiten, entwickeln gemeinsam Evaluierungswerkzeuge und prüfen Werkzeuge, "
            "Modelle, Datensätze und Benchmarks für den Katalog der Allianz."
        ),
    },
    {
        "number": 2,
        "slug": "open-foundation-models",
        "name_en": "Open foundation models",
        "name_de": "Offene Grundmodelle",
        "summary_en": (
            "A diverse ecosystem of open foundation models, including multilingual "
            "and multimodal models that address challenges such as climate and "
            "education."
        ),
        "summary_de": (
            "Ein vielfältiges Ökosystem offener Grundmodelle, einschließlich "
            "mehrsprachiger und multimodaler Systeme für gesellschaftliche "
            "Herausforderungen wie Klimawandel und Bildung."
        ),
        "description_en": (
            "Working groups here share open models, datasets and training recipes, "
            "and make models work well beyond English."
        ),
        "description_de": (
            "Die Arbeitsgruppen teilen offene Modelle, Datensätze und "
            "Trainingsrezepte und sorgen dafür, dass Modelle auch jenseits des "
            "Englischen gut funktionieren."
        ),
    },
    {
        "number": 3,
        "slug": "hardware-acceleration",
        "name_en": "Hardware acceleration",
        "name_de": "Hardware-Beschleunigung",
        "summary_en": (
            "A stronger AI hardware ecosystem through more contribution to, and "
            "adoption of, the software that supports AI hardware."
        ),
        "summary_de": (
            "Ein stärkeres KI-Hardware-Ökosystem durch verstärkten Beitrag und "
            "Verbreitung unterstützender Softwaretechnologie."
        ),
        "description_en": (
            "Compilers, kernels, runtimes and drivers: the open software that lets "
            "models run well on many kinds of accelerators."
        ),
        "description_de": (
            "Compiler, Kernel, Laufzeitumgebungen und Treiber: offene Software, mit "
            "der Modelle auf vielen Arten von Beschleunigern gut laufen."
        ),
    },
    {
        "number": 4,
        "slug": "skills-building",
        "name_en": "Skills building",
        "name_de": "Kompetenzaufbau",
        "summary_en": (
            "Engaging the academic community to support research and to build the "
            "skills of students and professionals in AI model and tool development."
        ),
        "summary_de": (
            "Einbindung der akademischen Gemeinschaft zur Unterstützung der Forschung "
            "und Förderung von Fähigkeiten bei Studierenden und Fachleuten in der "
            "KI-Modell- und Werkzeugentwicklung."
        ),
        "description_en": (
            "Courses, research collaborations and mentoring between universities, "
            "labs and companies."
        ),
        "description_de": (
            "Kurse, Forschungskooperationen und Mentoring zwischen Universitäten, "
            "Forschungseinrichtungen und Unternehmen."
        ),
    },
    {
        "number": 5,
        "slug": "public-education",
        "name_en": "Public education",
        "name_de": "Öffentliche Aufklärung",
        "summary_en": (
            "Resources that inform public discourse and help policymakers understand "
            "the benefits and risks of AI and the need for thoughtful regulation."
        ),
        "summary_de": (
            "Ressourcen, die den öffentlichen Diskurs informieren und politische "
            "Entscheidungsträger beim Verständnis von Vorteilen, Risiken und dem "
            "Bedarf an durchdachter Regulierung von KI unterstützen."
        ),
        "description_en": (
            "Explainers, briefings and talks for the public and for policymakers."
        ),
        "description_de": (
            "Erklärtexte, Briefings und Vorträge für die Öffentlichkeit und für "
            "politische Entscheidungsträger."
        ),
    },
    {
        "number": 6,
        "slug": "open-development",
        "name_en": "Open development",
        "name_de": "Offene Entwicklung",
        "summary_en": (
            "Initiatives that foster responsible open AI development, and events "
            "that showcase members' innovative uses of open technology."
        ),
        "summary_de": (
            "Initiativen für eine verantwortungsvolle offene KI-Entwicklung und "
            "Veranstaltungen, die innovative Anwendungen offener Technologien durch "
            "die Allianzmitglieder präsentieren."
        ),
        "description_en": (
            "Hackathons, showcases and shared projects built in the open."
        ),
        "description_de": (
            "Hackathons, Showcases und gemeinsame Projekte, offen entwickelt."
        ),
    },
]


def seed(apps, schema_editor):
    FocusArea = apps.get_model("alliance", "FocusArea")
    for area in FOCUS_AREAS:
        values = {k: v for k, v in area.items() if k != "slug"}
        values.update(
            name=area["name_en"],
            summary=area["summary_en"],
            description=area["description_en"],
        )
        FocusArea.objects.update_or_create(slug=area["slug"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("alliance", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
