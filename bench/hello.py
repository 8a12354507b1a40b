"""The baseline: the smallest Flask app, served exactly like Flasky is.

Each page's requests per second are reported as a ratio to this app's, measured
in the same run, so figures from a busy or a quiet machine stay comparable.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
