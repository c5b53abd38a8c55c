"""The yardstick for bench/throughput.py: the barest Flask page, under the same server."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "<!doctype html><title>bare</title><p>Hello</p>"
