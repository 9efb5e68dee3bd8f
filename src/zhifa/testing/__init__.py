"""zhifa's own test kit, loaded by pytest as a plugin (``-p zhifa.testing.plugin`` in ``pyproject.toml``).

- ``plugin``: the suite's set-up (fast hashing, the set clock, the demo county built once per worker, the
  collection order, ``SKIP_SLOW``) and the fixtures several apps use: ``demo_county``, ``world`` (the case
  world), ``sup`` (the supervision world), ``evidence_dirs``, ``fixed_clock``, ``server``, ``launch_browser``.
- ``worlds``: the builders behind those fixtures (``CaseWorld``, ``SupWorld``, ``decide_simple``).
- ``browser``: Playwright with Debian's chromium against a live server sharing the test's connection, and the
  page helpers (``new_page``, ``log_in``, ``shot``).
- ``registries``: context managers that register into a registry for one block and put it back after
  (``flag_source``, ``feed_source``, ``menu_item``, ``case_hooks_cleared``), so tests never touch a
  registry's private attributes.

Importing this package does not import Django models: the plugin is loaded before Django is set up, so the
modules that need models import them inside their functions or are imported by the fixtures that use them.
"""
