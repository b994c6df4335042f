"""pyzmq certificate helper for zkit's interop tests (run with /usr/bin/python3).

    pycert.py create DIR NAME [NAME=VALUE]...
        zmq.auth.create_certificates(DIR, NAME, metadata) writes NAME.key and
        NAME.key_secret; prints the new keys as "public KEY" and "secret KEY".

    pycert.py load PATH
        zmq.auth.load_certificate(PATH); prints "public KEY" and
        "secret KEY", with "-" for a file that has no secret key.

    pycert.py loaddir DIR
        zmq.auth.load_certificates(DIR); prints "public KEY" for every key
        found, sorted.

Errors from pyzmq end the script with a traceback and a non-zero status.
"""

import sys

import zmq.auth


def show(public, secret):
    print("public", public.decode())
    print("secret", secret.decode() if secret else "-")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "create" and len(argv) >= 4:
        metadata = dict(arg.split("=", 1) for arg in argv[4:])
        _, secret_file = zmq.auth.create_certificates(argv[2], argv[3], metadata or None)
        show(*zmq.auth.load_certificate(secret_file))
    elif cmd == "load":
        show(*zmq.auth.load_certificate(argv[2]))
    elif cmd == "loaddir":
        for key in sorted(zmq.auth.load_certificates(argv[2])):
            print("public", key.decode())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
