"""A checker for xAPI 1.0.3 statements, written from the specification (Part Two, section 2: the
Statement data model), for the rules that apply to statements a Learning Record Provider sends.

``problems(statement)`` returns what is wrong (an empty list: the statement is valid)."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANGTAG = re.compile(r"^(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?"
                      r"(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
_DURATION = re.compile(r"^P(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
                       r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
SENDER_MAY_NOT_SET = {"stored", "authority"}  # set by the LRS
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                   "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
                "statement", "extensions"}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}


def is_iri(value) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def is_uuid(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    # The specification asks for the canonical, hyphenated form (RFC 4122) and a variant 2 UUID.
    return str(parsed) == value.lower() and parsed.variant == uuid.RFC_4122


def _no_nulls(value, path, out):
    if value is None:
        out.append(f"{path}: null is not allowed")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nulls(item, f"{path}.{key}", out)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _no_nulls(item, f"{path}[{n}]", out)


def _unknown(obj, allowed, path, out):
    for key in set(obj) - allowed:
        out.append(f"{path}: unknown property {key!r}")


def _language_map(value, path, out):
    if not isinstance(value, dict) or not value:
        out.append(f"{path}: must be a non-empty language map")
        return
    for tag, text in value.items():
        if not _LANGTAG.match(tag):
            out.append(f"{path}: {tag!r} is not an RFC 5646 language tag")
        if not isinstance(text, str):
            out.append(f"{path}.{tag}: must be a string")


def _agent(agent, path, out):
    if not isinstance(agent, dict):
        out.append(f"{path}: must be an object")
        return
    _unknown(agent, AGENT_KEYS, path, out)
    if agent.get("objectType", "Agent") != "Agent":
        out.append(f"{path}.objectType: must be Agent (groups are not sent)")
    found = [key for key in IFIS if key in agent]
    if len(found) != 1:
        out.append(f"{path}: exactly one inverse functional identifier is required, found {found}")
    if "mbox" in agent and not str(agent["mbox"]).startswith("mailto:"):
        out.append(f"{path}.mbox: must be a mailto IRI")
    if "mbox_sha1sum" in agent and not _SHA1.match(str(agent["mbox_sha1sum"])):
        out.append(f"{path}.mbox_sha1sum: must be 40 lower-case hex digits")
    if "openid" in agent and not is_iri(agent["openid"]):
        out.append(f"{path}.openid: must be a URI")
    if "account" in agent:
        account = agent["account"]
        if not isinstance(account, dict) or set(account) != {"homePage", "name"}:
            out.append(f"{path}.account: must have exactly homePage and name")
        else:
            if not is_iri(account["homePage"]) or not account["homePage"].startswith(("http://", "https://")):
                out.append(f"{path}.account.homePage: must be an IRL")
            if not isinstance(account["name"], str) or not account["name"]:
                out.append(f"{path}.account.name: must be a non-empty string")
    if "name" in agent and not isinstance(agent["name"], str):
        out.append(f"{path}.name: must be a string")


def _activity(activity, path, out):
    if not isinstance(activity, dict):
        out.append(f"{path}: must be an object")
        return
    _unknown(activity, ACTIVITY_KEYS, path, out)
    if activity.get("objectType", "Activity") != "Activity":
        out.append(f"{path}.objectType: must be Activity")
    if not is_iri(activity.get("id")):
        out.append(f"{path}.id: must be an IRI")
    definition = activity.get("definition")
    if definition is not None:
        _unknown(definition, DEFINITION_KEYS, f"{path}.definition", out)
        for key in ("name", "description"):
            if key in definition:
                _language_map(definition[key], f"{path}.definition.{key}", out)
        for key in ("type", "moreInfo"):
            if key in definition and not is_iri(definition[key]):
                out.append(f"{path}.definition.{key}: must be an IRI")
        for key in (definition.get("extensions") or {}):
            if not is_iri(key):
                out.append(f"{path}.definition.extensions: key {key!r} must be an IRI")


def _timestamp(value, path, out):
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        out.append(f"{path}: must be an ISO 8601 timestamp with a time zone")
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        out.append(f"{path}: {value!r} is not a real date and time")


def _result(result, path, out):
    _unknown(result, RESULT_KEYS, path, out)
    score = result.get("score")
    if score is not None:
        _unknown(score, SCORE_KEYS, f"{path}.score", out)
        for key in SCORE_KEYS & set(score):
            if isinstance(score[key], bool) or not isinstance(score[key], (int, float)):
                out.append(f"{path}.score.{key}: must be a number")
                return
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            out.append(f"{path}.score.scaled: must be between -1 and 1")
        if "min" in score and "max" in score and not score["min"] < score["max"]:
            out.append(f"{path}.score: min must be less than max")
        if "raw" in score:
            if "min" in score and score["raw"] < score["min"] or "max" in score and score["raw"] > score["max"]:
                out.append(f"{path}.score.raw: must lie between min and max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            out.append(f"{path}.{key}: must be true or false")
    if "duration" in result and not (isinstance(result["duration"], str) and _DURATION.match(result["duration"])):
        out.append(f"{path}.duration: must be an ISO 8601 duration")


def _context(context, path, out):
    _unknown(context, CONTEXT_KEYS, path, out)
    if "registration" in context and not is_uuid(context["registration"]):
        out.append(f"{path}.registration: must be a UUID")
    if "language" in context and not _LANGTAG.match(str(context["language"])):
        out.append(f"{path}.language: must be an RFC 5646 language tag")
    for key in ("platform", "revision"):
        if key in context and not isinstance(context[key], str):
            out.append(f"{path}.{key}: must be a string")
    activities = context.get("contextActivities")
    if activities is not None:
        _unknown(activities, CONTEXT_ACTIVITY_KEYS, f"{path}.contextActivities", out)
        for key, value in activities.items():
            items = value if isinstance(value, list) else [value]
            for n, item in enumerate(items):
                _activity(item, f"{path}.contextActivities.{key}[{n}]", out)
    for key in (context.get("extensions") or {}):
        if not is_iri(key):
            out.append(f"{path}.extensions: key {key!r} must be an IRI")


def problems(statement) -> list[str]:
    out: list[str] = []
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    _no_nulls(statement, "statement", out)
    _unknown(statement, STATEMENT_KEYS, "statement", out)
    for key in SENDER_MAY_NOT_SET & set(statement):
        out.append(f"statement.{key}: set by the LRS, not by the sender")
    for key in ("actor", "verb", "object"):
        if key not in statement:
            out.append(f"statement.{key}: required")
    if "id" in statement and not is_uuid(statement["id"]):
        out.append("statement.id: must be a UUID")
    if "actor" in statement:
        _agent(statement["actor"], "statement.actor", out)
    verb = statement.get("verb")
    if isinstance(verb, dict):
        _unknown(verb, {"id", "display"}, "statement.verb", out)
        if not is_iri(verb.get("id")):
            out.append("statement.verb.id: must be an IRI")
        if "display" in verb:
            _language_map(verb["display"], "statement.verb.display", out)
    elif verb is not None:
        out.append("statement.verb: must be an object")
    if "object" in statement:
        _activity(statement["object"], "statement.object", out)
    if "result" in statement:
        _result(statement["result"], "statement.result", out)
    if "context" in statement:
        _context(statement["context"], "statement.context", out)
    if "timestamp" in statement:
        _timestamp(statement["timestamp"], "statement.timestamp", out)
    return out
