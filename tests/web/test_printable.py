"""The printed plan's templates on the web: the session card, the safety page, /plan/print."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jinja2 import Environment, meta
from markupsafe import escape

from retrorun.formats.plan_view import long_date
from retrorun.formats.templating import PLAN_DOCUMENT, print_stylesheet, template_loader
from tests.web._client import TestClient
from tests.web.helpers import (
    accept_invitations,
    api_headers,
    make_client,
    post_form,
    profile,
    sign_up,
    wizard_form,
)

CARD = "plan/card.html"


def _with_plan(client: TestClient, email: str = "ann@example.com") -> dict[str, Any]:
    sign_up(client, email)
    response = client.put("/api/v1/plan", json=profile(), headers=api_headers(client))
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()["document"]
    return document


def _imports(env: Environment, name: str) -> set[str]:
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    return set(meta.find_referenced_templates(env.parse(source)))


def _file(env: Environment, name: str) -> str | None:
    assert env.loader is not None
    return env.loader.get_source(env, name)[1]


def _steps(html: str, heading: str) -> str:
    """The step list of the card titled `heading`, whitespace between tags dropped."""
    card = html.split(heading, 1)[1].split("</article>", 1)[0]
    start, depth = card.index('<ol class="steps">'), 0
    for tag in re.finditer(r"</?ol\b[^>]*>", card[start:]):
        depth += -1 if tag.group(0) == "</ol>" else 1
        if depth == 0:
            return re.sub(r">\s+<", "><", card[start:start + tag.end()])
    raise AssertionError(card)


def test_the_session_page_and_the_pdf_render_the_same_card_template(app: Any) -> None:
    web, printed = app.state.templates.env, Environment(loader=template_loader(), autoescape=True)
    assert CARD in _imports(web, "session.html")
    assert CARD in _imports(printed, PLAN_DOCUMENT)
    assert _file(web, CARD) == _file(printed, CARD)  # one file on disk, not a copy


def test_a_session_reads_the_same_on_its_page_and_in_the_printed_plan(
        client: TestClient) -> None:
    document = _with_plan(client)
    session = next(s for s in document["weeks"][0]["sessions"] if s["backward_seconds"])
    page = client.get(f"/plan/sessions/{session['id']}").text
    printed = client.get("/plan/print").text
    date = long_date(dt.date.fromisoformat(session["date"]))
    on_page, on_paper = f"<h1>{session['title']}</h1>", f"<h3>{date} · {session['title']} · "
    assert _steps(page, on_page) == _steps(printed, on_paper)
    assert 'href="/plan/safety"' in page  # a backward session points to the safety page
    for citation in session["evidence"]:  # on screen the card lists its sources in full
        assert escape(citation) in page


def test_the_printable_plan_is_the_pdfs_document_with_the_print_stylesheet(
        client: TestClient) -> None:
    document = _with_plan(client)
    response = client.get("/plan/print")
    assert response.status_code == 200
    html = response.text
    assert '<link rel="stylesheet" href="/print.css">' in html
    assert 'href="/plan/export/pdf"' in html
    for part in ("Your inputs", "Safety first", "Week grid", "Core routine", "Log sheet"):
        assert part in html
    for week in document["weeks"]:
        for session in week["sessions"]:
            if session["kind"] != "rest":
                assert f" · {session['title']} · " in html, session["id"]
    css = client.get("/print.css")
    assert css.headers["content-type"].startswith("text/css")
    assert css.text == print_stylesheet()
    assert 'href="/plan/print"' in client.get("/plan").text


def test_the_free_preview_prints_without_an_account(client: TestClient) -> None:
    assert client.get("/plan/preview/print").status_code == 404
    assert client.get("/plan/preview/safety").status_code == 404
    post_form(client, "/plan/new", wizard_form(), page="/plan/new")
    html = client.get("/plan/preview/print").text
    assert "Safety first" in html
    assert 'href="/plan/preview/export/pdf"' in html
    preview = client.get("/plan/preview").text
    assert 'href="/plan/preview/print"' in preview
    assert 'href="/plan/preview/safety"' in preview
    assert "alternating shoulders" in client.get("/plan/preview/safety").text


def test_the_safety_page_shows_the_printed_safety_rules(client: TestClient) -> None:
    _with_plan(client)
    assert 'href="/plan/safety"' in client.get("/plan").text
    html = client.get("/plan/safety").text
    for phrase in ("Your safety screen", "Never on roads", "alternating shoulders",
                   "safety key", "When to stop", "2–3 km/h"):
        assert phrase in html


def test_nobody_else_sees_the_printable_plan(client: TestClient, app: Any) -> None:
    _with_plan(client)
    athlete_id = client.get("/api/v1/plan").json()["athlete_id"]
    stranger = make_client(app)
    assert stranger.get("/plan/print").status_code in (303, 401)  # nobody signed in
    sign_up(stranger, "eve@example.com")
    for url in ("/plan/print", "/plan/safety", f"/athletes/{athlete_id}/print",
                f"/athletes/{athlete_id}/safety"):
        assert stranger.get(url).status_code == 404, url


def test_an_invited_coach_sees_the_athletes_printable_plan(client: TestClient,
                                                           app: Any) -> None:
    document = _with_plan(client)
    client.post("/api/v1/coaches", json={"coach_email": "coach@example.com"},
                headers=api_headers(client))
    athlete_id = client.get("/api/v1/plan").json()["athlete_id"]
    coach = make_client(app)
    sign_up(coach, "coach@example.com")
    accept_invitations(coach)
    assert f'href="/athletes/{athlete_id}/print"' in coach.get(f"/athletes/{athlete_id}").text
    html = coach.get(f"/athletes/{athlete_id}/print").text
    assert f'href="/athletes/{athlete_id}/export/pdf"' in html
    assert coach.get(f"/athletes/{athlete_id}/safety").status_code == 200
    session = next(s for s in document["weeks"][0]["sessions"] if s["backward_seconds"])
    page = coach.get(f"/athletes/{athlete_id}/sessions/{session['id']}").text
    assert '<article class="card backward">' in page  # the coach sees the same card
    assert f'href="/athletes/{athlete_id}/safety"' in page


def test_a_core_session_page_explains_each_exercise(client: TestClient) -> None:
    document = _with_plan(client)
    core = next(s for w in document["weeks"] for s in w["sessions"] if s["kind"] == "core")
    html = client.get(f"/plan/sessions/{core['id']}").text
    assert "How to do each exercise" in html
    assert '<table class="core">' in html
