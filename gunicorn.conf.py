"""gunicorn's settings for production, behind nginx (deploy/nginx.conf). Run: `gunicorn -c gunicorn.conf.py
secamb_journey.wsgi:application`; WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_BIND and FORWARDED_ALLOW_IPS
override (two app servers behind one nginx: each binds its private address and believes nginx's).

Worker class: gthread. nginx hands gunicorn whole requests and takes whole responses, so a worker's
time is the app's own; threads then let one process serve several at once while another waits on the
database, Redis or a file (the pages are I/O-bound, and Django is thread-safe per request). Sync workers
serve one request per process, and faced directly with the network, four slow sockets held all three
(issue 18). Async workers (gevent) would need every library to be patched for little gain here.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # for nginx only: never open to the network
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))  # about one per core, plus one
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request the app takes more than 30 s over is a fault (the slowest page takes well under a second at
# 10,000 actions): the worker is restarted rather than held; nginx waits 35 s, so this acts first.
timeout = 30
graceful_timeout = 30
# nginx keeps upstream connections open between requests (keepalive 16): longer than its pauses.
keepalive = 20
# Requests are bounded before they reach Django too (nginx refuses larger first).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# X-Forwarded-Proto is believed from nginx only: on the same machine, or (two app servers) nginx's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app is imported once, in the master, and each worker is forked from it: a worker starts in
# milliseconds (no imports, no Django set-up), so the restarts below cost a fork and the first render of
# each page in that process, not seconds of start-up. Nothing opens a connection at import: the database,
# Redis and the generation memo are all opened or read lazily, in each worker after the fork.
preload_app = True
# Restart each worker now and then, so a slow leak cannot grow without bound: every 20,000 requests or so
# (jitter keeps the workers from restarting together). On a news-day burst of 2,000 requests a second
# that is one cheap restart per worker every 20 s or so; on an ordinary day, hours apart. (2,000, the old
# setting, restarted a worker every second under such a burst, each time paying Django's start-up.)
max_requests = 20000
max_requests_jitter = 2000
accesslog = None
errorlog = "-"
