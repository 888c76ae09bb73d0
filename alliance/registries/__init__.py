"""The registries through which apps take part in shared pages and flows without
importing each other: audiences, personal data, references, panels, digest and
report sections, periodic jobs and demo data. Each app registers in its
``hooks.connect()``, called from its ``AppConfig.ready``."""
