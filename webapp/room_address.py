"""`make room`: the site served from a facilitator's laptop to the phones in the room, over the room's
Wi-Fi (or the laptop's own hotspot), with no internet needed.

It finds the laptop's address on the local network, prints it with a QR code in the terminal, keeps a
secret key in instance/, and starts gunicorn (one worker with threads: SQLite has one writer) with
BASE_URL set to that address, so that the join link, the projector's QR code and certificate links
all carry it. Plain functions, tested without sending anything on the network:

    python -m webapp.room_address [--port 8000] [--dry-run]
"""
from __future__ import annotations

import argparse
import io
import ipaddress
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import segno

ROOT = Path(__file__).resolve().parent.parent
#: Private addresses to "connect" a UDP socket to: connecting sends no packet, it only asks the
#: system which of the laptop's addresses it would use to reach them, which is its address on the
#: local network. Several, because a network without a default route only reaches its own range.
PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")
LOOPBACK = "127.0.0.1"
MIN_SECRET = 32  # as webapp.MIN_SECRET_KEY: a production start refuses a shorter key
THREADS = 8
#: Seconds an idle connection stays open: longer than the live panel's poll (LIVE_POLL_SECONDS, 3 s),
#: so that a phone polls on the connection it has. With gunicorn's default (2 s) every poll opened a
#: new one: a round trip more on the room's Wi-Fi, and an accept and a new connection on the server.
KEEP_ALIVE = 10


def lan_address(probes=PROBES, make_socket=socket.socket) -> str | None:
    """The laptop's IPv4 address on its local network, or None (no network, or only loopback)."""
    for probe in probes:
        try:
            with make_socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))  # UDP: no packet leaves; the route is only looked up
                address = sock.getsockname()[0]
        except OSError:
            continue
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_unspecified):
            return str(ip)
    return None


def room_url(address: str, port: int) -> str:
    """The site's address for the room (no trailing slash, as BASE_URL wants it)."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


def secret_key(instance: Path, environ=os.environ) -> str:
    """SECRET_KEY from the environment if it is long enough, else the one kept in
    ``instance/secret_key``, made there (readable by its owner only) the first time. Kept, so that
    restarting the laptop does not sign everyone in the room out."""
    given = environ.get("SECRET_KEY", "")
    if len(given) >= MIN_SECRET:
        return given
    path = instance / "secret_key"
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if len(kept) >= MIN_SECRET:
            return kept
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def qr_text(url: str) -> str:
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def banner(url: str, found: bool) -> str:
    """What the terminal shows: the address to type, and its QR code to scan."""
    lines = []
    if not found:
        lines += ["No local network found: the site is served on this laptop only (127.0.0.1).",
                  "Join a Wi-Fi network or turn on the laptop's hotspot, then run `make room` again.", ""]
    lines += [f"Passerelle for the room: {url}/", "",
              "Phones on the same Wi-Fi open that address, or scan this code:", "", qr_text(url + "/"),
              "Keep this window open during the session; Ctrl+C stops the site."]
    return "\n".join(lines)


def environment(url: str, key: str, environ=os.environ) -> dict:
    """The server's environment: a production start (real secret, no debugger), links on ``url``,
    plain HTTP in the room (no Secure cookies, which a phone would refuse to send over HTTP)."""
    env = dict(environ)
    env.update(PASSERELLE_PRODUCTION="1", BASE_URL=url, SECRET_KEY=key, SESSION_COOKIE_SECURE="0")
    return env


def content_dir(instance: Path, environ=os.environ) -> str | None:
    """The course content the room serves: the room kit's, once installed (``flask room install``
    writes it to instance/room-content), unless CONTENT_DIR says otherwise; None: the checkout's own."""
    if environ.get("CONTENT_DIR"):
        return None
    folder = instance / "room-content"
    return str(folder) if folder.is_dir() else None


def gunicorn_command(gunicorn: str, address: str | None, port: int, threads: int = THREADS) -> list[str]:
    """One worker with threads (SQLite has one writer), on the room's address and on loopback."""
    binds = [f"{LOOPBACK}:{port}"] + ([f"{address}:{port}"] if address else [])
    command = [gunicorn, "--workers", "1", "--threads", str(threads), "--worker-class", "gthread",
               "--keep-alive", str(KEEP_ALIVE)]
    for bind in binds:
        command += ["--bind", bind]
    return command + ["webapp:create_app()"]


def main(argv=None, environ=os.environ, detect=lan_address, run=subprocess.run, execute=os.execvpe) -> int:
    parser = argparse.ArgumentParser(description="Serve Passerelle to the phones in the room.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--gunicorn", default=str(Path(sys.executable).with_name("gunicorn")))
    parser.add_argument("--instance", default=str(ROOT / "instance"))
    parser.add_argument("--dry-run", action="store_true", help="print what would run, and start nothing")
    args = parser.parse_args(argv)
    address = detect()
    url = room_url(address or LOOPBACK, args.port)
    print(banner(url, address is not None))
    env = environment(url, secret_key(Path(args.instance), environ), environ)
    if (content := content_dir(Path(args.instance), environ)) is not None:
        env["CONTENT_DIR"] = content  # the edition of the room kit, which the room's records are graded on
    command = gunicorn_command(args.gunicorn, address, args.port, args.threads)
    if args.dry_run:
        print(" ".join(command))
        return 0
    # The key that signs certificates' credentials and QR codes (a production start makes none itself).
    run([sys.executable, "-m", "flask", "--app", "webapp", "credentials", "generate-key", "--if-missing"],
        env=env, check=False)
    # How to sign in (and, on an empty site, the administrator's one-time password).
    run([sys.executable, "-m", "flask", "--app", "webapp", "first-run", "--address", url.removeprefix("http://")],
        env=env, check=False)
    print()
    execute(command[0], command, env)  # gunicorn takes this process over (Ctrl+C stops it)
    return 0


if __name__ == "__main__":
    sys.exit(main())
