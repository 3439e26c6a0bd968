/*
 * Unit tests for the configuration tree (src/conf): YAML reading with
 * Suricata's rules, includes, laying a file over the defaults, --set, the
 * typed getters and their error reports, the built-in defaults and
 * --dump-config output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/log.h"

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/odlar-conf-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to tmpdir/name (creating sub-folders named in it) and returns the path. */
static const char *write_file(const char *name, const char *text)
{
    static char path[8][512];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    for (char *slash = strchr(p + strlen(tmpdir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(p, 0700);
        *slash = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static Conf *load(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[512];
    bool ok = conf_load_string(c, yaml, "<test>", err, sizeof(err));
    if (!ok)
        fail_msg("load failed: %s", err);
    return c;
}

static const char *val(Conf *c, const char *key)
{
    ConfNode *n = conf_node(c, key);
    return n ? n->value : NULL;
}

/* Captures what the code under test writes on the console (od_error on
 * stderr, od_warn on stdout) into one file. */
static int saved_stderr = -1, saved_stdout = -1;
static FILE *captured;

static void capture_begin(void)
{
    fflush(stderr);
    fflush(stdout);
    captured = tmpfile();
    assert_non_null(captured);
    saved_stderr = dup(2);
    saved_stdout = dup(1);
    dup2(fileno(captured), 2);
    dup2(fileno(captured), 1);
}

static char *capture_end(void)
{
    static char buf[8192];
    fflush(stderr);
    fflush(stdout);
    dup2(saved_stderr, 2);
    dup2(saved_stdout, 1);
    close(saved_stderr);
    close(saved_stdout);
    rewind(captured);
    size_t n = fread(buf, 1, sizeof(buf) - 1, captured);
    buf[n] = '\0';
    fclose(captured);
    return buf;
}

static char *dump_to_string(Conf *c)
{
    static char buf[1 << 16];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    conf_dump(c, f);
    fclose(f);
    return buf;
}

/* ---- YAML reading ----------------------------------------------------- */

static void test_load_string_basic(void **state)
{
    (void)state;
    Conf *c = load("%YAML 1.1\n"
                   "---\n"
                   "default-log-dir: /tmp\n"
                   "stream:\n"
                   "  memcap: 64mb\n"
                   "  reassembly:\n"
                   "    depth: 1mb\n");
    assert_string_equal(val(c, "default-log-dir"), "/tmp");
    assert_string_equal(val(c, "stream.memcap"), "64mb");
    assert_string_equal(val(c, "stream.reassembly.depth"), "1mb");
    assert_null(val(c, "stream"));
    assert_null(conf_node(c, "stream.nothere"));
    ConfNode *n = conf_node(c, "stream.reassembly.depth");
    assert_string_equal(n->file, "<test>");
    assert_int_equal(n->line, 7);
    assert_string_equal(n->parent->name, "reassembly");
    assert_ptr_equal(conf_node_lookup(conf_node(c, "stream"), "reassembly.depth"), n);
    assert_ptr_equal(conf_node_child(conf_node(c, "stream"), "memcap"), conf_node(c, "stream.memcap"));
    char path[128];
    conf_node_path(n, path, sizeof(path));
    assert_string_equal(path, "stream.reassembly.depth");
    conf_free(c);
}

static void test_yaml_header(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_empty();
    /* Strings may leave the header out; files may not (Suricata refuses them). */
    assert_true(conf_load_string(c, "a: 1\n", "s", err, sizeof(err)));
    assert_string_equal(val(c, "a"), "1");
    const char *nohdr = write_file("nohdr.yaml", "a: 2\n");
    assert_false(conf_load_file(c, nohdr, err, sizeof(err)));
    assert_non_null(strstr(err, nohdr));
    assert_non_null(strstr(err, "%YAML 1.1"));
    assert_string_equal(val(c, "a"), "1"); /* unchanged */
    const char *good = write_file("good.yaml", "%YAML 1.1\n---\na: 3\n");
    assert_true(conf_load_file(c, good, err, sizeof(err)));
    assert_string_equal(val(c, "a"), "3");
    assert_false(conf_load_string(c, "%YAML 1.2\n---\na: 4\n", "v12", err, sizeof(err)));
    assert_non_null(strstr(err, "1.2"));
    assert_string_equal(val(c, "a"), "3");
    /* An empty document and an empty text are fine. */
    assert_true(conf_load_string(c, "%YAML 1.1\n---\n", "empty", err, sizeof(err)));
    assert_true(conf_load_string(c, "", "empty", err, sizeof(err)));
    assert_string_equal(val(c, "a"), "3");
    conf_free(c);
}

static void test_malformed_yaml(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_empty();
    const char *bad = write_file("bad.yaml", "%YAML 1.1\n---\nstream:\n  memcap: 1\n bad: [unclosed\n");
    assert_false(conf_load_file(c, bad, err, sizeof(err)));
    char want[600];
    snprintf(want, sizeof(want), "%s:5:", bad);
    if (!strstr(err, want))
        fail_msg("error does not name %s: %s", want, err);
    /* Nothing of the failed file is kept. */
    assert_null(conf_node(c, "stream"));
    assert_false(conf_load_string(c, "a: [1, 2\n", "str", err, sizeof(err)));
    assert_non_null(strstr(err, "str:"));
    assert_false(conf_load_string(c, "- a\n- b\n", "seq", err, sizeof(err)));
    assert_non_null(strstr(err, "mapping"));
    assert_false(conf_load_file(c, "/nonexistent/odlar.yaml", err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent/odlar.yaml"));
    assert_false(conf_load_file(c, tmpdir, err, sizeof(err)));
    assert_non_null(strstr(err, "directory"));
    conf_free(c);
}

static void test_sequences(void **state)
{
    (void)state;
    Conf *c = load("rule-files:\n"
                   "  - netbios.rules\n"
                   "  - x11.rules\n"
                   "outputs:\n"
                   "  - fast:\n"
                   "      enabled: yes\n"
                   "  - eve-log:\n"
                   "      enabled: no\n"
                   "      types:\n"
                   "        - alert:\n"
                   "            tagged-packets: yes\n"
                   "        - flow\n"
                   "af_packet:\n"
                   "  - interface: eth0\n"
                   "    cluster_type: cluster_flow\n"
                   "flat: [a, b, c]\n"
                   "nested:\n"
                   "  - [x, y]\n");
    ConfNode *rf = conf_node(c, "rule-files");
    assert_true(rf->is_seq);
    assert_string_equal(rf->first_child->name, "0");
    assert_string_equal(rf->first_child->value, "netbios.rules");
    assert_false(rf->first_child->is_seq);
    assert_string_equal(val(c, "rule-files.1"), "x11.rules");
    assert_null(conf_node(c, "rule-files.2"));
    /* A mapping item carries its first key as value (Suricata's shape). */
    assert_string_equal(val(c, "outputs.0"), "fast");
    assert_string_equal(val(c, "outputs.1"), "eve-log");
    assert_false(conf_node(c, "outputs.1")->is_seq);
    assert_string_equal(val(c, "outputs.1.eve-log.enabled"), "no");
    assert_string_equal(val(c, "outputs.1.eve-log.types.0"), "alert");
    assert_string_equal(val(c, "outputs.1.eve-log.types.0.alert.tagged-packets"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.1"), "flow");
    assert_null(conf_node(c, "outputs.1.eve-log.types.1")->first_child);
    /* '_' becomes '-', in keys and in the item's value. */
    assert_string_equal(val(c, "af-packet.0"), "interface");
    assert_string_equal(val(c, "af-packet.0.cluster-type"), "cluster_flow");
    assert_null(conf_node(c, "af_packet"));
    assert_string_equal(val(c, "flat.2"), "c");
    assert_true(conf_node(c, "nested.0")->is_seq);
    assert_string_equal(val(c, "nested.0.1"), "y");
    conf_free(c);
}

static void test_null_values(void **state)
{
    (void)state;
    Conf *c = load("quoted-tilde: \"~\"\n"
                   "unquoted-tilde: ~\n"
                   "quoted-null: \"null\"\n"
                   "unquoted-null: null\n"
                   "unquoted-Null: Null\n"
                   "unquoted-NULL: NULL\n"
                   "empty-quoted: \"\"\n"
                   "empty-unquoted:\n"
                   "list: [\"null\", null, ~, x]\n");
    assert_string_equal(val(c, "quoted-tilde"), "~");
    assert_null(val(c, "unquoted-tilde"));
    assert_non_null(conf_node(c, "unquoted-tilde"));
    assert_string_equal(val(c, "quoted-null"), "null");
    assert_null(val(c, "unquoted-null"));
    assert_null(val(c, "unquoted-Null"));
    assert_null(val(c, "unquoted-NULL"));
    assert_string_equal(val(c, "empty-quoted"), "");
    assert_null(val(c, "empty-unquoted"));
    assert_string_equal(val(c, "list.0"), "null");
    assert_null(val(c, "list.1"));
    assert_null(val(c, "list.2"));
    assert_string_equal(val(c, "list.3"), "x");
    /* A null value reads as absent, without an error. */
    const char *s = "untouched";
    assert_false(conf_get_str(c, "unquoted-null", &s));
    assert_string_equal(s, "untouched");
    bool b = true;
    assert_false(conf_get_bool(c, "empty-unquoted", &b));
    assert_int_equal(conf_errors(c), 0);
    conf_free(c);
}

static void test_mangle_and_groups(void **state)
{
    (void)state;
    capture_begin();
    Conf *c = load("vars:\n"
                   "  address-groups:\n"
                   "    HOME_NET: \"[10.0.0.0/8]\"\n"
                   "  port-groups:\n"
                   "    HTTP_PORTS: \"80\"\n"
                   "max_pending_packets: 1024\n");
    char *out = capture_end();
    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "[10.0.0.0/8]");
    assert_string_equal(val(c, "vars.port-groups.HTTP_PORTS"), "80");
    assert_string_equal(val(c, "max-pending-packets"), "1024");
    assert_non_null(strstr(out, "max_pending_packets"));
    assert_non_null(strstr(out, "deprecated"));
    assert_null(strstr(out, "HOME_NET"));
    conf_free(c);
}

static void test_redefinition_in_one_file(void **state)
{
    (void)state;
    /* Suricata's ConfYamlOverrideTest: a repeated key replaces its earlier
     * subtree; a dotted key reaches in without replacing. */
    Conf *c = load("%YAML 1.1\n"
                   "---\n"
                   "some-log-dir: /var/log\n"
                   "some-log-dir: /tmp\n"
                   "parent:\n"
                   "  child0:\n"
                   "    key: value\n"
                   "parent:\n"
                   "  child1:\n"
                   "    key: value\n"
                   "vars:\n"
                   "  address-groups:\n"
                   "    HOME_NET: \"[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]\"\n"
                   "    EXTERNAL_NET: any\n"
                   "vars.address-groups.HOME_NET: \"10.10.10.10/32\"\n");
    assert_string_equal(val(c, "some-log-dir"), "/tmp");
    assert_null(conf_node(c, "parent.child0"));
    assert_string_equal(val(c, "parent.child1.key"), "value");
    ConfNode *groups = conf_node(c, "vars.address-groups");
    assert_ptr_equal(conf_node(c, "vars.address-groups.HOME_NET")->parent, groups);
    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "10.10.10.10/32");
    assert_string_equal(val(c, "vars.address-groups.EXTERNAL_NET"), "any");
    /* Only one HOME_NET node. */
    int count = 0;
    for (ConfNode *n = groups->first_child; n; n = n->next)
        count += strcmp(n->name, "HOME_NET") == 0;
    assert_int_equal(count, 1);
    conf_free(c);
}

/* ---- includes --------------------------------------------------------- */

static void test_includes(void **state)
{
    (void)state;
    char err[512];
    write_file("inc/overrides.yaml", "%YAML 1.1\n---\n"
                                     "vars.address-groups.HOME_NET: \"10.10.10.10/32\"\n"
                                     "vars.port-groups.FTP_PORTS: \"[21,2121]\"\n");
    write_file("inc/af-packet.yaml", "%YAML 1.1\n---\n"
                                     "af-packet:\n"
                                     "  - interface: enp10s0\n"
                                     "    cluster-id: 99\n");
    write_file("inc/sub/host.yaml", "%YAML 1.1\n---\nhost-mode: auto\nunix-command:\n  enabled: no\n");
    const char *top = write_file("inc/suricata.yaml", "%YAML 1.1\n---\n"
                                                      "vars:\n"
                                                      "  address-groups:\n"
                                                      "    HOME_NET: \"[192.168.0.0/16]\"\n"
                                                      "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                                      "include: overrides.yaml\n"
                                                      "include:\n"
                                                      "  - ./af-packet.yaml\n"
                                                      "foobar:\n"
                                                      "  include:\n"
                                                      "    - ./af-packet.yaml\n"
                                                      "mapping: !include sub/host.yaml\n");
    Conf *c = conf_new_empty();
    if (!conf_load_file(c, top, err, sizeof(err)))
        fail_msg("%s", err);
    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "10.10.10.10/32");
    assert_string_equal(val(c, "vars.address-groups.EXTERNAL_NET"), "!$HOME_NET");
    assert_string_equal(val(c, "vars.port-groups.FTP_PORTS"), "[21,2121]");
    assert_string_equal(val(c, "af-packet.0"), "interface");
    assert_string_equal(val(c, "af-packet.0.interface"), "enp10s0");
    assert_string_equal(val(c, "foobar.af-packet.0.interface"), "enp10s0");
    assert_string_equal(val(c, "mapping.host-mode"), "auto");
    assert_string_equal(val(c, "mapping.unix-command.enabled"), "no");
    assert_null(conf_node(c, "include"));
    assert_null(conf_node(c, "host-mode"));
    /* Nodes remember the included file they came from. */
    ConfNode *n = conf_node(c, "af-packet.0.cluster-id");
    assert_non_null(strstr(n->file, "af-packet.yaml"));
    assert_int_equal(n->line, 5);
    conf_free(c);
}

static void test_include_nested_relative(void **state)
{
    (void)state;
    char err[512];
    /* An include inside an included file: Suricata resolves it beside the
     * top-level file; beside the including file works too. */
    write_file("nest/a/level2.yaml", "%YAML 1.1\n---\nfrom-level2: yes\n");
    write_file("nest/a/level1.yaml", "%YAML 1.1\n---\ninclude: level2.yaml\nfrom-level1: yes\n");
    write_file("nest/top-level.yaml", "%YAML 1.1\n---\nfrom-top-dir: yes\n");
    write_file("nest/a/level1b.yaml", "%YAML 1.1\n---\ninclude: top-level.yaml\n");
    const char *top = write_file("nest/main.yaml", "%YAML 1.1\n---\ninclude: [a/level1.yaml, a/level1b.yaml]\n");
    Conf *c = conf_new_empty();
    if (!conf_load_file(c, top, err, sizeof(err)))
        fail_msg("%s", err);
    assert_string_equal(val(c, "from-level1"), "yes");
    assert_string_equal(val(c, "from-level2"), "yes");
    assert_string_equal(val(c, "from-top-dir"), "yes");
    conf_free(c);
}

static void test_include_errors(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_empty();
    const char *top = write_file("ierr/main.yaml", "%YAML 1.1\n---\na: 1\ninclude: missing-file.yaml\n");
    assert_false(conf_load_file(c, top, err, sizeof(err)));
    assert_non_null(strstr(err, "missing-file.yaml"));
    assert_non_null(strstr(err, "main.yaml:4"));
    assert_null(conf_node(c, "a"));

    const char *loop = write_file("ierr/loop.yaml", "%YAML 1.1\n---\ninclude: loop.yaml\n");
    assert_false(conf_load_file(c, loop, err, sizeof(err)));
    assert_non_null(strstr(err, "loop"));

    const char *map = write_file("ierr/map.yaml", "%YAML 1.1\n---\ninclude:\n  x: y\n");
    assert_false(conf_load_file(c, map, err, sizeof(err)));
    assert_non_null(strstr(err, "mapping"));

    /* An included file needs the header too. */
    write_file("ierr/nohdr.yaml", "b: 2\n");
    const char *inc = write_file("ierr/inc-nohdr.yaml", "%YAML 1.1\n---\ninclude: nohdr.yaml\n");
    assert_false(conf_load_file(c, inc, err, sizeof(err)));
    assert_non_null(strstr(err, "nohdr.yaml"));

    /* A syntax error inside an include names the included file and line. */
    write_file("ierr/broken.yaml", "%YAML 1.1\n---\nx: [1,\n");
    const char *inc2 = write_file("ierr/inc-broken.yaml", "%YAML 1.1\n---\ninclude: broken.yaml\n");
    assert_false(conf_load_file(c, inc2, err, sizeof(err)));
    assert_non_null(strstr(err, "broken.yaml:"));

    /* Includes can be turned off for untrusted text. */
    conf_allow_includes(c, false);
    char text[600];
    snprintf(text, sizeof(text), "include: %s/ierr/nohdr.yaml\n", tmpdir);
    assert_false(conf_load_string(c, text, "untrusted", err, sizeof(err)));
    assert_non_null(strstr(err, "not allowed"));
    assert_null(conf_node(c, "b"));
    conf_free(c);
}

/* ---- laying a file over the defaults ---------------------------------- */

static void test_override_semantics(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    assert_true(conf_load_string(c,
                                 "%YAML 1.1\n---\n"
                                 "stream:\n"
                                 "  midstream: true\n"
                                 "  reassembly:\n"
                                 "    depth: 2mb\n"
                                 "outputs:\n"
                                 "  - eve-log:\n"
                                 "      enabled: yes\n"
                                 "      types:\n"
                                 "        - alert\n"
                                 "rule-files:\n"
                                 "decoder:\n"
                                 "  teredo: off\n"
                                 "app-layer:\n",
                                 "user.yaml", err, sizeof(err)));
    /* Mappings merge: the other stream defaults stay. */
    assert_string_equal(val(c, "stream.midstream"), "true");
    assert_string_equal(val(c, "stream.memcap"), "64 MiB");
    assert_string_equal(val(c, "stream.reassembly.depth"), "2mb");
    assert_string_equal(val(c, "stream.reassembly.memcap"), "256 MiB");
    assert_string_equal(conf_node(c, "stream.reassembly.depth")->file, "user.yaml");
    assert_string_equal(conf_node(c, "stream.memcap")->file, "<default>");
    /* A sequence replaces the earlier one whole. */
    assert_string_equal(val(c, "outputs.0"), "eve-log");
    assert_null(conf_node(c, "outputs.1"));
    assert_null(conf_node(c, "outputs.0.fast"));
    assert_string_equal(val(c, "outputs.0.eve-log.types.0"), "alert");
    assert_null(conf_node(c, "outputs.0.eve-log.types.1"));
    assert_null(conf_node(c, "outputs.0.eve-log.filename"));
    /* A null value empties a sequence but keeps a mapping. */
    assert_non_null(conf_node(c, "rule-files"));
    assert_null(conf_node(c, "rule-files")->first_child);
    assert_string_equal(val(c, "app-layer.protocols.http.enabled"), "yes");
    /* A scalar replaces a mapping, children included. */
    assert_string_equal(val(c, "decoder.teredo"), "off");
    assert_null(conf_node(c, "decoder.teredo.ports"));
    assert_string_equal(val(c, "decoder.vxlan.enabled"), "true");
    conf_free(c);
}

static void test_override_dotted_reaches_into_sequence(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_defaults();
    assert_true(conf_load_string(c,
                                 "outputs.1.eve-log.enabled: no\n"
                                 "vars.address-groups.HOME_NET: \"[10.0.0.0/8]\"\n",
                                 "user", err, sizeof(err)));
    assert_string_equal(val(c, "outputs.0"), "fast");
    assert_string_equal(val(c, "outputs.1"), "eve-log");
    assert_string_equal(val(c, "outputs.1.eve-log.enabled"), "no");
    assert_string_equal(val(c, "outputs.1.eve-log.filename"), "eve.json");
    assert_true(conf_node(c, "outputs")->is_seq);
    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "[10.0.0.0/8]");
    assert_string_equal(val(c, "vars.address-groups.EXTERNAL_NET"), "!$HOME_NET");
    conf_free(c);
}

static void test_two_files_layered(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_empty();
    assert_true(conf_load_string(c, "a:\n  x: 1\n  y: 2\nl: [1, 2, 3]\ns: old\n", "first", err, sizeof(err)));
    assert_true(conf_load_string(c, "a:\n  y: 3\n  z: 4\nl: [9]\ns: new\n", "second", err, sizeof(err)));
    assert_string_equal(val(c, "a.x"), "1");
    assert_string_equal(val(c, "a.y"), "3");
    assert_string_equal(val(c, "a.z"), "4");
    assert_string_equal(val(c, "l.0"), "9");
    assert_null(conf_node(c, "l.1"));
    assert_string_equal(val(c, "s"), "new");
    /* a failed load leaves everything as it was */
    assert_false(conf_load_string(c, "a:\n  y: 5\nbroken: [\n", "third", err, sizeof(err)));
    assert_string_equal(val(c, "a.y"), "3");
    conf_free(c);
}

/* ---- --set ------------------------------------------------------------ */

static void test_set(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_new_defaults();
    /* a new key, with intermediate nodes */
    assert_true(conf_set(c, "foo.bar.baz=1", err, sizeof(err)));
    assert_string_equal(val(c, "foo.bar.baz"), "1");
    assert_string_equal(conf_node(c, "foo.bar.baz")->file, "<command line>");
    /* an override */
    assert_true(conf_set(c, "stream.midstream=true", err, sizeof(err)));
    assert_true(conf_set(c, "flow-timeouts.tcp.established=42", err, sizeof(err)));
    int64_t v = 0;
    assert_true(conf_get_int(c, "flow-timeouts.tcp.established", &v));
    assert_int_equal(v, 42);
    /* a sequence item */
    assert_true(conf_set(c, "outputs.1.eve-log.types.0=flow", err, sizeof(err)));
    assert_string_equal(val(c, "outputs.1.eve-log.types.0"), "flow");
    assert_non_null(conf_node(c, "outputs.1.eve-log.types.0.alert")); /* children stay */
    assert_true(conf_set(c, "rule-files.1=more.rules", err, sizeof(err)));
    assert_string_equal(val(c, "rule-files.1"), "more.rules");
    assert_string_equal(val(c, "rule-files.0"), "suricata.rules");
    /* a value holding '=' keeps everything after the first one; spaces trimmed */
    assert_true(conf_set(c, "vars.address-groups.X = a=b=c", err, sizeof(err)));
    assert_string_equal(val(c, "vars.address-groups.X"), "a=b=c");
    assert_true(conf_set(c, "empty=", err, sizeof(err)));
    assert_string_equal(val(c, "empty"), "");
    /* errors */
    err[0] = '\0';
    assert_false(conf_set(c, "stream.midstream", err, sizeof(err)));
    assert_non_null(strstr(err, "missing '='"));
    assert_non_null(strstr(err, "stream.midstream"));
    assert_false(conf_set(c, "=x", err, sizeof(err)));
    assert_false(conf_set(c, "a..b=x", err, sizeof(err)));
    assert_null(conf_node(c, "a"));
    conf_set_value(c, "default-log-dir", "/out", "<command line -l>");
    assert_string_equal(val(c, "default-log-dir"), "/out");
    assert_string_equal(conf_node(c, "default-log-dir")->file, "<command line -l>");
    conf_free(c);
}

/* ---- typed getters ---------------------------------------------------- */

static void test_get_bool(void **state)
{
    (void)state;
    Conf *c = load("t1: 1\nt2: yes\nt3: TRUE\nt4: On\nf1: 0\nf2: no\nf3: False\nf4: OFF\n"
                   "bad: enabled\nmap:\n  x: 1\n");
    const char *trues[] = { "t1", "t2", "t3", "t4" };
    const char *falses[] = { "f1", "f2", "f3", "f4" };
    for (int i = 0; i < 4; i++) {
        bool b = false;
        assert_true(conf_get_bool(c, trues[i], &b));
        assert_true(b);
        b = true;
        assert_true(conf_get_bool(c, falses[i], &b));
        assert_false(b);
    }
    bool b = true;
    assert_false(conf_get_bool(c, "absent", &b));
    assert_true(b);
    assert_int_equal(conf_errors(c), 0);

    capture_begin();
    bool bad = conf_get_bool(c, "bad", &b);
    char *out = capture_end();
    assert_false(bad);
    assert_true(b);
    assert_non_null(strstr(out, "config: bad: expected boolean, got 'enabled' (<test>:9)"));
    assert_int_equal(conf_errors(c), 1);

    capture_begin();
    bad = conf_node_get_bool(conf_root(c), "map", &b);
    out = capture_end();
    assert_false(bad);
    assert_non_null(strstr(out, "config: map: expected boolean, got a mapping (<test>:10)"));
    assert_int_equal(conf_errors(c), 2);

    bool pb;
    assert_true(conf_parse_bool("YES", &pb) && pb);
    assert_false(conf_parse_bool("enable", &pb));
    assert_false(conf_parse_bool("", &pb));
    assert_false(conf_parse_bool(NULL, &pb));
    conf_free(c);
}

static void test_get_int(void **state)
{
    (void)state;
    Conf *c = load("a: 42\nb: -7\nc: 0x10\nd: +5\ne: 12abc\nf: 1.5\ng: \"\"\nh: 99999999999999999999\n"
                   "seq: [1]\n");
    int64_t v = 0;
    assert_true(conf_get_int(c, "a", &v));
    assert_int_equal(v, 42);
    assert_true(conf_get_int(c, "b", &v));
    assert_int_equal(v, -7);
    assert_true(conf_get_int(c, "c", &v));
    assert_int_equal(v, 16);
    assert_true(conf_get_int(c, "d", &v));
    assert_int_equal(v, 5);
    v = 123;
    capture_begin();
    assert_false(conf_get_int(c, "e", &v));
    assert_false(conf_get_int(c, "f", &v));
    assert_false(conf_get_int(c, "g", &v));
    assert_false(conf_get_int(c, "h", &v));
    assert_false(conf_get_int(c, "seq", &v));
    char *out = capture_end();
    assert_int_equal(v, 123);
    assert_non_null(strstr(out, "config: e: expected integer, got '12abc' (<test>:5)"));
    assert_non_null(strstr(out, "config: f: expected integer, got '1.5' (<test>:6)"));
    assert_non_null(strstr(out, "config: seq: expected integer, got a sequence (<test>:9)"));
    assert_int_equal(conf_errors(c), 5);
    /* node-relative getters count against the same tree */
    ConfNode *root = conf_root(c);
    capture_begin();
    assert_false(conf_node_get_int(root, "e", &v));
    capture_end();
    assert_int_equal(conf_errors(c), 6);
    conf_free(c);
}

static void test_get_size(void **state)
{
    (void)state;
    struct {
        const char *text;
        bool ok;
        uint64_t want;
    } cases[] = {
        { "100", true, 100 },
        { "1kb", true, 1024 },
        { "1KB", true, 1024 },
        { "10Kb", true, 10240 },
        { "64mb", true, 64ull << 20 },
        { "1gb", true, 1ull << 30 },
        { "10gb", true, 10ull << 30 },
        { "1 KiB", true, 1024 },
        { "32 MiB", true, 32ull << 20 },
        { "2GiB", true, 2ull << 30 },
        { " 10 mb ", true, 10ull << 20 },
        { "1.5kb", true, 1536 },
        { "10.5", true, 10 },
        { "0", true, 0 },
        { "1k", false, 0 },
        { "1tb", false, 0 },
        { "1KIB", false, 0 },
        { "1mib", false, 0 },
        { "-1", false, 0 },
        { "mb", false, 0 },
        { "", false, 0 },
        { "1 2 3", false, 0 },
        { "1kbb", false, 0 },
        { "99999999999gb", false, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t v = 77;
        bool ok = conf_parse_size(cases[i].text, &v);
        if (ok != cases[i].ok)
            fail_msg("'%s': expected %s", cases[i].text, cases[i].ok ? "success" : "failure");
        if (ok && v != cases[i].want)
            fail_msg("'%s': got %llu want %llu", cases[i].text, (unsigned long long)v,
                     (unsigned long long)cases[i].want);
        if (!ok)
            assert_int_equal(v, 77);
    }
    Conf *c = load("memcap: 64mb\nbad: 12 parsecs\n");
    uint64_t v = 0;
    assert_true(conf_get_size(c, "memcap", &v));
    assert_int_equal(v, 64ull << 20);
    capture_begin();
    assert_false(conf_get_size(c, "bad", &v));
    char *out = capture_end();
    assert_non_null(strstr(out, "config: bad: expected size, got '12 parsecs' (<test>:2)"));
    assert_int_equal(conf_errors(c), 1);
    conf_free(c);
}

static void test_get_str(void **state)
{
    (void)state;
    Conf *c = load("s: hello\nm:\n  k: v\nitems:\n  - eve-log:\n      x: 1\n");
    const char *s = NULL;
    assert_true(conf_get_str(c, "s", &s));
    assert_string_equal(s, "hello");
    assert_true(conf_node_get_str(conf_node(c, "m"), "k", &s));
    assert_string_equal(s, "v");
    assert_true(conf_get_str(c, "items.0", &s));
    assert_string_equal(s, "eve-log");
    s = "same";
    assert_false(conf_get_str(c, "nope", &s));
    assert_string_equal(s, "same");
    capture_begin();
    assert_false(conf_get_str(c, "m", &s));
    char *out = capture_end();
    assert_non_null(strstr(out, "config: m: expected string, got a mapping"));
    assert_int_equal(conf_errors(c), 1);
    conf_free(c);
}

static void test_command_line_origin_in_errors(void **state)
{
    (void)state;
    char err[256];
    Conf *c = conf_new_empty();
    assert_true(conf_set(c, "detect.profile.x=notanumber", err, sizeof(err)));
    int64_t v;
    capture_begin();
    assert_false(conf_get_int(c, "detect.profile.x", &v));
    char *out = capture_end();
    assert_non_null(strstr(out, "config: detect.profile.x: expected integer, got 'notanumber' (<command line>)"));
    conf_free(c);
}

/* ---- defaults --------------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    int64_t i = 0;
    uint64_t sz = 0;
    bool b = false;
    const char *s = NULL;

    assert_true(conf_get_int(c, "flow-timeouts.tcp.established", &i));
    assert_int_equal(i, 600);
    assert_true(conf_get_int(c, "flow-timeouts.tcp.new", &i));
    assert_int_equal(i, 60);
    assert_true(conf_get_int(c, "flow-timeouts.tcp.emergency-new", &i));
    assert_int_equal(i, 5);
    assert_true(conf_get_int(c, "flow-timeouts.udp.established", &i));
    assert_int_equal(i, 300);
    assert_null(conf_node(c, "flow-timeouts.udp.closed"));
    assert_true(conf_get_int(c, "flow-timeouts.default.bypassed", &i));
    assert_int_equal(i, 100);

    assert_true(conf_get_size(c, "stream.memcap", &sz));
    assert_int_equal(sz, 64ull << 20);
    assert_true(conf_get_size(c, "stream.reassembly.memcap", &sz));
    assert_int_equal(sz, 256ull << 20);
    assert_true(conf_get_size(c, "stream.reassembly.depth", &sz));
    assert_int_equal(sz, 1ull << 20);
    assert_true(conf_get_size(c, "stream.reassembly.toserver-chunk-size", &sz));
    assert_int_equal(sz, 2560);
    assert_true(conf_get_bool(c, "stream.reassembly.randomize-chunk-size", &b));
    assert_true(b);
    assert_true(conf_get_bool(c, "stream.checksum-validation", &b));
    assert_true(b);
    assert_true(conf_get_str(c, "stream.inline", &s));
    assert_string_equal(s, "auto");
    assert_null(conf_node(c, "stream.midstream")); /* commented out upstream */

    assert_true(conf_get_size(c, "flow.memcap", &sz));
    assert_int_equal(sz, 128ull << 20);
    assert_true(conf_get_int(c, "flow.hash-size", &i));
    assert_int_equal(i, 65536);
    assert_true(conf_get_int(c, "flow.prealloc", &i));
    assert_int_equal(i, 10000);
    assert_true(conf_get_int(c, "flow.emergency-recovery", &i));
    assert_int_equal(i, 30);

    assert_true(conf_get_size(c, "defrag.memcap", &sz));
    assert_int_equal(sz, 32ull << 20);
    assert_true(conf_get_int(c, "defrag.trackers", &i));
    assert_int_equal(i, 65535);
    assert_true(conf_get_int(c, "defrag.max-frags", &i));
    assert_int_equal(i, 65535);
    assert_true(conf_get_int(c, "defrag.timeout", &i));
    assert_int_equal(i, 60);
    assert_true(conf_get_bool(c, "defrag.prealloc", &b));
    assert_true(b);

    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
    assert_string_equal(val(c, "vars.address-groups.EXTERNAL_NET"), "!$HOME_NET");
    assert_string_equal(val(c, "vars.address-groups.AIM_SERVERS"), "$EXTERNAL_NET");
    assert_string_equal(val(c, "vars.port-groups.HTTP_PORTS"), "80");
    assert_string_equal(val(c, "vars.port-groups.SHELLCODE_PORTS"), "!80");
    assert_string_equal(val(c, "vars.port-groups.FILE_DATA_PORTS"), "[$HTTP_PORTS,110,143]");
    assert_string_equal(val(c, "vars.port-groups.TEREDO_PORTS"), "3544");
    assert_string_equal(val(c, "vars.port-groups.SIP_PORTS"), "[5060, 5061]");

    assert_true(conf_get_bool(c, "stats.enabled", &b));
    assert_true(b);
    assert_true(conf_get_int(c, "stats.interval", &i));
    assert_int_equal(i, 8);
    assert_null(conf_node(c, "stats.decoder-events"));

    /* outputs, in upstream's order and shape */
    const char *outputs[] = { "fast", "eve-log", "tls-store", "pcap-log", "alert-debug",
                              "stats", "file-store", "tcp-data", "http-body-data", "lua" };
    ConfNode *o = conf_node(c, "outputs")->first_child;
    for (size_t k = 0; k < sizeof(outputs) / sizeof(outputs[0]); k++, o = o->next) {
        assert_non_null(o);
        assert_string_equal(o->value, outputs[k]);
        assert_non_null(conf_node_child(o, outputs[k]));
    }
    assert_null(o);
    assert_string_equal(val(c, "outputs.0.fast.filename"), "fast.log");
    assert_string_equal(val(c, "outputs.1.eve-log.enabled"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.filetype"), "regular");
    assert_string_equal(val(c, "outputs.1.eve-log.filename"), "eve.json");
    assert_string_equal(val(c, "outputs.1.eve-log.community-id-seed"), "0");
    assert_string_equal(val(c, "outputs.1.eve-log.xff.enabled"), "no");
    const char *types[] = { "alert", "frame", "anomaly", "http", "dns", "mdns", "tls", "files", "smtp",
                            "websocket", "ftp", "rdp", "nfs", "smb", "tftp", "ike", "dcerpc", "krb5",
                            "bittorrent-dht", "snmp", "rfb", "sip", "quic", "ldap", "pop3", "arp", "dhcp",
                            "ssh", "mqtt", "http2", "doh2", "pgsql", "stats", "flow" };
    ConfNode *t = conf_node(c, "outputs.1.eve-log.types")->first_child;
    for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++, t = t->next) {
        assert_non_null(t);
        assert_string_equal(t->value, types[k]);
    }
    assert_null(t);
    assert_string_equal(val(c, "outputs.1.eve-log.types.0.alert.tagged-packets"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.2.anomaly.enabled"), "yes");
    assert_non_null(conf_node(c, "outputs.1.eve-log.types.2.anomaly.types"));
    assert_string_equal(val(c, "outputs.1.eve-log.types.3.http.extended"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.32.stats.totals"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.32.stats.threads"), "no");
    assert_string_equal(val(c, "outputs.1.eve-log.types.32.stats.deltas"), "no");
    assert_string_equal(val(c, "outputs.5.stats.filename"), "stats.log");

    /* app-layer */
    const char *on[] = { "http", "tls", "ssh", "smtp", "ftp", "smb", "dcerpc", "nfs", "pop3" };
    for (size_t k = 0; k < sizeof(on) / sizeof(on[0]); k++) {
        char key[128];
        snprintf(key, sizeof(key), "app-layer.protocols.%s.enabled", on[k]);
        assert_true(conf_get_bool(c, key, &b));
        assert_true(b);
    }
    assert_string_equal(val(c, "app-layer.protocols.tls.detection-ports.dp"), "443");
    assert_string_equal(val(c, "app-layer.protocols.dns.udp.detection-ports.dp"), "53");
    assert_string_equal(val(c, "app-layer.protocols.dns.tcp.detection-ports.dp"), "53");
    assert_string_equal(val(c, "app-layer.protocols.smb.detection-ports.dp"), "139, 445");
    assert_string_equal(val(c, "app-layer.protocols.imap.enabled"), "detection-only");
    assert_true(conf_get_bool(c, "app-layer.protocols.modbus.enabled", &b));
    assert_false(b);
    assert_true(conf_get_size(c, "app-layer.protocols.http.libhtp.default-config.request-body-limit", &sz));
    assert_int_equal(sz, 100 * 1024);
    assert_true(conf_get_size(c, "app-layer.protocols.http.libhtp.default-config.response-body-inspect-window", &sz));
    assert_int_equal(sz, 16 * 1024);

    assert_string_equal(val(c, "pcap-file.checksum-checks"), "auto");
    assert_string_equal(val(c, "detect.profile"), "medium");
    assert_string_equal(val(c, "detect.sgh-mpm-context"), "auto");
    assert_string_equal(val(c, "mpm-algo"), "auto");
    assert_string_equal(val(c, "spm-algo"), "auto");
    assert_string_equal(val(c, "host-mode"), "auto");
    assert_string_equal(val(c, "exception-policy"), "auto");
    assert_string_equal(val(c, "vlan.use-for-tracking"), "true");
    assert_string_equal(val(c, "decoder.teredo.ports"), "$TEREDO_PORTS");
    assert_string_equal(val(c, "decoder.vxlan.enabled"), "true");
    assert_string_equal(val(c, "rule-files.0"), "suricata.rules");
    assert_non_null(val(c, "default-rule-path"));
    assert_non_null(strstr(val(c, "classification-file"), "classification.config"));
    assert_non_null(strstr(val(c, "reference-config-file"), "reference.config"));
    assert_non_null(val(c, "default-log-dir"));
    assert_string_equal(val(c, "host-os-policy.windows.0"), "0.0.0.0/0");
    assert_true(conf_node(c, "host-os-policy.bsd")->is_seq);
    assert_int_equal(conf_errors(c), 0);
    assert_string_equal(conf_node(c, "flow.memcap")->file, "<default>");
    conf_free(c);
}

/* Every value in the defaults that looks like a size or a boolean parses. */
static void check_values(const ConfNode *n, int *checked)
{
    for (const ConfNode *ch = n->first_child; ch; ch = ch->next) {
        if (ch->value) {
            const char *v = ch->value;
            size_t len = strlen(v);
            if (len > 2 && (strcmp(v + len - 3, "KiB") == 0 || strcmp(v + len - 3, "MiB") == 0)) {
                uint64_t sz;
                assert_true(conf_parse_size(v, &sz));
                (*checked)++;
            }
        }
        check_values(ch, checked);
    }
}

static void test_defaults_sizes_parse(void **state)
{
    (void)state;
    Conf *c = conf_new_defaults();
    int checked = 0;
    check_values(conf_root(c), &checked);
    assert_true(checked >= 15);
    assert_non_null(strstr(conf_defaults_text(), "%YAML 1.1"));
    conf_free(c);
}

/* ---- --dump-config ---------------------------------------------------- */

static void test_dump(void **state)
{
    (void)state;
    Conf *c = load("%YAML 1.1\n---\n"
                   "default-log-dir: /tmp\n"
                   "stream:\n"
                   "  memcap: 64mb\n"
                   "empty:\n"
                   "af-packet:\n"
                   "  - interface: enp10s0\n"
                   "    defrag: yes\n"
                   "rule-files: [a.rules]\n");
    const char *want = "default-log-dir = /tmp\n"
                       "stream = (null)\n"
                       "stream.memcap = 64mb\n"
                       "empty = (null)\n"
                       "af-packet = (null)\n"
                       "af-packet.0 = interface\n"
                       "af-packet.0.interface = enp10s0\n"
                       "af-packet.0.defrag = yes\n"
                       "rule-files = (null)\n"
                       "rule-files.0 = a.rules\n";
    assert_string_equal(dump_to_string(c), want);
    conf_free(c);

    c = conf_new_defaults();
    char *all = dump_to_string(c);
    assert_non_null(strstr(all, "\nflow-timeouts.tcp.established = 600\n"));
    assert_non_null(strstr(all, "\noutputs.1 = eve-log\n"));
    assert_non_null(strstr(all, "\noutputs.1.eve-log.types.4.dns = (null)\n"));
    assert_non_null(strstr(all, "\noutputs.1.eve-log.types.10 = ftp\n"));
    assert_null(strstr(all, "\noutputs.1.eve-log.types.10.ftp"));
    assert_non_null(strstr(all, "\nvars.address-groups.HOME_NET = [192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]\n"));
    conf_free(c);
}

/* ---- Suricata's own configs ------------------------------------------- */

/* Every suricata.yaml of the regression suite loads over the defaults, when
 * the suite is there (../shared is test data, not part of the product). */
static int suite_loaded, suite_failed;

static int visit_suite_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    const char *base = strrchr(path, '/');
    if (type != FTW_F || !base || strcmp(base + 1, "suricata.yaml") != 0)
        return 0;
    Conf *c = conf_new_defaults();
    char err[512];
    od_log_set_level(LOG_LVL_ERROR); /* deprecation warnings are expected */
    if (conf_load_file(c, path, err, sizeof(err))) {
        suite_loaded++;
    } else {
        suite_failed++;
        print_message("not loaded: %s\n", err);
    }
    od_log_set_level(LOG_LVL_NOTICE);
    conf_free(c);
    return 0;
}

static void test_verify_suite_configs(void **state)
{
    (void)state;
    const char *root = getenv("ODLAR_VERIFY_TESTS");
    if (!root)
        root = "/work/shared/verify/tests";
    if (access(root, R_OK) != 0)
        skip();
    suite_loaded = suite_failed = 0;
    assert_int_equal(nftw(root, visit_suite_file, 16, FTW_PHYS), 0);
    print_message("%d suite configs loaded, %d failed\n", suite_loaded, suite_failed);
    assert_true(suite_loaded > 100);
    assert_int_equal(suite_failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_string_basic),
        cmocka_unit_test(test_yaml_header),
        cmocka_unit_test(test_malformed_yaml),
        cmocka_unit_test(test_sequences),
        cmocka_unit_test(test_null_values),
        cmocka_unit_test(test_mangle_and_groups),
        cmocka_unit_test(test_redefinition_in_one_file),
        cmocka_unit_test(test_includes),
        cmocka_unit_test(test_include_nested_relative),
        cmocka_unit_test(test_include_errors),
        cmocka_unit_test(test_override_semantics),
        cmocka_unit_test(test_override_dotted_reaches_into_sequence),
        cmocka_unit_test(test_two_files_layered),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_get_bool),
        cmocka_unit_test(test_get_int),
        cmocka_unit_test(test_get_size),
        cmocka_unit_test(test_get_str),
        cmocka_unit_test(test_command_line_origin_in_errors),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_defaults_sizes_parse),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_verify_suite_configs),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
