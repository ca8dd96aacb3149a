"""The decision aid's texts (lessons/decision-aid.yaml): every step, choice, result and referral the
rule in webapp/decision.py can reach has its texts in both languages, and nothing else is there."""
from __future__ import annotations

import re

from ..decision import CHOICES, DECIDING, RESULTS, STEPS
from ..people import PROFESSIONS
from .questions import is_text

AID = "lessons/decision-aid.yaml"
AID_EXPLANATIONS = ("consent", "border", "profit_source", "shift")
AID_ROLES = tuple(code for code in PROFESSIONS if code != "other")


def _key_line(text: str, *path) -> int:
    """The line of a nested YAML key, each key looked for after its parent (else the parent's)."""
    lines, start, found = text.split("\n"), 0, 1
    for key in path:
        if isinstance(key, int):  # the key-th item of a list
            items = (i for i in range(start, len(lines)) if lines[i].lstrip().startswith("- "))
            n = next((i for k, i in enumerate(items, start=1) if k == key), None)
        else:
            key_re = re.compile(rf"""^\s*(?:- )?["']?{re.escape(key)}["']?\s*:""")
            n = next((i for i in range(start, len(lines)) if key_re.match(lines[i])), None)
        if n is None:
            break
        found, start = n + 1, n + 1
    return found


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def check_aid(files, problems):
    """Every step, choice, result, rule, explanation, referral and role of the decision aid."""
    if not files.aid:
        return  # missing, unreadable or not a mapping: already reported
    aid, text = files.aid, files.texts[AID]

    def need_text(value, path, what):
        if not is_text(value):
            problems.add(AID, _key_line(text, *path), f"{what} needs both en and fr")

    def section(name, keys, parent=aid, path=()):
        value, where = parent.get(name), _key_line(text, *path, name)
        what = f"step '{path[-1]}': '{name}'" if path else f"'{name}'"
        if not isinstance(value, dict):
            problems.add(AID, where, f"{what} must map each of {', '.join(keys)} to its texts")
            return {}
        for key in keys:
            if key not in value:
                problems.add(AID, where, f"{what}: '{key}' is missing")
        for key in value:
            if key not in keys:
                hint = ' (quote "yes" and "no": unquoted, YAML reads them as true and false)' \
                    if isinstance(key, bool) else ""
                problems.add(AID, where, f"{what}: unknown key {key!r}{hint}")
        return {k: v for k, v in value.items() if k in keys}

    for key in ("intro", "disclaimer"):
        need_text(aid.get(key), (key,), f"'{key}'")
    for key, step in section("steps", STEPS).items():
        if not isinstance(step, dict):
            problems.add(AID, _key_line(text, "steps", key), f"step '{key}' must be a mapping")
            continue
        for name in ("question", "help", "name") + (("element", "find_out") if key in DECIDING else ()):
            need_text(step.get(name), ("steps", key, name), f"step '{key}': {name}")
        for choice, label in section("choices", CHOICES[key], step, ("steps", key)).items():
            need_text(label, ("steps", key, "choices", choice), f"step '{key}': choice '{choice}'")
    for key, result in section("results", RESULTS).items():
        for name in ("label", "summary") + (("smuggling_open",) if key == "trafficking" else ()):
            need_text(_mapping(result).get(name), ("results", key, name), f"result '{key}': {name}")
    for key, rule in section("rules", ("trafficking", "smuggling")).items():
        need_text(rule, ("rules", key), f"rule '{key}'")
    for key, item in section("explanations", AID_EXPLANATIONS).items():
        for name in ("title", "text"):
            need_text(_mapping(item).get(name), ("explanations", key, name), f"explanation '{key}': {name}")
    referrals = section("referrals", RESULTS)
    for key, referral in referrals.items():
        steps, include = _mapping(referral).get("steps"), _mapping(referral).get("include")
        if not isinstance(steps, list) or not steps:
            problems.add(AID, _key_line(text, "referrals", key), f"referral '{key}' needs a list 'steps'")
        for n, item in enumerate(steps if isinstance(steps, list) else (), start=1):
            need_text(item, ("referrals", key, "steps", n), f"referral '{key}': step {n}")
        documents = _mapping(referral).get("documents")
        if key == "smuggling" and (not isinstance(documents, list) or not documents):
            problems.add(AID, _key_line(text, "referrals", key),
                         "referral 'smuggling' needs a list 'documents' (smuggling by documents or an illegal stay)")
        for n, item in enumerate(documents if isinstance(documents, list) else (), start=1):
            need_text(item, ("referrals", key, "documents", n), f"referral '{key}': documents {n}")
        if include is not None and (include == key or include not in referrals
                                    or _mapping(referrals[include]).get("include")):
            problems.add(AID, _key_line(text, "referrals", key, "include"),
                         f"referral '{key}': include must name another result's referral, one without include")
    for key, line in section("roles", AID_ROLES).items():
        need_text(line, ("roles", key), f"role '{key}'")
