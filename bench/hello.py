"""The bare Flask hello world that bench/pages.py compares the portal against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
