"""Bench-only settings of ``bench/bench_pages.py`` (never loaded by the platform itself): zhifa's own settings,
the whole middleware stack included, with the bench URLconf ``bench_pages_urls`` (zhifa's URLs plus one minimal
view at ``/__bench/minimal/``)."""

from zhifa.settings import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
