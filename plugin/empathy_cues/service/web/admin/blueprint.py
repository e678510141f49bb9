"""The admin blueprint every page's routes hang on, and the policy file the pages read."""
from __future__ import annotations

from flask import Blueprint, current_app

from . import PREFIX

bp = Blueprint("admin", __name__, url_prefix=PREFIX, template_folder="templates", static_folder="static",
               static_url_path="/static")


def plugin_config():
    """The settings file (EMPATHY_CONFIG: tag names, targets, feedback thresholds), read once per worker."""
    config = current_app.extensions.get("empathy_admin_config")
    if config is None:
        from ....policy_file import PluginConfig

        config = PluginConfig.load(current_app.config["EMPATHY_SETTINGS"].config_path)
        current_app.extensions["empathy_admin_config"] = config
    return config
