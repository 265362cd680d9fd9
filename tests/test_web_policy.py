"""`govscan serve --policy FILE`: the privacy policy of the review, audit and mask endpoints,
the same override file as `govscan privacy audit --policy`.

Synthetic data only: the ID is GB 11643's example number, the phone number is fictitious.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from scanner.cli import app as cli_app
from scanner.privacy.policy import Policy
from scanner.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parent.parent
ID_OK = "11010519491231002X"
PHONE = "13812345678"
# an ID and a mobile with no name beside them: under the packaged policy both are violations
DRAFT = f"关于拟救助对象的公示\n申请人身份证号：{ID_OK}，联系电话：{PHONE}。\n"
# a policy under which a mobile is personal only inside a person's record, and an ID number
# keeps 4 + 2 characters when masked (packaged: 6 + 4)
POLICY = """
[policy]
always = ["CN_RESIDENT_ID", "CN_BANK_CARD", "CN_ADDRESS", "CN_PASSPORT"]
in_person_record = ["CN_LANDLINE", "EMAIL", "CN_MOBILE"]

[mask]
CN_RESIDENT_ID = { head = 4, tail = 2 }
"""
NO_MODEL = {"checks": {"wording.classifier": {"enabled": False}}}


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("policy") / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    return path


def _client(settings, policy: Policy | None) -> TestClient:
    from scanner.pipeline import Reviewer
    from scanner.settings import Settings

    reviewer = Reviewer(Settings.load(as_of=settings.as_of, overrides=NO_MODEL), policy=policy)
    return TestClient(create_app(WebConfig(settings=settings, fixed_as_of=True, policy=policy), reviewer))


def _codes(record: dict) -> list[str]:
    return sorted(f["code"] for f in record["findings"])


def test_policy_applies_to_the_review(settings, policy_file):
    with _client(settings, None) as packaged, _client(settings, Policy.load(policy_file)) as custom:
        before = packaged.post("/api/review", json={"text": DRAFT}).json()
        after = custom.post("/api/review", json={"text": DRAFT}).json()
    assert _codes(before) == ["pii.cn_mobile", "pii.cn_resident_id"]
    assert _codes(after) == ["pii.cn_resident_id"]  # a mobile alone is no longer a violation


def test_policy_applies_to_the_audit_as_in_the_cli(settings, policy_file, cli_runner, tmp_path, monkeypatch):
    with _client(settings, Policy.load(policy_file)) as c:
        r = c.post("/api/privacy/audit", files={"file": ("gongshi.txt", DRAFT.encode(), "text/plain")})
    assert r.status_code == 200, r.text
    (tmp_path / "gongshi.txt").write_bytes(DRAFT.encode())
    monkeypatch.chdir(tmp_path)
    cli = cli_runner.invoke(cli_app, ["privacy", "audit", "gongshi.txt", "--format", "json", "--policy", str(policy_file)],
                            catch_exceptions=False, terminal_width=120)
    [expected] = json.loads(cli.stdout)
    assert r.json() == expected
    violations = {i["entity"] for i in expected["items"] if i.get("violation")}
    assert "CN_RESIDENT_ID" in violations and "CN_MOBILE" not in violations


def test_policy_applies_to_the_mask(settings, policy_file):
    with _client(settings, Policy.load(policy_file)) as c:
        r = c.post("/api/privacy/mask", files={"file": ("draft.txt", DRAFT.encode(), "text/plain")})
    assert r.status_code == 200, r.text
    text = r.content.decode("utf-8")
    assert ID_OK not in text
    assert "1101************2X" in text  # the policy's [mask] rule, not the packaged 110105********002X
    assert PHONE in text  # not personal under this policy: left as it is


def test_reviewer_must_carry_the_configs_policy(settings, policy_file):
    from scanner.pipeline import Reviewer

    with pytest.raises(ValueError, match="privacy policy"):
        create_app(WebConfig(settings=settings, policy=Policy.load(policy_file)), Reviewer(settings))


@pytest.mark.parametrize("content, message", [
    (None, "policy file not found"),
    ("[policy]\nbogus = 1\n", "unknown policy setting 'policy.bogus'"),
    ("[policy\n", "not valid TOML"),
])
def test_serve_bad_policy_is_one_line(cli_runner, tmp_path, content, message):
    path = tmp_path / "p.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli_runner.invoke(cli_app, ["serve", "--policy", str(path)], terminal_width=200)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_policy_over_http(policy_file, tmp_path):
    """The real `govscan serve --policy` over HTTP: the review follows the file."""
    port = _free_port()
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from scanner.cli import main; main()", "serve", "--port", str(port),
         "--as-of", "2022-06-20", "--no-model", "--policy", str(policy_file)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, (tmp_path / "server.log").read_text(errors="replace")
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
            r = client.post("/api/review", json={"text": DRAFT})
        assert r.status_code == 200
        assert _codes(r.json()) == ["pii.cn_resident_id"]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def test_review_cli_takes_the_same_policy(cli_runner, policy_file, tmp_path):
    """`govscan review --policy FILE` gives what `govscan serve --policy FILE` gives."""
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    base = ["review", str(draft), "--format", "json", "--no-model", "--as-of", "2022-06-20"]
    before = json.loads(cli_runner.invoke(cli_app, base).stdout)
    res = cli_runner.invoke(cli_app, base + ["--policy", str(policy_file)])
    assert res.exit_code == 1, res.output  # the ID number is still a veto
    assert _codes(before) == ["pii.cn_mobile", "pii.cn_resident_id"]
    assert _codes(json.loads(res.stdout)) == ["pii.cn_resident_id"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy\n", encoding="utf-8")
    res = cli_runner.invoke(cli_app, base + ["--policy", str(bad)])
    assert res.exit_code == 2 and "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
