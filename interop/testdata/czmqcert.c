/*  czmqcert: drives CZMQ's certificate classes for zkit's interop tests.
 *
 *  Build:  gcc -O1 -o czmqcert czmqcert.c $(pkg-config --cflags --libs libczmq)
 *
 *  Subcommands:
 *
 *    save PATH PUBLIC SECRET [NAME=VALUE]...
 *        Builds a certificate and writes it with zcert_save, so PATH and
 *        PATH_secret. PUBLIC and SECRET are Z85 keys, or both "-" for a
 *        new key pair from zcert_new. Each NAME=VALUE becomes metadata
 *        (zcert_set_meta). Prints the keys as "public KEY" and
 *        "secret KEY".
 *    load PATH
 *        Reads PATH with zcert_load and prints "public KEY", "secret KEY"
 *        (forty '0' when only the public file was found) and one
 *        "meta NAME=VALUE" line per metadata entry. Prints "error" and
 *        exits 1 if CZMQ cannot load it.
 *    lookup DIR KEY
 *        Opens DIR with zcertstore_new and looks KEY up with
 *        zcertstore_lookup; prints "found" followed by the "meta" lines,
 *        or "missing".
 *
 *  Exit status: 0 on success, 1 when load fails, 2 for a usage or
 *  runtime failure.
 */

#include <czmq.h>

static void
die (const char *what)
{
    fprintf (stderr, "czmqcert: %s\n", what);
    exit (2);
}

static void
print_meta (zcert_t *cert)
{
    zlist_t *names = zcert_meta_keys (cert);
    if (!names)
        die ("zcert_meta_keys failed");
    for (const char *name = (const char *) zlist_first (names); name;
         name = (const char *) zlist_next (names))
        printf ("meta %s=%s\n", name, zcert_meta (cert, name));
    zlist_destroy (&names);
}

static int
cmd_save (int argc, char **argv)
{
    if (argc < 3)
        die ("usage: save PATH PUBLIC SECRET [NAME=VALUE]...");
    const char *path = argv [0];
    zcert_t *cert = NULL;
    if (streq (argv [1], "-") && streq (argv [2], "-"))
        cert = zcert_new ();
    else {
        //  zarmour keeps the helper to CZMQ's own API (and -lczmq); its
        //  decoded chunk ends with an extra NUL byte after the 32 bytes
        zarmour_t *armour = zarmour_new ();
        if (!armour)
            die ("zarmour_new failed");
        zarmour_set_mode (armour, ZARMOUR_MODE_Z85);
        zchunk_t *public_key = zarmour_decode (armour, argv [1]);
        zchunk_t *secret_key = zarmour_decode (armour, argv [2]);
        if (strlen (argv [1]) != 40 || strlen (argv [2]) != 40
        ||  !public_key || zchunk_size (public_key) < 32
        ||  !secret_key || zchunk_size (secret_key) < 32)
            die ("keys must be 40 Z85 characters each");
        cert = zcert_new_from (zchunk_data (public_key), zchunk_data (secret_key));
        zchunk_destroy (&public_key);
        zchunk_destroy (&secret_key);
        zarmour_destroy (&armour);
    }
    if (!cert)
        die ("cannot create a certificate");
    for (int i = 3; i < argc; i++) {
        char *name = strdup (argv [i]);
        char *equals = name? strchr (name, '='): NULL;
        if (!equals)
            die ("metadata must be NAME=VALUE");
        *equals = 0;
        zcert_set_meta (cert, name, "%s", equals + 1);
        free (name);
    }
    if (zcert_save (cert, path) != 0)
        die ("zcert_save failed");
    printf ("public %s\nsecret %s\n", zcert_public_txt (cert), zcert_secret_txt (cert));
    zcert_destroy (&cert);
    return 0;
}

static int
cmd_load (int argc, char **argv)
{
    if (argc != 1)
        die ("usage: load PATH");
    zcert_t *cert = zcert_load (argv [0]);
    if (!cert) {
        printf ("error\n");
        return 1;
    }
    printf ("public %s\nsecret %s\n", zcert_public_txt (cert), zcert_secret_txt (cert));
    print_meta (cert);
    zcert_destroy (&cert);
    return 0;
}

static int
cmd_lookup (int argc, char **argv)
{
    if (argc != 2)
        die ("usage: lookup DIR KEY");
    zcertstore_t *store = zcertstore_new (argv [0]);
    if (!store)
        die ("zcertstore_new failed");
    zcert_t *cert = zcertstore_lookup (store, argv [1]);
    if (cert) {
        printf ("found\n");
        print_meta (cert);
    }
    else
        printf ("missing\n");
    zcertstore_destroy (&store);
    return 0;
}

int
main (int argc, char **argv)
{
    if (argc < 2)
        die ("usage: czmqcert save|load|lookup ARGS...");
    const char *cmd = argv [1];
    int rc;
    if (streq (cmd, "save"))
        rc = cmd_save (argc - 2, argv + 2);
    else
    if (streq (cmd, "load"))
        rc = cmd_load (argc - 2, argv + 2);
    else
    if (streq (cmd, "lookup"))
        rc = cmd_lookup (argc - 2, argv + 2);
    else
        die ("unknown subcommand");
    fflush (stdout);
    return rc;
}
