"""The app as gunicorn serves it for bench/load.py: `bench.serve:app`. BENCH_STATIC names a static
folder (a copy of static/ plus the lesson page's HTML) served by the app's own static view."""
import os

from webapp import create_app

app = create_app()
if os.environ.get("BENCH_STATIC"):
    app.static_folder = os.environ["BENCH_STATIC"]
    app.extensions["static_files"].folder = app.static_folder
