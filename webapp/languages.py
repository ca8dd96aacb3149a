"""The languages of the site and of its content, in one place (no Flask here: the content checks
use it too). The first is the default."""
LANGUAGES = ("fr", "en")
