"""Issue 8, defect 14: the committed openapi.yaml passes the official NL API Design Rules
linter (Spectral with the Logius ruleset, vendored as ``linter/logius-adr.spectral.yml``), and
the schema documents what the API really does: the ``API-Version`` header on every response,
the major version in the server URL, a contact, problem+json for every error. (That the file
equals the generated schema is ``test_api.py::test_committed_openapi_yaml_is_up_to_date``.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "linter" / "logius-adr.spectral.yml"
METHODS = ("get", "put", "post", "patch", "delete")


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    assert SPECTRAL.exists(), "Spectral is missing: run `npm ci` (make install)"
    return subprocess.run(
        [str(SPECTRAL), "lint", "--fail-severity=error", "--ruleset", str(RULESET), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def committed() -> dict:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text())


def test_vendored_ruleset_names_its_source_and_licence():
    head = RULESET.read_text().splitlines()[:10]
    text = "\n".join(head)
    assert "github.com/Logius-standaarden/API-Design-Rules" in text
    assert "Commit:" in text and "CC BY 4.0" in text


def test_committed_schema_passes_the_logius_linter():
    result = lint(ROOT / "openapi.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_is_live(tmp_path):
    """The check above can fail: the schema without what defect 14 added is refused with the
    rules the issue names."""
    schema = committed()
    schema.pop("servers")
    schema["info"].pop("contact")
    for item in schema["paths"].values():
        for method in METHODS:
            for response in item.get(method, {}).get("responses", {}).values():
                response.pop("headers", None)
    broken = tmp_path / "openapi.yaml"
    broken.write_text(yaml.safe_dump(schema, sort_keys=False))
    result = lint(broken)
    assert result.returncode != 0
    for rule in ("oas3-api-servers", "info-contact", "nlgov:missing-header"):
        assert rule in result.stdout, result.stdout[-2000:]


def test_every_response_documents_the_api_version_header():
    schema = committed()
    header = schema["components"]["headers"]["API-Version"]
    assert header["schema"]["type"] == "string"
    for path, item in schema["paths"].items():
        for method in METHODS:
            for code, response in item.get(method, {}).get("responses", {}).items():
                assert response["headers"]["API-Version"] == {
                    "$ref": "#/components/headers/API-Version"
                }, (path, method, code)


@pytest.mark.parametrize("code", ["401", "403"])
def test_every_operation_documents_its_errors_as_problem_json(code):
    schema = committed()
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            responses = item[method]["responses"]
            assert code in responses, (path, method)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert set(response["content"]) == {"application/problem+json"}, (
                        path,
                        method,
                        status,
                    )


def test_server_url_carries_the_major_version_and_paths_are_relative():
    schema = committed()
    assert schema["servers"][0]["url"] == "/api/v1"
    assert all(not p.startswith("/api/") for p in schema["paths"])
    contact = schema["info"]["contact"]
    assert {"name", "email", "url"} <= set(contact)
