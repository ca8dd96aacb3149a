"""Question types beyond the built-in ones: a module here that calls ``register(...)`` on import is
found at start (content/questions.py), with its templates in templates/questions/<folder>/."""
