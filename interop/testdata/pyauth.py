"""pyzmq peer for zkit's authentication interop tests (run with /usr/bin/python3).

    pyauth.py curve-client ENDPOINT SERVER_PUBLIC CLIENT_PUBLIC CLIENT_SECRET
    pyauth.py plain-client ENDPOINT USER PASSWORD
        A REQ socket with CURVE (keys in Z85) or PLAIN credentials connects
        to ENDPOINT and sends b"hello". It prints "reply <frames>" (the
        reply's frames as text, space-separated) once a reply arrives, or
        "refused <status>" when the server refuses the handshake (the
        socket monitor reports a failed authentication).

    pyauth.py server curve SERVER_SECRET LOCATION
    pyauth.py server plain USER=PASSWORD...
        pyzmq's ThreadAuthenticator guards a REP socket bound to a free
        port on 127.0.0.1: CURVE clients are checked against the *.key
        certificates in LOCATION (or any key if LOCATION is "*"), PLAIN
        clients against the given users, for every ZAP domain. The script
        prints "endpoint <endpoint>", then "refused" for each handshake it
        refuses, and answers every request with [b"echo", User-Id] until
        its standard input is closed.

Every wait has a timeout, so the script cannot hang.
"""

import sys
import threading

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

TIMEOUT_MS = 20000
AUTH_EVENTS = zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_SUCCEEDED


def run_client(ctx, endpoint, configure):
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    configure(sock)
    monitor = sock.get_monitor_socket(AUTH_EVENTS)
    sock.connect(endpoint)
    sock.send(b"hello")
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    result = "timeout"
    while True:
        ready = dict(poller.poll(TIMEOUT_MS))
        if not ready:
            break
        if sock in ready:
            result = "reply " + " ".join(f.decode() for f in sock.recv_multipart())
            break
        if monitor in ready:
            event = recv_monitor_message(monitor)
            if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                result = "refused %d" % event["value"]
                break
    print(result, flush=True)
    sock.disable_monitor()
    monitor.close()
    sock.close()
    return 0 if result != "timeout" else 1


def run_server(ctx, mode, args):
    auth = ThreadAuthenticator(ctx)
    auth.start()
    sock = ctx.socket(zmq.REP)
    sock.setsockopt(zmq.LINGER, 0)
    if mode == "curve":
        secret, location = args
        secret = secret.encode()
        sock.curve_secretkey = secret
        sock.curve_publickey = zmq.curve_public(secret)
        sock.curve_server = True
        auth.configure_curve(domain="*", location=location)
    else:
        auth.configure_plain(domain="*", passwords=dict(a.split("=", 1) for a in args))
        sock.plain_server = True
    monitor = sock.get_monitor_socket(AUTH_EVENTS)
    sock.bind("tcp://127.0.0.1:0")
    print("endpoint", sock.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)

    stop = threading.Event()

    def watch_stdin():
        sys.stdin.buffer.read()  # returns at end of file
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    while not stop.is_set():
        ready = dict(poller.poll(50))  # also notices stop
        if monitor in ready:
            event = recv_monitor_message(monitor)
            if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                print("refused", flush=True)
        if sock in ready:
            frame = sock.recv(copy=False)
            while frame.more:
                frame = sock.recv(copy=False)
            user_id = frame.get("User-Id")
            if isinstance(user_id, str):
                user_id = user_id.encode()
            sock.send_multipart([b"echo", user_id])
    sock.disable_monitor()
    monitor.close()
    sock.close()
    auth.stop()
    return 0


def main():
    ctx = zmq.Context()
    try:
        args = sys.argv[1:]
        if len(args) == 5 and args[0] == "curve-client":
            endpoint, server_public, public, secret = args[1:]

            def configure(sock):
                sock.curve_serverkey = server_public.encode()
                sock.curve_publickey = public.encode()
                sock.curve_secretkey = secret.encode()

            code = run_client(ctx, endpoint, configure)
        elif len(args) == 4 and args[0] == "plain-client":
            endpoint, user, password = args[1:]

            def configure(sock):
                sock.plain_username = user.encode()
                sock.plain_password = password.encode()

            code = run_client(ctx, endpoint, configure)
        elif len(args) == 4 and args[:2] == ["server", "curve"]:
            code = run_server(ctx, "curve", args[2:])
        elif len(args) >= 3 and args[:2] == ["server", "plain"]:
            code = run_server(ctx, "plain", args[2:])
        else:
            sys.exit(__doc__)
    finally:
        ctx.term()
    sys.exit(code)


if __name__ == "__main__":
    main()
