"""Certificate numbers: random, 80 bits, readable, forgiving when typed."""
from webapp.certificates.numbers import ALPHABET, BITS, canonical, display, new_number


def test_numbers_carry_at_least_64_random_bits_and_do_not_repeat():
    assert BITS >= 64 and len(ALPHABET) == 32
    numbers = {new_number() for _ in range(5000)}
    assert len(numbers) == 5000
    assert all(len(n) == 16 and set(n) <= set(ALPHABET) for n in numbers)
    # every position takes many values: nothing fixed, nothing sequential
    assert all(len({n[i] for n in numbers}) == 32 for i in range(16))


def test_a_number_typed_by_hand_is_read_as_the_same_number():
    number = "7K2MQ9XD4HTR8BWN"
    assert display(number) == "7K2M-Q9XD-4HTR-8BWN"
    for typed in ("7K2M-Q9XD-4HTR-8BWN", "7k2m q9xd 4htr 8bwn", " 7k2mq9xd4htr8bwn "):
        assert canonical(typed) == number
    assert canonical("0000-1111-0000-1111") == canonical("OOOO-IIII-oooo-llll")


def test_a_number_copied_from_a_letter_with_typographic_dashes_is_read_as_the_same_number():
    # A word processor turns "-" into an en dash; a PDF may give a non-breaking hyphen or a minus.
    for dash in ("\u2013", "\u2014", "\u2011", "\u2010", "\u2212"):
        assert canonical(dash.join(("7K2M", "Q9XD", "4HTR", "8BWN"))) == "7K2MQ9XD4HTR8BWN", repr(dash)
    assert canonical("7K2M\u00a0Q9XD\u00a04HTR\u00a08BWN") == "7K2MQ9XD4HTR8BWN"


def test_malformed_numbers_are_refused():
    for typed in ("", None, "ABC", "7K2M-Q9XD-4HTR-8BW", "7K2M-Q9XD-4HTR-8BWNX", "UUUU-UUUU-UUUU-UUUU",
                  "<script>", "7K2M-Q9XD-4HTR-8BW%", "x" * 500, "7K2M/Q9XD/4HTR/8BWN"):
        assert canonical(typed) is None, typed
