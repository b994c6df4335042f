"""pyzmq peer for zkit's interop tests (run with /usr/bin/python3).

    pyzmqpeer.py req ENDPOINT COUNT
        A REQ socket connects to ENDPOINT and sends COUNT multipart requests
        [b"request", b"<i>", bytes([0, 255, i]), b""], printing each reply
        on its own line as space-separated hex frames ("-" for an empty one).

    pyzmqpeer.py pub ENDPOINT
        A PUB socket connects to ENDPOINT and publishes rounds of two-frame
        messages [topic, b"<seq>"] on the topics b"news.", b"weather" and
        b"weather." until its standard input is closed.

    pyzmqpeer.py worker ENDPOINT IDENTITY INTERVAL_MS
        A Paranoid Pirate worker written against the Guide's framing: a
        DEALER with routing id IDENTITY sends READY (b"\x01"), then
        HEARTBEAT (b"\x02") every INTERVAL_MS milliseconds (never, if 0),
        answers each request [b"ping"] with [b"pong"] and ignores lone
        HEARTBEAT frames. When its standard input is closed it sends
        GOODBYE (b"\x05") and exits.

Every receive has a timeout, so the script cannot hang.
"""

import sys
import threading

import zmq

TIMEOUT_MS = 20000


def hex_frame(frame):
    return frame.hex() if frame else "-"


def run_req(ctx, endpoint, count):
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.connect(endpoint)
    for i in range(count):
        sock.send_multipart([b"request", str(i).encode(), bytes([0, 255, i]), b""])
        reply = sock.recv_multipart()
        print(" ".join(hex_frame(f) for f in reply), flush=True)
    sock.close()


def run_pub(ctx, endpoint):
    sock = ctx.socket(zmq.PUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    stop = threading.Event()

    def watch_stdin():
        sys.stdin.buffer.read()  # returns at end of file
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    seq = 0
    while not stop.is_set():
        number = str(seq).encode()
        for topic in (b"news.", b"weather", b"weather."):
            sock.send_multipart([topic, number])
        seq += 1
        stop.wait(0.002)  # pace the publisher; not a synchronisation
    sock.close()


def run_worker(ctx, endpoint, identity, interval_ms):
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.IDENTITY, identity.encode())
    sock.setsockopt(zmq.LINGER, 1000)
    sock.connect(endpoint)
    stop = threading.Event()

    def watch_stdin():
        sys.stdin.buffer.read()  # returns at end of file
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    sock.send(b"\x01")
    print("ready", flush=True)
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    wait_ms = interval_ms if interval_ms > 0 else 50
    while not stop.is_set():
        if dict(poller.poll(wait_ms)).get(sock):
            frames = sock.recv_multipart()
            if frames == [b"ping"]:
                sock.send(b"pong")
            continue
        if interval_ms > 0:
            sock.send(b"\x02")
    sock.send(b"\x05")
    sock.close()


def main():
    ctx = zmq.Context()
    try:
        if len(sys.argv) == 4 and sys.argv[1] == "req":
            run_req(ctx, sys.argv[2], int(sys.argv[3]))
        elif len(sys.argv) == 3 and sys.argv[1] == "pub":
            run_pub(ctx, sys.argv[2])
        elif len(sys.argv) == 5 and sys.argv[1] == "worker":
            run_worker(ctx, sys.argv[2], sys.argv[3], int(sys.argv[4]))
        else:
            sys.exit("usage: pyzmqpeer.py req ENDPOINT COUNT | pub ENDPOINT"
                     " | worker ENDPOINT IDENTITY INTERVAL_MS")
    finally:
        ctx.term()


if __name__ == "__main__":
    main()
