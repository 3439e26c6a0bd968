/*
 * Parses the source/destination address and port fields of every rule in
 * ET Open (active and commented-out rules) with the variables of Suricata
 * 8's default suricata.yaml, and requires all to parse. Skipped when the
 * rule set is absent (ODLAR_ETOPEN_RULES overrides its folder;
 * /work/shared is test data, not part of the product).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "addr_test_util.h"

static const TestVar default_addr_vars[] = {
    { "HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" },
    { "EXTERNAL_NET", "!$HOME_NET" },
    { "HTTP_SERVERS", "$HOME_NET" },
    { "SMTP_SERVERS", "$HOME_NET" },
    { "SQL_SERVERS", "$HOME_NET" },
    { "DNS_SERVERS", "$HOME_NET" },
    { "TELNET_SERVERS", "$HOME_NET" },
    { "AIM_SERVERS", "$EXTERNAL_NET" },
    { "DC_SERVERS", "$HOME_NET" },
    { "DNP3_SERVER", "$HOME_NET" },
    { "DNP3_CLIENT", "$HOME_NET" },
    { "MODBUS_CLIENT", "$HOME_NET" },
    { "MODBUS_SERVER", "$HOME_NET" },
    { "ENIP_CLIENT", "$HOME_NET" },
    { "ENIP_SERVER", "$HOME_NET" },
    { NULL, NULL },
};

static const TestVar default_port_vars[] = {
    { "HTTP_PORTS", "80" },
    { "SHELLCODE_PORTS", "!80" },
    { "ORACLE_PORTS", "1521" },
    { "SSH_PORTS", "22" },
    { "DNP3_PORTS", "20000" },
    { "MODBUS_PORTS", "502" },
    { "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]" },
    { "FTP_PORTS", "21" },
    { "GENEVE_PORTS", "6081" },
    { "VXLAN_PORTS", "4789" },
    { "TEREDO_PORTS", "3544" },
    { "SIP_PORTS", "[5060, 5061]" },
    { NULL, NULL },
};

typedef struct Tally {
    long rules, fields, failed;
} Tally;

static bool is_action(const char *w, size_t n)
{
    static const char *const actions[] = { "alert", "drop", "pass", "reject", "rejectsrc", "rejectdst",
        "rejectboth", NULL };
    for (int i = 0; actions[i]; i++)
        if (strlen(actions[i]) == n && strncmp(actions[i], w, n) == 0)
            return true;
    return false;
}

/* Splits the rule header into whitespace-separated tokens, keeping
 * bracketed lists (which may contain spaces) whole; stops at '('. */
static int header_tokens(const char *p, char tok[7][4096])
{
    int n = 0;
    while (n < 7) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '(' || *p == '\n')
            break;
        size_t len = 0;
        int depth = 0;
        while (*p && *p != '\n' && (depth > 0 || (*p != ' ' && *p != '\t' && *p != '('))) {
            if (*p == '[')
                depth++;
            else if (*p == ']')
                depth--;
            if (len + 1 < 4096)
                tok[n][len++] = *p;
            p++;
        }
        tok[n][len] = '\0';
        n++;
    }
    return n;
}

static void check_line(const char *line, const char *file, Tally *t)
{
    char tok[7][4096];
    if (header_tokens(line, tok) < 7)
        return;
    t->rules++;
    const int addr_idx[2] = { 2, 5 }, port_idx[2] = { 3, 6 };
    char err[256];
    for (int i = 0; i < 2; i++) {
        AddressSet *a = address_set_parse(tok[addr_idx[i]], test_var_lookup, (void *)default_addr_vars, err,
            sizeof(err));
        t->fields++;
        if (a == NULL) {
            if (t->failed++ < 10)
                print_message("%s: address '%.80s': %s\n", file, tok[addr_idx[i]], err);
        }
        address_set_free(a);
        PortSet *p = port_set_parse(tok[port_idx[i]], test_var_lookup, (void *)default_port_vars, err,
            sizeof(err));
        t->fields++;
        if (p == NULL) {
            if (t->failed++ < 10)
                print_message("%s: port '%.80s': %s\n", file, tok[port_idx[i]], err);
        }
        port_set_free(p);
    }
}

static void test_etopen_headers(void **state)
{
    (void)state;
    const char *root = getenv("ODLAR_ETOPEN_RULES");
    if (!root)
        root = "/work/shared/rules/et-open";
    DIR *d = opendir(root);
    if (d == NULL)
        skip();
    Tally active = { 0, 0, 0 }, commented = { 0, 0, 0 };
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 7 || strcmp(de->d_name + nl - 6, ".rules") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char *buf = NULL;
        size_t bcap = 0;
        ssize_t got;
        while ((got = getline(&buf, &bcap, f)) > 0) {
            const char *p = buf;
            bool is_comment = false;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p == '#') {
                is_comment = true;
                while (*p == '#' || *p == ' ' || *p == '\t')
                    p++;
            }
            size_t w = 0;
            while (isalpha((unsigned char)p[w]))
                w++;
            if (w == 0 || !is_action(p, w) || (p[w] != ' ' && p[w] != '\t'))
                continue;
            check_line(p, de->d_name, is_comment ? &commented : &active);
        }
        free(buf);
        fclose(f);
    }
    closedir(d);
    print_message("ET Open active rules: %ld, fields: %ld, failed: %ld\n", active.rules, active.fields,
        active.failed);
    print_message("ET Open commented-out rules: %ld, fields: %ld, failed: %ld\n", commented.rules,
        commented.fields, commented.failed);
    assert_true(active.rules > 1000);
    assert_int_equal(active.failed, 0);
    assert_int_equal(commented.failed, 0);
}

int run_etopen_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etopen_headers),
    };
    return cmocka_run_group_tests_name("etopen", tests, NULL, NULL);
}
