/*  czmqpeer: a small CZMQ 4 program that zkit's interop tests drive from Go.
 *
 *  Build:  gcc -O1 -o czmqpeer czmqpeer.c $(pkg-config --cflags --libs libczmq)
 *
 *  Frames and encodings travel as lowercase hexadecimal text; "-" stands
 *  for an empty frame (or an empty encoding). Subcommands:
 *
 *    encode HEX...        zmsg_encode a message with one frame per argument
 *    encode --stdin       the same, frames read from stdin one per line
 *                         (for frames too big for a command-line argument)
 *                         Both print the encoding as one hex line.
 *    decode               zmsg_decode the hex read from stdin and print each
 *                         frame on its own line; print "error" and exit 1 if
 *                         CZMQ rejects the encoding
 *    signal-send EP N     PAIR connects to EP, sends: signal N, the text
 *                         frame "not a signal", signal N again; then waits
 *                         for an acknowledgement message before exiting
 *    signal-wait EP       PAIR connects to EP, zsock_wait, prints the status
 *    picture-send EP      PAIR connects, sends the same zsock_send picture
 *                         "is1248bz" message twice, waits for an ack
 *    picture-recv EP      PAIR connects, zsock_recv "is84", prints values
 *    bsend EP             PAIR connects, sends the same zsock_bsend
 *                         "1248sS" message twice, waits for an ack
 *    brecv EP             PAIR connects, zsock_brecv "1248sS", prints values
 *
 *  Every receive is bounded by TIMEOUT_MS so the program never hangs; the
 *  Go side also kills it when its test deadline passes. Exit status: 0 on
 *  success, 1 for a rejected encoding, 2 for a usage or runtime failure.
 */

#include <czmq.h>
#include <inttypes.h>

#define TIMEOUT_MS 20000

static void
die (const char *what)
{
    fprintf (stderr, "czmqpeer: %s\n", what);
    exit (2);
}

static int
nibble (int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*  Parses len characters of hex text into a newly allocated buffer and
 *  stores its size. "-" (and the empty string) give zero bytes. */
static byte *
from_hex (const char *text, size_t len, size_t *size)
{
    if (len == 1 && text [0] == '-')
        len = 0;
    if (len % 2)
        die ("odd number of hex digits");
    byte *buf = (byte *) malloc (len / 2 + 1);
    if (!buf)
        die ("out of memory");
    for (size_t i = 0; i < len / 2; i++) {
        int hi = nibble (text [2 * i]);
        int lo = nibble (text [2 * i + 1]);
        if (hi < 0 || lo < 0)
            die ("bad hex digit");
        buf [i] = (byte) (hi << 4 | lo);
    }
    *size = len / 2;
    return buf;
}

static void
print_hex (const byte *data, size_t size)
{
    if (size == 0)
        fputs ("-", stdout);
    for (size_t i = 0; i < size; i++)
        printf ("%02x", data [i]);
    fputc ('\n', stdout);
}

/*  Reads all of stdin into a NUL-terminated buffer. */
static char *
slurp_stdin (size_t *len)
{
    size_t cap = 1 << 16, used = 0;
    char *buf = (char *) malloc (cap);
    if (!buf)
        die ("out of memory");
    size_t got;
    while ((got = fread (buf + used, 1, cap - used - 1, stdin)) > 0) {
        used += got;
        if (cap - used - 1 == 0) {
            cap *= 2;
            buf = (char *) realloc (buf, cap);
            if (!buf)
                die ("out of memory");
        }
    }
    buf [used] = 0;
    *len = used;
    return buf;
}

static void
add_hex_frame (zmsg_t *msg, const char *text, size_t len)
{
    size_t size;
    byte *data = from_hex (text, len, &size);
    if (zmsg_addmem (msg, data, size))
        die ("zmsg_addmem failed");
    free (data);
}

static int
cmd_encode (int argc, char **argv)
{
    zmsg_t *msg = zmsg_new ();
    if (argc == 1 && streq (argv [0], "--stdin")) {
        size_t len;
        char *text = slurp_stdin (&len);
        char *line = text;
        while (*line) {
            char *end = strchr (line, '\n');
            size_t n = end? (size_t) (end - line): strlen (line);
            if (n > 0 && line [n - 1] == '\r')
                n--;
            if (n > 0)
                add_hex_frame (msg, line, n);
            line += n;
            while (*line == '\r' || *line == '\n')
                line++;
        }
        free (text);
    }
    else
        for (int i = 0; i < argc; i++)
            add_hex_frame (msg, argv [i], strlen (argv [i]));

    zframe_t *encoded = zmsg_encode (msg);
    if (!encoded)
        die ("zmsg_encode failed");
    print_hex (zframe_data (encoded), zframe_size (encoded));
    zframe_destroy (&encoded);
    zmsg_destroy (&msg);
    return 0;
}

static int
cmd_decode (void)
{
    size_t len;
    char *text = slurp_stdin (&len);
    while (len > 0 && (text [len - 1] == '\n' || text [len - 1] == '\r'))
        len--;
    size_t size;
    byte *data = from_hex (text, len, &size);
    zframe_t *frame = zframe_new (data, size);
    free (data);
    free (text);
    zmsg_t *msg = zmsg_decode (frame);
    zframe_destroy (&frame);
    if (!msg) {
        puts ("error");
        return 1;
    }
    for (zframe_t *f = zmsg_first (msg); f; f = zmsg_next (msg))
        print_hex (zframe_data (f), zframe_size (f));
    zmsg_destroy (&msg);
    return 0;
}

/*  A PAIR socket connected to endpoint, with bounded receives. */
static zsock_t *
connect_pair (const char *endpoint)
{
    zsock_t *sock = zsock_new (ZMQ_PAIR);
    if (!sock)
        die ("zsock_new failed");
    zsock_set_rcvtimeo (sock, TIMEOUT_MS);
    zsock_set_sndtimeo (sock, TIMEOUT_MS);
    if (zsock_connect (sock, "%s", endpoint))
        die ("zsock_connect failed");
    return sock;
}

/*  Waits for the Go side to confirm it has received everything, so that
 *  nothing is lost when this process exits. */
static void
wait_ack (zsock_t *sock)
{
    char *ack = zstr_recv (sock);
    if (!ack)
        die ("no acknowledgement received");
    zstr_free (&ack);
}

static int
cmd_signal_send (const char *endpoint, const char *status_text)
{
    int status = atoi (status_text);
    if (status < 0 || status > 255)
        die ("status out of range");
    zsock_t *sock = connect_pair (endpoint);
    if (zsock_signal (sock, (byte) status)
    ||  zstr_send (sock, "not a signal")
    ||  zsock_signal (sock, (byte) status))
        die ("send failed");
    wait_ack (sock);
    zsock_destroy (&sock);
    return 0;
}

static int
cmd_signal_wait (const char *endpoint)
{
    zsock_t *sock = connect_pair (endpoint);
    int status = zsock_wait (sock);
    if (status < 0)
        die ("zsock_wait failed");
    printf ("%d\n", status);
    zsock_destroy (&sock);
    return 0;
}

static int
cmd_picture_send (const char *endpoint)
{
    zsock_t *sock = connect_pair (endpoint);
    const byte blob [] = { 1, 2, 3 };
    for (int copy = 0; copy < 2; copy++)
        if (zsock_send (sock, "is1248bz",
                        -7, "hello", 200, 60000, (uint32_t) 4000000000u,
                        (uint64_t) 1 << 40, blob, sizeof (blob)))
            die ("zsock_send failed");
    wait_ack (sock);
    zsock_destroy (&sock);
    return 0;
}

static int
cmd_picture_recv (const char *endpoint)
{
    zsock_t *sock = connect_pair (endpoint);
    int number = 0;
    char *text = NULL;
    uint64_t big = 0;
    uint32_t medium = 0;
    if (zsock_recv (sock, "is84", &number, &text, &big, &medium))
        die ("zsock_recv failed");
    printf ("%d\n%s\n%" PRIu64 "\n%" PRIu32 "\n", number, text? text: "(null)", big, medium);
    zstr_free (&text);
    zsock_destroy (&sock);
    return 0;
}

static int
cmd_bsend (const char *endpoint)
{
    zsock_t *sock = connect_pair (endpoint);
    for (int copy = 0; copy < 2; copy++)
        if (zsock_bsend (sock, "1248sS",
                         (uint8_t) 0xAB, (uint16_t) 0xBEEF, (uint32_t) 0xDEADBEEF,
                         (uint64_t) 0x0123456789ABCDEFULL,
                         "short string", "a longer string, sent with a four-byte length"))
            die ("zsock_bsend failed");
    wait_ack (sock);
    zsock_destroy (&sock);
    return 0;
}

static int
cmd_brecv (const char *endpoint)
{
    zsock_t *sock = connect_pair (endpoint);
    uint8_t n1 = 0;
    uint16_t n2 = 0;
    uint32_t n4 = 0;
    uint64_t n8 = 0;
    char *shorts = NULL;        //  held by the socket, not ours to free
    char *longs = NULL;         //  allocated for us
    if (zsock_brecv (sock, "1248sS", &n1, &n2, &n4, &n8, &shorts, &longs))
        die ("zsock_brecv failed");
    printf ("%u\n%u\n%" PRIu32 "\n%" PRIu64 "\n%s\n%s\n",
            (unsigned) n1, (unsigned) n2, n4, n8,
            shorts? shorts: "(null)", longs? longs: "(null)");
    free (longs);
    zsock_destroy (&sock);
    return 0;
}

int
main (int argc, char **argv)
{
    //  Keep CZMQ from installing its own SIGINT/SIGTERM handlers.
    zsys_handler_set (NULL);
    if (argc < 2)
        die ("usage: czmqpeer COMMAND ARGS...");
    const char *cmd = argv [1];
    int rc;
    if (streq (cmd, "encode"))
        rc = cmd_encode (argc - 2, argv + 2);
    else
    if (streq (cmd, "decode") && argc == 2)
        rc = cmd_decode ();
    else
    if (streq (cmd, "signal-send") && argc == 4)
        rc = cmd_signal_send (argv [2], argv [3]);
    else
    if (streq (cmd, "signal-wait") && argc == 3)
        rc = cmd_signal_wait (argv [2]);
    else
    if (streq (cmd, "picture-send") && argc == 3)
        rc = cmd_picture_send (argv [2]);
    else
    if (streq (cmd, "picture-recv") && argc == 3)
        rc = cmd_picture_recv (argv [2]);
    else
    if (streq (cmd, "bsend") && argc == 3)
        rc = cmd_bsend (argv [2]);
    else
    if (streq (cmd, "brecv") && argc == 3)
        rc = cmd_brecv (argv [2]);
    else
        die ("unknown command or wrong number of arguments");
    fflush (stdout);
    zsys_shutdown ();
    return rc;
}
