"""Dashboards: a unit's targets, trends, children and alerts for a period, on the home page.

Owns: selectors.py (the numbers), charts.py and maps.py (server-drawn SVG), alerts.py (the
registry of alert providers), forms.py (the picker), views.py and urls.py (the pages).
Invariants: values come from the indicators app (evaluation and the stored values), never typed
or recomputed here; no chart script is sent to the browser.
Not here: periodic reports and their documents (the rest of pcmd.reports).
"""
