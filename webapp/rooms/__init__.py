"""Workshops without internet (issue 17): the room kit the central site issues for a workshop, the
room server that runs it offline on a facilitator's laptop, and the sync that brings its records home.

Central side: kits (issue, fetch, revoke) and the sync endpoint that accepts signed bundles.
Room side: installing a kit, signing in with a room code, and sending the room's records.
The merge rules are plain functions, written down in the README ("Workshops without internet").
"""
from flask import Blueprint

bp = Blueprint("rooms", __name__)

from . import kit_routes, room_routes, sync_routes  # noqa: E402,F401
from .install import installed, is_room  # noqa: E402,F401  (is this server a room, and from which kit)
