"""The deployed portal's static files: hashed names from the manifest that
collectstatic writes, each address worked out once per process (issue 19: every
page asks for the same few files)."""

import json

import pytest

from alliance.core.staticfiles import StaticFilesStorage

HASHED = "css/portal.0123456789ab.css"


@pytest.fixture
def storage(tmp_path):
    # What collectstatic leaves beside the files: the manifest of hashed names.
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/portal.css": HASHED}, "version": "1.1", "hash": "x"})
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_file_is_addressed_by_its_hashed_name_as_the_manifest_says(storage):
    assert storage.url("css/portal.css") == f"/static/{HASHED}"
    storage.hashed_files.clear()  # the manifest is read once: the address is kept
    assert storage.url("css/portal.css") == f"/static/{HASHED}"


def test_a_file_the_manifest_lacks_is_an_error_each_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/nowhere.css")
