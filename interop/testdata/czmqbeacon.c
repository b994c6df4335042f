// czmqbeacon drives CZMQ's zbeacon for zkit's interop tests.
//
//   czmqbeacon publish PORT DATA SECONDS         publish DATA every 100 ms
//   czmqbeacon listen PORT PREFIX SECONDS        print the first beacon heard
//   czmqbeacon both PORT DATA PREFIX COUNT SECS  publish DATA and print the
//                                                first COUNT beacons heard
//
// All print "host ADDR" once configured (the interface zbeacon chose).
// Each beacon heard is printed as "beacon ADDR DATA". listen and both exit
// 1 when fewer beacons than wanted arrive in time.
#include <czmq.h>

int main(int argc, char **argv)
{
    int both = argc == 7 && streq(argv[1], "both");
    if (argc != 5 && !both) {
        fprintf(stderr, "usage: czmqbeacon publish|listen PORT DATA|PREFIX SECONDS\n"
                        "       czmqbeacon both PORT DATA PREFIX COUNT SECONDS\n");
        return 2;
    }
    int port = atoi(argv[2]);
    const char *data = argv[3];
    const char *prefix = both ? argv[4] : argv[3];
    int count = both ? atoi(argv[5]) : 1;
    int seconds = atoi(argv[both ? 6 : 4]);

    zactor_t *beacon = zactor_new(zbeacon, NULL);
    if (!beacon)
        return 1;
    zsock_send(beacon, "si", "CONFIGURE", port);
    char *host = zstr_recv(beacon);
    if (!host || !*host) {
        fprintf(stderr, "czmqbeacon: no usable interface\n");
        zstr_free(&host);
        zactor_destroy(&beacon);
        return 1;
    }
    printf("host %s\n", host);
    fflush(stdout);
    zstr_free(&host);

    int rc = 0;
    if (streq(argv[1], "publish") || both)
        zsock_send(beacon, "sbi", "PUBLISH", data, strlen(data), 100);
    if (streq(argv[1], "publish"))
        zclock_sleep(seconds * 1000);
    else {
        zsock_send(beacon, "sb", "SUBSCRIBE", prefix, strlen(prefix));
        zsock_set_rcvtimeo(beacon, seconds * 1000);
        for (int heard = 0; heard < count; heard++) {
            char *ipaddr = zstr_recv(beacon);
            if (!ipaddr) {
                rc = 1;
                break;
            }
            zframe_t *content = zframe_recv(beacon);
            printf("beacon %s %.*s\n", ipaddr, (int) zframe_size(content), (char *) zframe_data(content));
            fflush(stdout);
            zframe_destroy(&content);
            zstr_free(&ipaddr);
        }
    }
    zactor_destroy(&beacon);
    return rc;
}
