"""Write webapp/data/common-passwords.txt: the passwords refused as too common.

Run it after changing it:  .venv/bin/python webapp/data/build_common_passwords.py
(it needs zxcvbn, pinned in requirements-dev.txt; the app itself only reads the text file).

The list is made of
- the passwords of at least MIN_LENGTH characters among the 30,000 most common leaked passwords that
  zxcvbn ships (its "passwords" frequency list, from public password leaks);
- the 2,000 most common shorter ones stretched the way people stretch them to pass a length rule:
  digits, years, '!' appended, or the word repeated;
- words of this course's trainees (French, places of the Rabat Process countries, football, the course
  itself) with the same suffixes, and keyboard walks of French and English keyboards.
Only entries of at least MIN_LENGTH characters are kept: shorter ones are refused by the length rule.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "common-passwords.txt"
MIN_LENGTH = 10

SUFFIXES = ["1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!", "01", "007", "00", "69", "99",
            "2020", "2021", "2022", "2023", "2024", "2025", "2026", "@123", "#1"]

LOCAL_WORDS = """
motdepasse motdepass bonjour bonsoir salut coucou soleil doudou chouchou loulou bisous amour jetaime
tequiero teamo bienvenue bienvenu merci liberte chocolat princesse marseille paris lyon toulouse nantes
lille bordeaux france senegal dakar maroc rabat casablanca marrakech tanger algerie alger oran tunisie
tunis mali bamako niger niamey burkina ouagadougou cotedivoire abidjan guinee conakry cameroun douala
yaounde nigeria lagos abuja ghana accra togo lome benin cotonou mauritanie nouakchott gambie banjul
espagne madrid portugal porto lisboa lisbonne italie belgique bruxelles suisse geneve libye tripoli
tchad ndjamena congo kinshasa gabon libreville afrique africa europe allah inchallah bismillah dieu
jesus marie football barcelona barca realmadrid chelsea arsenal liverpool juventus psg olympique
manchester ronaldo messi neymar mbappe zidane police gendarmerie gendarme douane douanier justice
procureur juge frontiere migrant migration passeport visa passerelle rabatprocess processusderabat
traite trafficking smuggling traitedesetres trafic passeur exploitation victime formation atelier
admin administrateur administrator utilisateur user password passw0rd welcome letmein changeme secret
superman batman spiderman pokemon dragon shadow master monkey sunshine princess iloveyou whatever
freedom internet computer samsung nokia iphone android google facebook whatsapp instagram
""".split()

KEYBOARD_WALKS = """
azertyuiop qwertyuiop qwertzuiop qsdfghjklm asdfghjkl wxcvbn zxcvbnm 1234567890 0987654321 poiuytreza
poiuytrewq mlkjhgfdsq lkjhgfdsa 1qaz2wsx3edc 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5 a1z2e3r4t5 azerty123
qwerty123 azertyqsdf qwertyasdf azeqsdwxc qazwsxedc qazwsxedcrfv zaq12wsx 1qazxsw2 0123456789
9876543210 abcdefghij abcdefghijk abcd abc azerty azertyui qwerty qwertyui asdfgh qsdfgh
""".split()

# Kept from the first, hand-written list.
EXTRA = "trustno1234 jordan2323 marseille13 abcd123456 abc1234567 zaq12wsxcv jennifer123 nicolas123".split()

SEASONS = ["summer", "winter", "spring", "autumn", "ete", "hiver", "printemps", "automne"]


def common_leaked(limit_short: int = 2000) -> tuple[list[str], list[str]]:
    """(leaked passwords long enough to pass the length rule, the most common shorter ones)."""
    try:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS
    except ImportError:
        sys.exit("zxcvbn is missing: .venv/bin/pip install -r requirements-dev.txt")
    ranked = FREQUENCY_LISTS["passwords"]
    long_enough = [p for p in ranked if len(p) >= MIN_LENGTH]
    short = [p for p in ranked if 4 <= len(p) < MIN_LENGTH][:limit_short]
    return long_enough, short


def stretched(word: str) -> set[str]:
    """The ways a short password is made long enough: suffixes, a repeat."""
    forms = {word + suffix for suffix in SUFFIXES}
    forms.add(word + word)
    return forms


def build() -> list[str]:
    long_enough, short = common_leaked()
    entries: set[str] = set(long_enough) | set(EXTRA)
    for word in set(short) | set(LOCAL_WORDS) | set(KEYBOARD_WALKS):
        entries.add(word)
        entries |= stretched(word)
    for season in SEASONS:
        entries |= {f"{season}{year}" for year in range(2000, 2031)}
    entries |= {f"porto{year}" for year in range(2010, 2031)} | {f"rabat{year}" for year in range(2000, 2031)}
    return sorted(e for e in {e.strip().lower() for e in entries} if len(e) >= MIN_LENGTH)


def render(entries: list[str]) -> str:
    header = ("# Refused passwords (lower-case), one a line; written by build_common_passwords.py beside\n"
              "# this file (leaked-password list shipped by zxcvbn, stretched by the usual patterns).\n")
    return header + "".join(e + "\n" for e in entries)


if __name__ == "__main__":
    entries = build()
    OUT.write_text(render(entries), encoding="utf-8")
    print(f"{OUT}: {len(entries)} passwords")
