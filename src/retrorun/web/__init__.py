"""The web shell: server-rendered pages with htmx, their JSON twins under /api/v1.

`retrorun.web.app.create_app(settings, services)` builds the app; nothing is built on
import. Handlers parse, call one use case and render a view model (`views.py`) that the
HTML page and its JSON twin share; `errors.py` is the one exception → response mapping.
"""
