"""Questions of her own: a quick question a facilitator types in the room (single or multiple choice,
a yes/no poll, a few words of free text), asked like a bank question, and the ones she saves to ask
again in her next workshops (hers alone).

A typed question is kept whole on its LiveQuestion (``own``), in the shape of a bank question so
that the question types grade and show it: its texts are the same in every language (she typed
them once), but for the fixed Yes / No of a poll. Its ``lang`` is the language she typed it in (she
says which; the page's by default), for its lang attribute wherever it is shown: a French-speaking
facilitator may well use the English pages. Questions kept before it existed have none."""
from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import lang
from ..input_numbers import whole_number
from ..languages import LANGUAGES
from ..models import LiveAnswer, LiveQuestion, SavedQuestion, User, Workshop
from . import live

# What she may type, in the order the form offers it (the question types' names).
KINDS = ("single", "multiple", "poll", "free_text")
CHOICE_KINDS = ("single", "multiple")
PROMPT_MAX = 300
OPTION_MAX = 150
OPTION_ROWS = 6  # the form's option fields (the most a choice question has)
LETTERS = "ABCDEF"
_KEY = re.compile(r"[0-9a-f]{16}")


def _same_in_every_language(value: str) -> dict:
    return {code: value for code in sorted(LANGUAGES)}


YES_NO = ({"id": "yes", "text": {"en": "Yes", "fr": "Oui"}}, {"id": "no", "text": {"en": "No", "fr": "Non"}})


@dataclass
class Draft:
    """The form as she filled it in: shown again, whole, when something is missing."""
    kind: str = "single"
    prompt: str = ""
    options: list = field(default_factory=lambda: [""] * OPTION_ROWS)
    right: set = field(default_factory=set)  # the rows (0-based) marked as right answers
    save: bool = False
    key: str = ""  # one per form shown: the same form sent twice asks one question
    language: str = ""  # what she typed it in; the page's when she does not say

    @classmethod
    def blank(cls) -> Draft:
        return cls(key=secrets.token_hex(8), language=lang())

    @classmethod
    def read(cls, form) -> Draft:
        options = [(form.get(f"option-{n}") or "").strip() for n in range(OPTION_ROWS)]
        right = {n for n in map(whole_number, form.getlist("right")) if n is not None and n < OPTION_ROWS}
        key = form.get("key", "")
        return cls(kind=form.get("kind", ""), prompt=(form.get("prompt") or "").strip(), options=options,
                   right=right, save=form.get("save") == "1", key=key if _KEY.fullmatch(key) else secrets.token_hex(8),
                   language=_language(form.get("language")))

    @classmethod
    def of(cls, question: dict) -> Draft:
        """A saved question back in the form (to change it before asking)."""
        options = [o["text"]["en"] for o in question.get("options", ())] if question["type"] in CHOICE_KINDS else []
        right = {n for n, o in enumerate(question.get("options", ())) if o.get("correct")}
        return cls(kind=question["type"], prompt=question["prompt"]["en"],
                   options=options + [""] * (OPTION_ROWS - len(options)), right=right, key=secrets.token_hex(8),
                   language=_language(question.get("lang")))


def _language(code) -> str:
    """A language of the site, else the page's (a form sent without it, a question kept before it)."""
    return code if code in LANGUAGES else lang()


def problems(draft: Draft) -> list[str]:
    """What keeps the draft from being asked, in her words (empty: it can be asked)."""
    found = []
    if draft.kind not in KINDS:
        return [_("Choose the kind of question.")]
    if not draft.prompt:
        found.append(_("Type the question."))
    elif len(draft.prompt) > PROMPT_MAX:
        found.append(_("The question is too long: at most %(num)d characters (it has %(count)d).",
                       num=PROMPT_MAX, count=len(draft.prompt)))
    if draft.kind not in CHOICE_KINDS:
        return found
    filled = [n for n, text in enumerate(draft.options) if text]
    if len(filled) < 2:
        found.append(_("Give at least two options."))
    for n in filled:
        if len(draft.options[n]) > OPTION_MAX:
            found.append(_("Option %(letter)s is too long: at most %(num)d characters.",
                           letter=LETTERS[n], num=OPTION_MAX))
    right = [n for n in filled if n in draft.right]
    if len(filled) >= 2 and not right:
        found.append(_("Tick the right answer.") if draft.kind == "single" else _("Tick every right answer."))
    elif draft.kind == "single" and len(right) > 1:
        found.append(_("A single-choice question has one right answer: tick one, or choose multiple choice."))
    return found


def build(draft: Draft) -> dict:
    """The question, in the shape of a bank question (call once ``problems`` is empty)."""
    question = {"id": f"own-{draft.key}", "type": draft.kind, "lang": _language(draft.language),
                "prompt": _same_in_every_language(draft.prompt)}
    if draft.kind in CHOICE_KINDS:
        question["options"] = [{"id": LETTERS[n].lower(), "text": _same_in_every_language(text),
                                "correct": n in draft.right} for n, text in enumerate(draft.options) if text]
    elif draft.kind == "poll":
        question["options"] = [dict(o) for o in YES_NO]
    return question


def ask(workshop: Workshop, question: dict) -> LiveQuestion:
    return live.open_question(workshop, question, own=True)


# Saved questions ---------------------------------------------------------------------------------

def _content(question: dict) -> dict:
    return {k: v for k, v in question.items() if k != "id"}


def save(user: User, question: dict) -> SavedQuestion:
    """Keep it for her next workshops; the same question saved twice is kept once."""
    for saved in saved_of(user):
        if _content(saved.question) == _content(question):
            return saved
    saved = SavedQuestion(owner_id=user.id, question=_content(question))
    db.session.add(saved)
    db.session.commit()
    return saved


def saved_of(user: User) -> list[SavedQuestion]:
    """Her saved questions, newest first."""
    return list(db.session.scalars(select(SavedQuestion).where(SavedQuestion.owner_id == user.id)
                                   .order_by(SavedQuestion.id.desc())))


def saved_one(user: User, saved_id: int) -> SavedQuestion | None:
    """One of her saved questions; None for anyone else's (they do not exist for her)."""
    saved = db.session.get(SavedQuestion, saved_id)
    return saved if saved is not None and saved.owner_id == user.id else None


def as_asked(saved: SavedQuestion) -> dict:
    """The saved question, ready to ask: asking it twice while it is open (a double click) keeps one."""
    return {"id": f"saved-{saved.id}", **saved.question}


def delete(saved: SavedQuestion) -> None:
    db.session.delete(saved)
    db.session.commit()


# Free-text answers: for the facilitator's eyes only ----------------------------------------------

# Words that say little about what the room thinks, left out of the counts (French and English).
_STOP = frozenset("""
a an and are as at be but by for from has have i in is it its me my no not of on or so that the their
them they this to was we were what with you your yes
au aux avec ce ces dans de des du elle en est et il ils je la le les leur lui ma mais me mes moi mon
ne nous on ou oui par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre
vous y c d j l m n s t
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class FreeTexts:
    answers: tuple      # every answer, oldest first
    words: tuple        # (word, count) pairs, most frequent first (ties by word)


def free_texts(live_question: LiveQuestion, top: int = 20) -> FreeTexts:
    answers = tuple(a for a in db.session.scalars(
        select(LiveAnswer.answer).where(LiveAnswer.live_question_id == live_question.id).order_by(LiveAnswer.id))
        if isinstance(a, str))
    counts = Counter()
    for answer in answers:
        # Once per answer: a word typed three times by one trainee is one voice.
        counts.update({w for w in (m.group().lower().replace("’", "'") for m in _WORD.finditer(answer))
                       if w not in _STOP and len(w) > 1})
    words = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return FreeTexts(answers, tuple(words))
