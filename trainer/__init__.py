"""RxTrainer: training and certification for pharmacy technicians.

This module stays light on purpose: `import trainer.calc` (or any pure package) must
not pull in Flask, so the web stack is imported inside create_app only.
"""

from __future__ import annotations


def create_app(config: dict | None = None):
    """Build the Flask app: settings from the environment, then `config` on top."""
    from trainer.factory import build_app

    return build_app(config)
