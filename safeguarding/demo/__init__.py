"""The demo, loaded from one place: ``load.STEPS`` is the order, each app keeps its own demo data (its
``demo.py``, or ``partnership/demo/`` for the partnerships themselves), and ``manage.py load_demo`` runs it.

This package is the one place allowed to know every app; no app imports it."""
