"""The landing page's honest claims, the static files and the JSON twins of pages."""

from __future__ import annotations

import hashlib
import re
from importlib import resources

from retrorun.domain.evidence import CLAIMS, FORBIDDEN_CLAIMS, SOURCES, STRENGTH_LEGEND
from tests.web._client import TestClient
from tests.web.helpers import csrf, profile, sign_up, wizard_form

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_the_landing_page_shows_each_claim_with_its_sources_and_strength(
        client: TestClient) -> None:
    html = client.get("/").text
    for claim in CLAIMS.values():
        assert f'id="claim-{claim.id}"' in html
        for source_id in claim.sources:
            citation = SOURCES[source_id].citation
            assert citation.replace("'", "&#39;").replace("&", "&amp;")[:40] in html
    brain = html.split('id="claim-brain"', 1)[1].split("</li>", 1)[0]
    assert "Unproven" in brain
    assert "Get your free plan" in html


def test_the_landing_legend_says_the_registry_rule(client: TestClient) -> None:
    html = client.get("/").text
    legend = html.split('id="strength-legend"', 1)[1].split("</p>", 1)[0]
    for strength, meaning in STRENGTH_LEGEND:
        assert f"<em>{strength}</em> ({meaning})" in legend, strength
    assert "several consistent studies)" not in html  # the old, looser definition of high
    body = client.get("/api/v1/claims").json()
    assert body["legend"] == [{"strength": s, "meaning": m} for s, m in STRENGTH_LEGEND]
    shown = {c["id"]: c["strength"] for c in body["does"]}
    assert shown == {c.id: c.strength.value for c in CLAIMS.values() if c.shown}


def test_the_claims_twin_lists_the_brain_claim_as_unproven(client: TestClient) -> None:
    body = client.get("/api/v1/claims").json()
    assert "brain" in [c["id"] for c in body["unproven"]]
    assert "brain" not in [c["id"] for c in body["does"]]


def test_no_page_makes_a_claim_we_must_not_make(client: TestClient) -> None:
    client.post("/plan/new", data={"csrf_token": csrf(client, "/plan/new"),
                                   **wizard_form()})
    pages = ["/", "/plan/new", "/plan/preview", "/signin", "/signup",
             "/api/v1/claims"]
    preview = client.get("/plan/preview").text
    pages += re.findall(r'href="(/plan/preview/sessions/[^"]+)"', preview)[:10]
    for page in pages:
        text = client.get(page).text.lower()
        for phrase in FORBIDDEN_CLAIMS:
            assert phrase not in text, (page, phrase)


def test_htmx_is_vendored_at_one_exact_version_with_its_license(client: TestClient) -> None:
    static = resources.files("retrorun.web") / "static"
    data = (static / "htmx-2.0.11.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert "Zero-Clause BSD" in (static / "htmx-2.0.11.LICENSE").read_text()
    assert "/static/htmx-2.0.11.min.js" in client.get("/").text
    assert client.get("/static/htmx-2.0.11.min.js").status_code == 200


def test_health_is_trivial(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_each_data_page_names_its_json_twin(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    client.put("/api/v1/plan", json=profile(), headers={"X-CSRF-Token": csrf(client)})
    plan = client.get("/plan").text
    assert '<link rel="alternate" type="application/json" href="/api/v1/plan">' in plan
    twin = client.get("/api/v1/plan").json()
    session_id = twin["calendar"]["weeks"][0]["days"][1]["sessions"][0]["id"]
    page = client.get(f"/plan/sessions/{session_id}").text
    assert f'href="/api/v1/plan/sessions/{session_id}"' in page
    session = client.get(f"/api/v1/plan/sessions/{session_id}").json()["session"]
    assert session["title"] in page
    assert twin["document"]["schema"] == "retrorun.plan/1"


def test_the_calendar_marks_today_and_each_weeks_stage(client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    client.put("/api/v1/plan", json=profile(start_date="2026-11-02"),
               headers={"X-CSRF-Token": csrf(client)})
    twin = client.get("/api/v1/plan").json()["calendar"]
    html = client.get("/plan").text
    for week in twin["weeks"]:
        assert f"Week {week['index']} <span class=\"stage\">Stage: backward {week['stage']}" in html
    today = [d for w in twin["weeks"] for d in w["days"] if d["today"]]
    assert len(today) <= 1
    assert ('aria-current="date"' in html) == bool(today)


def test_the_preview_pages_have_json_twins(client: TestClient) -> None:
    assert client.get("/api/v1/plans/preview").status_code == 404
    client.post("/plan/new", data={"csrf_token": csrf(client, "/plan/new"), **wizard_form()})
    html = client.get("/plan/preview").text
    assert 'href="/api/v1/plans/preview"' in html
    twin = client.get("/api/v1/plans/preview").json()
    assert twin["document"]["schema"] == "retrorun.plan/1"
    session_id = twin["calendar"]["weeks"][0]["days"][1]["sessions"][0]["id"]
    session = client.get(f"/api/v1/plans/preview/sessions/{session_id}").json()
    assert session["title"] in client.get(f"/plan/preview/sessions/{session_id}").text


def test_signed_in_the_preview_is_kept_by_its_button_and_the_menu_leads_to_the_plan(
        client: TestClient) -> None:
    sign_up(client, "ann@example.com")
    client.post("/plan/new", data={"csrf_token": csrf(client, "/plan/new"), **wizard_form()})
    preview = client.get("/plan/preview").text
    keep = re.search(r'<form method="post" action="([^"]+)">[^\n]*Keep this plan', preview)
    assert keep
    kept = client.post(keep.group(1), data={"csrf_token": csrf(client, "/plan/preview")})
    assert (kept.status_code, kept.headers["location"]) == (303, "/plan")
    menu = re.search(r'<a href="([^"]+)">My plan</a>', client.get("/plan").text)
    assert menu
    assert client.get(menu.group(1)).status_code == 200
