"""The yardstick: a bare Flask app that answers "Hello, World!", served like the real one."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
