"""`make room`: the laptop's address on the room's network, the links built on it, the secret key
kept in instance/, and what the terminal shows. No test sends anything on a network: the socket is a
fake that records what it is asked."""
import socket
import stat

import pytest

from webapp import room_address as room


class FakeSocket:
    """A UDP socket whose route look-up answers ``routes`` (probe -> source address, or an error)."""

    def __init__(self, routes, calls):
        self.routes, self.calls = routes, calls

    def __call__(self, family, kind):
        assert (family, kind) == (socket.AF_INET, socket.SOCK_DGRAM)  # UDP: connect() sends nothing
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, target):
        self.calls.append(target)
        self.answer = self.routes.get(target[0], OSError("Network is unreachable"))
        if isinstance(self.answer, Exception):
            raise self.answer

    def getsockname(self):
        return (self.answer, 40000)

    def send(self, *args):
        raise AssertionError("nothing is sent")

    sendto = send


def detect(routes):
    calls = []
    return room.lan_address(make_socket=FakeSocket(routes, calls)), calls


def test_the_address_is_the_one_the_system_would_use_to_reach_the_local_network():
    address, calls = detect({"10.255.255.255": "192.168.1.23"})
    assert address == "192.168.1.23" and calls == [("10.255.255.255", 9)]


def test_a_network_without_a_default_route_is_found_through_its_own_range():
    address, calls = detect({"192.168.255.255": "192.168.43.10"})  # a phone's hotspot, no internet
    assert address == "192.168.43.10" and [c[0] for c in calls] == ["10.255.255.255", "192.168.255.255"]


@pytest.mark.parametrize("answer", ["127.0.0.1", "0.0.0.0", "not an address"])
def test_loopback_or_nothing_is_no_room_address(answer):
    assert detect({probe: answer for probe in room.PROBES})[0] is None


def test_no_network_at_all_is_no_room_address():
    address, calls = detect({})
    assert address is None and [c[0] for c in calls] == list(room.PROBES)


def test_links_are_built_on_the_room_address():
    assert room.room_url("192.168.1.23", 8000) == "http://192.168.1.23:8000"
    assert room.room_url("fd00::5", 8000) == "http://[fd00::5]:8000"
    env = room.environment("http://192.168.1.23:8000", "k" * 64, {"PATH": "/bin", "BASE_URL": "https://old"})
    assert env["BASE_URL"] == "http://192.168.1.23:8000" and env["PATH"] == "/bin"
    assert env["PASSERELLE_PRODUCTION"] == "1" and env["SESSION_COOKIE_SECURE"] == "0"


def test_the_join_link_and_the_projector_qr_carry_the_room_address(app):
    from webapp.links import external_url
    app.config["BASE_URL"] = room.room_url("192.168.1.23", 8000)
    with app.test_request_context("/", base_url="http://127.0.0.1"):
        assert external_url("workshops.join", code="ABCDEFGH") == "http://192.168.1.23:8000/join/ABCDEFGH"
        assert external_url("certificates.verify", number="X").startswith("http://192.168.1.23:8000/")


def test_the_secret_key_is_made_once_and_kept_in_the_instance_folder(tmp_path):
    first = room.secret_key(tmp_path, environ={})
    assert len(first) >= room.MIN_SECRET and room.secret_key(tmp_path, environ={}) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert room.secret_key(tmp_path, environ={"SECRET_KEY": "s" * 40}) == "s" * 40  # the operator's wins
    assert room.secret_key(tmp_path, environ={"SECRET_KEY": "short"}) == first      # too short: refused
    (tmp_path / "secret_key").write_text("short\n")
    assert room.secret_key(tmp_path, environ={}) not in ("short", first)


def test_gunicorn_serves_one_worker_with_threads_on_the_room_address_and_loopback():
    command = room.gunicorn_command("/venv/bin/gunicorn", "192.168.1.23", 8000)
    assert command[:3] == ["/venv/bin/gunicorn", "--workers", "1"] and "--threads" in command
    binds = [command[i + 1] for i, part in enumerate(command) if part == "--bind"]
    assert binds == ["127.0.0.1:8000", "192.168.1.23:8000"] and command[-1] == "webapp:create_app()"
    alone = room.gunicorn_command("g", None, 8000)
    assert [alone[i + 1] for i, part in enumerate(alone) if part == "--bind"] == ["127.0.0.1:8000"]


def test_a_polling_phone_keeps_its_connection_between_two_polls():
    from webapp.config import Config
    command = room.gunicorn_command("g", None, 8000)
    assert float(command[command.index("--keep-alive") + 1]) > Config.LIVE_POLL_SECONDS


def test_make_room_prints_the_address_and_its_qr_code_then_starts_gunicorn(tmp_path, capsys):
    ran, started = [], []
    room.main(["--port", "8000", "--instance", str(tmp_path), "--gunicorn", "/venv/bin/gunicorn"], environ={},
              detect=lambda: "192.168.1.23", run=lambda cmd, **kw: ran.append((cmd, kw["env"])),
              execute=lambda path, cmd, env: started.append((path, cmd, env)))
    out = capsys.readouterr().out
    assert "Passerelle for the room: http://192.168.1.23:8000/" in out and "█" in out  # the QR code
    assert "No local network" not in out
    [(path, command, env)] = started
    assert path == "/venv/bin/gunicorn" and "192.168.1.23:8000" in command
    assert env["BASE_URL"] == "http://192.168.1.23:8000" and env["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    [(key, _), (first_run, first_env)] = ran
    assert key[-3:] == ["credentials", "generate-key", "--if-missing"]  # certificates' QR codes are signed
    assert first_run[-3:] == ["first-run", "--address", "192.168.1.23:8000"] and first_env is not None


def test_without_a_network_it_says_so_and_serves_on_loopback(tmp_path, capsys):
    assert room.main(["--instance", str(tmp_path), "--dry-run"], environ={}, detect=lambda: None) == 0
    out = capsys.readouterr().out
    assert "No local network found" in out and "http://127.0.0.1:8000/" in out
    assert "--bind 127.0.0.1:8000 webapp:create_app()" in out


def test_the_flask_command_prints_the_room_address(runner, monkeypatch):
    monkeypatch.setattr(room, "lan_address", lambda: "10.0.0.7")
    result = runner.invoke(args=["room-address", "--port", "8080"])
    assert result.exit_code == 0 and "http://10.0.0.7:8080/" in result.output and "█" in result.output
