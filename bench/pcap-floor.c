/*
 * The benchmark floor: the cheapest possible pass over a capture with
 * libpcap -- read every packet and touch its length, nothing else. Odlar's
 * times are reported as multiples of this, which stays comparable across
 * machines where absolute packets/s do not.
 *
 *   pcap-floor FILE   prints "packets bytes seconds"
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcap-floor FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcap-floor: %s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const unsigned char *data;
    unsigned long long packets = 0, bytes = 0, sum = 0;
    int r;
    while ((r = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->len;
        sum += data[0];
    }
    pcap_close(p);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%llu %llu %.3f\n", packets, bytes, secs);
    return sum == 0xffffffffffffffffULL; /* keeps the loop from being optimised away */
}
