"""Load benchmark of the web application: `pcmd loadtest` (not a test; figures are printed).

Owns: the workload table (workload.py), the Locust file run as a subprocess (locustfile.py),
the parsing of Locust's CSV statistics (stats.py), the guards, the load-test accounts and the
application server's lifecycle (runner.py).
Entry point: `pcmd loadtest` (pcmd/demo/management/commands/loadtest.py).
Invariants: only loopback, only a demo or synthetic database with PCMD_DEMO on; Locust (and its
gevent monkey-patching) never runs inside the Django process; a run is bounded in time.
Not here: what the pages compute (their apps' selectors).
"""
