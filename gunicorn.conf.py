"""gunicorn's settings for Ashar, read from this folder when gunicorn starts here (`gunicorn wsgi:app`).

Threaded workers keep a tablet's connection open between its requests: a kiosk sends every ballot,
and a new connection per request costs the server more than the ballot itself. Two workers of four
threads carried the voting benchmark (benchmarks/voting_load.py) with the least CPU per ballot on two
cores; give more workers (--workers N or WEB_CONCURRENCY) where there are more cores.
"""
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5  # seconds an idle connection is kept: longer than a kiosk's pause between two voters' ballots
