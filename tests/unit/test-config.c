/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-config.c: settings validation and the key-file loader. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "trv-codec.h"
#include "trv-config-file.h"
#include "trv-error.h"
#include "trv-host-port.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

/* --- helpers --------------------------------------------------------------------- */

typedef struct {
  gchar *dir;   /* a fresh directory for files the config refers to */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp ("trv-test-config-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static gchar *
write_file (const char *dir, const char *name, const char *contents)
{
  g_autoptr(GError) error = NULL;
  gchar *path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

#define TEST_PEM "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

/* Loads `data`, which must fail with TRV_ERROR_INVALID_CONFIG about `key` (as data, and
 * at the start of the message), the message containing `why`. A "[group]" key is about
 * no single setting. */
static void
assert_bad (const char *data, const char *base_dir, const char *key, const char *why)
{
  g_autoptr(GError) error = NULL;
  TrvAccountConfig *acc = NULL;
  TrvNatConfig *nat = NULL;
  TrvMediaConfig *media = NULL;
  gboolean ok = trv_config_file_load_data (data, base_dir, &acc, &nat, &media, &error);
  if (ok)
    g_error ("config was accepted but should fail on %s:\n%s", key, data);
  g_assert_null (acc);
  g_assert_null (nat);
  g_assert_null (media);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, key))
    g_error ("message '%s' does not start with '%s'", error->message, key);
  if (strstr (error->message, why) == NULL)
    g_error ("message '%s' does not say '%s'", error->message, why);
  if (key[0] == '[')
    g_assert_null (trv_error_get_config_key (error));
  else
    {
      g_assert_cmpstr (trv_error_get_config_key (error), ==, key);
      g_assert_cmpstr (trv_error_get_config_reason (error), ==,
                       error->message + strlen (key) + strlen (": "));
    }
  /* One line on stderr: no line breaks in the message. */
  g_assert_null (strchr (error->message, '\n'));
}

static void
load_ok (const char *data, const char *base_dir, TrvAccountConfig **acc, TrvNatConfig **nat,
         TrvMediaConfig **media)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = trv_config_file_load_data (data, base_dir, acc, nat, media, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (*nat);
  g_assert_nonnull (*media);
}

/* --- good configs and defaults ------------------------------------------------------ */

static void
test_defaults (void)
{
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  /* No [account]: direct calls only; NAT and media take their defaults. */
  load_ok ("# only a comment\n", NULL, &acc, &nat, &media);
  g_assert_null (acc);
  g_assert_cmpint (nat->mode, ==, TRV_NAT_MODE_NONE);
  g_assert_cmpint (nat->turn_transport, ==, TRV_TURN_TRANSPORT_UDP);
  g_assert_null (nat->stun_server);
  g_assert_null (nat->turn_server);
  g_assert_null (nat->public_address);
  g_assert_cmpuint (media->jitter_ms, ==, TRV_DEFAULT_JITTER_MS);
  g_assert_cmpuint (media->inactivity_timeout_s, ==, TRV_DEFAULT_INACTIVITY_TIMEOUT_S);
  g_assert_true (media->echo_cancel);
  g_assert_cmpuint (g_strv_length (media->codecs), ==, 4);
  g_assert_cmpstr (media->codecs[0], ==, "opus");
  g_assert_cmpstr (media->codecs[1], ==, "G722");
  g_assert_cmpstr (media->codecs[2], ==, "PCMU");
  g_assert_cmpstr (media->codecs[3], ==, "PCMA");

  /* Minimal account: defaults for everything but the address. */
  g_clear_pointer (&nat, trv_nat_config_free);
  g_clear_pointer (&media, trv_media_config_free);
  load_ok ("[account]\naddress = sip:alice@example.org\n", NULL, &acc, &nat, &media);
  g_assert_nonnull (acc);
  g_assert_cmpstr (acc->address, ==, "sip:alice@example.org");
  g_assert_cmpstr (acc->user, ==, "alice");
  g_assert_cmpstr (acc->domain, ==, "example.org");
  g_assert_true (acc->do_register);
  g_assert_cmpint (acc->transport, ==, TRV_SIP_TRANSPORT_UDP);
  g_assert_cmpuint (acc->local_port, ==, 0);
  g_assert_null (acc->password);
  g_assert_null (acc->registrar);
  g_assert_null (acc->proxy);
  g_assert_null (acc->ca_file);
  g_assert_null (acc->display_name);
  g_assert_cmpint (acc->srtp, ==, TRV_SRTP_OPTIONAL);
  g_assert_false (acc->srtp_over_insecure);
  g_assert_false (acc->allow_direct_calls);
}

static void
test_full_config (Fixture *f, gconstpointer data)
{
  g_autofree gchar *pw = write_file (f->dir, "alice.pw", "s3cret #1\n");
  g_autofree gchar *ca = write_file (f->dir, "ca.pem", TEST_PEM);
  const char *text =
    "# the README form\n"
    "[account]\n"
    "address = sip:alice@example.org\n"
    "display-name = Alice #1\n"
    "voicemail = *97\n"
    "password-file = alice.pw\n"
    "registrar = sip.example.org:5080\n"
    "proxy = sip:proxy.example.org\n"
    "transport = TLS\n"
    "register = false\n"
    "ca-file = ca.pem\n"
    "local-port = 5070   \n"
    "srtp = Mandatory\n"
    "srtp-over-insecure = true\n"
    "allow-direct-calls = true\n"
    "\n"
    "[nat]\n"
    "mode = ice\n"
    "stun-server = stun.example.org\n"
    "turn-server = [2001:db8::1]:3479\n"
    "turn-transport = tcp\n"
    "turn-username = alice\n"
    "turn-password = pa ss # word\n"
    "public-address = 203.0.113.7\n"
    "\n"
    "[media]\n"
    "codecs = pcma; opus;\n"
    "jitter-ms = 120\n"
    "echo-cancellation = false\n"
    "inactivity-timeout = 45\n";
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  load_ok (text, f->dir, &acc, &nat, &media);

  g_assert_cmpstr (acc->address, ==, "sip:alice@example.org");
  g_assert_cmpstr (acc->display_name, ==, "Alice #1");
  g_assert_cmpstr (acc->voicemail, ==, "*97");
  g_assert_cmpstr (acc->password, ==, "s3cret #1");
  g_assert_cmpstr (acc->registrar, ==, "sip.example.org:5080");
  g_assert_cmpstr (acc->proxy, ==, "sip:proxy.example.org");
  g_assert_cmpint (acc->transport, ==, TRV_SIP_TRANSPORT_TLS);
  g_assert_false (acc->do_register);
  g_assert_cmpstr (acc->ca_file, ==, ca);
  g_assert_cmpuint (acc->local_port, ==, 5070);
  g_assert_cmpint (acc->srtp, ==, TRV_SRTP_MANDATORY);
  g_assert_true (acc->srtp_over_insecure);
  /* Boxed copies keep the SRTP settings. */
  g_autoptr(TrvAccountConfig) copy = trv_account_config_copy (acc);
  g_assert_cmpint (copy->srtp, ==, TRV_SRTP_MANDATORY);
  g_assert_true (copy->srtp_over_insecure);
  g_assert_true (acc->allow_direct_calls);
  g_assert_true (copy->allow_direct_calls);

  g_assert_cmpint (nat->mode, ==, TRV_NAT_MODE_ICE);
  g_assert_cmpstr (nat->stun_server, ==, "stun.example.org");
  g_assert_cmpstr (nat->turn_server, ==, "[2001:db8::1]:3479");
  g_assert_cmpint (nat->turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_cmpstr (nat->turn_username, ==, "alice");
  g_assert_cmpstr (nat->turn_password, ==, "pa ss # word");
  g_assert_cmpstr (nat->public_address, ==, "203.0.113.7");

  /* Names are normalised to the codec table's spelling, order kept. */
  g_assert_cmpuint (g_strv_length (media->codecs), ==, 2);
  g_assert_cmpstr (media->codecs[0], ==, "PCMA");
  g_assert_cmpstr (media->codecs[1], ==, "opus");
  g_assert_cmpuint (media->jitter_ms, ==, 120);
  g_assert_false (media->echo_cancel);
  g_assert_cmpuint (media->inactivity_timeout_s, ==, 45);
  g_autoptr(TrvMediaConfig) media_copy = trv_media_config_copy (media);
  g_assert_false (media_copy->echo_cancel);
  g_assert_cmpuint (media_copy->inactivity_timeout_s, ==, 45);
}

static void
test_load_from_file (Fixture *f, gconstpointer data)
{
  /* password-file and ca-file are relative to the config file, not to the cwd. */
  g_autofree gchar *sub = g_build_filename (f->dir, "conf", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_autofree gchar *pw = write_file (sub, "pw", "hunter2\r\n");
  g_autofree gchar *ca = write_file (sub, "ca.pem", TEST_PEM);
  g_autofree gchar *path = write_file (sub, "traverse.conf",
                                       "[account]\naddress = bob@192.0.2.10:5062\n"
                                       "password-file = pw\ntransport = tls\n"
                                       "ca-file = ca.pem\n");
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_config_file_load (path, &acc, &nat, &media, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (acc->password, ==, "hunter2");
  g_assert_cmpstr (acc->ca_file, ==, ca);
  g_assert_cmpstr (acc->address, ==, "sip:bob@192.0.2.10:5062");
  g_assert_cmpstr (acc->user, ==, "bob");
  g_assert_cmpstr (acc->domain, ==, "192.0.2.10:5062");

  /* The same file with the password file gone: a clear error naming the key and path. */
  g_assert_cmpint (g_unlink (pw), ==, 0);
  g_clear_pointer (&acc, trv_account_config_free);
  g_clear_pointer (&nat, trv_nat_config_free);
  g_clear_pointer (&media, trv_media_config_free);
  g_assert_false (trv_config_file_load (path, &acc, &nat, &media, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "account.password-file: cannot read"));
  g_assert_nonnull (strstr (error->message, pw));
  g_assert_nonnull (strstr (error->message, "no such file"));
  g_assert_null (acc);
  g_clear_error (&error);

  /* A missing config file and a syntax error name the file. */
  g_autofree gchar *missing = g_build_filename (f->dir, "nope.conf", NULL);
  g_assert_false (trv_config_file_load (missing, &acc, &nat, &media, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_assert_nonnull (strstr (error->message, "cannot read the config file"));
  g_clear_error (&error);
  g_autofree gchar *broken = write_file (f->dir, "broken.conf", "[account]\nthis is no key\n");
  g_assert_false (trv_config_file_load (broken, &acc, &nat, &media, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, broken));
  g_assert_nonnull (strstr (error->message, "this is no key"));
}

static void
test_address_forms (void)
{
  static const struct {
    const char *in, *address, *user, *domain;
  } cases[] = {
    { "sip:alice@example.org", "sip:alice@example.org", "alice", "example.org" },
    { "alice@example.org", "sip:alice@example.org", "alice", "example.org" },
    { "SIP:alice@example.org:5080", "sip:alice@example.org:5080", "alice", "example.org:5080" },
    { "sip:+4930123@198.51.100.1", "sip:+4930123@198.51.100.1", "+4930123", "198.51.100.1" },
    { "sip:carol@[2001:db8::5]:5070", "sip:carol@[2001:db8::5]:5070", "carol",
      "[2001:db8::5]:5070" },
    { "sip:a.b-c_d@my-host.example.org", "sip:a.b-c_d@my-host.example.org", "a.b-c_d",
      "my-host.example.org" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
      g_autoptr(GError) error = NULL;
      acc->address = g_strdup (cases[i].in);
      g_assert_true (trv_account_config_validate (acc, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (acc->address, ==, cases[i].address);
      g_assert_cmpstr (acc->user, ==, cases[i].user);
      g_assert_cmpstr (acc->domain, ==, cases[i].domain);
      /* Validating again is harmless (front ends may validate a copy twice). */
      g_assert_true (trv_account_config_validate (acc, &error));
      g_assert_cmpstr (acc->address, ==, cases[i].address);
    }

  g_autoptr(TrvAccountConfig) sips = trv_account_config_new ();
  g_autoptr(GError) error = NULL;
  sips->address = g_strdup ("sips:alice@example.org");
  sips->transport = TRV_SIP_TRANSPORT_TLS;
  g_assert_true (trv_account_config_validate (sips, &error));
  g_assert_cmpstr (sips->address, ==, "sips:alice@example.org");
}

/* --- bad values -------------------------------------------------------------------- */

static const struct {
  const char *data;
  const char *key;
  const char *why;
} bad_cases[] = {
  /* structure */
  { "[acount]\naddress = sip:a@b.org\n", "[acount]", "unknown group" },
  { "[account]\naddress = sip:a@b.org\nadress = x\n", "account.adress", "unknown key" },
  { "[nat]\nstun = x\n", "nat.stun", "unknown key" },
  { "[media]\ncodec = opus\n", "media.codec", "unknown key" },
  { "[account]\nregister = false\n", "account.address", "missing" },
  { "[account]\naddress = sip:a@b.org\ntransport = udp   # or tcp\n", "account.transport",
    "comment" },
  /* account.address */
  { "[account]\naddress = \n", "account.address", "missing" },
  { "[account]\naddress = http://example.org/alice\n", "account.address", "sip: or sips:" },
  { "[account]\naddress = tel:+4930123\n", "account.address", "sip: or sips:" },
  { "[account]\naddress = sip:example.org\n", "account.address", "no user part" },
  { "[account]\naddress = alice\n", "account.address", "no user part" },
  { "[account]\naddress = sip:@example.org\n", "account.address", "empty user part" },
  { "[account]\naddress = sip:alice@\n", "account.address", "no host" },
  { "[account]\naddress = sip:alice:pw@example.org\n", "account.address", "password" },
  { "[account]\naddress = sip:al ice@example.org\n", "account.address", "does not allow" },
  { "[account]\naddress = sip:a@b@example.org\n", "account.address", "more than one '@'" },
  { "[account]\naddress = sip:alice@exa mple.org\n", "account.address", "white space" },
  { "[account]\naddress = sip:alice@example.org:0\n", "account.address", "out of range" },
  { "[account]\naddress = sip:alice@example.org;transport=tcp\n", "account.address",
    "account.transport" },
  { "[account]\naddress = sip:alice@300.1.2.3\n", "account.address", "not a valid IPv4" },
  { "[account]\naddress = sips:alice@example.org\n", "account.transport", "transport=tls" },
  /* other account keys */
  { "[account]\naddress = sip:a@b.org\ntransport = sctp\n", "account.transport",
    "not one of udp, tcp, tls" },
  { "[account]\naddress = sip:a@b.org\nregister = yes please\n", "account.register",
    "not a boolean" },
  { "[account]\naddress = sip:a@b.org\nlocal-port = 0\n", "account.local-port", "out of range" },
  { "[account]\naddress = sip:a@b.org\nlocal-port = 70000\n", "account.local-port",
    "out of range" },
  { "[account]\naddress = sip:a@b.org\nlocal-port = abc\n", "account.local-port",
    "not a whole number" },
  { "[account]\naddress = sip:a@b.org\nlocal-port = -5\n", "account.local-port",
    "not a whole number" },
  { "[account]\naddress = sip:a@b.org\nregistrar = \n", "account.registrar", "empty host" },
  { "[account]\naddress = sip:a@b.org\nsrtp = yes\n", "account.srtp",
    "not one of off, optional, mandatory" },
  { "[account]\naddress = sip:a@b.org\nsrtp = \n", "account.srtp", "not one of" },
  { "[account]\naddress = sip:a@b.org\nsrtp-over-insecure = sure\n",
    "account.srtp-over-insecure", "not a boolean" },
  { "[account]\naddress = sip:a@b.org\nallow-direct-calls = anyone\n",
    "account.allow-direct-calls", "not a boolean" },
  { "[account]\naddress = sip:a@b.org\nregistrar = reg.example.org:abc\n", "account.registrar",
    "not a number" },
  { "[account]\naddress = sip:a@b.org\nregistrar = reg.example.org:70000\n",
    "account.registrar", "out of range" },
  { "[account]\naddress = sip:a@b.org\nregistrar = reg.example.org:\n", "account.registrar",
    "no port" },
  { "[account]\naddress = sip:a@b.org\nregistrar = reg..example.org\n", "account.registrar",
    "empty label" },
  { "[account]\naddress = sip:a@b.org\nproxy = :5060\n", "account.proxy", "empty host" },
  { "[account]\naddress = sip:a@b.org\nproxy = sip:bob@proxy.org\n", "account.proxy",
    "host[:port]" },
  { "[account]\naddress = sip:a@b.org\npassword = \n", "account.password", "empty" },
  { "[account]\naddress = sip:a@b.org\npassword = x\npassword-file = /p\n",
    "account.password-file", "not both" },
  { "[account]\naddress = sip:a@b.org\ndisplay-name = A \"B\"\n", "account.display-name",
    "quotes" },
  { "[account]\naddress = sip:a@b.org\nvoicemail = *9 7\n", "account.voicemail", "spaces" },
  { "[account]\naddress = sip:a@b.org\nvoicemail = <sip:vm@b.org>\n", "account.voicemail",
    "angle brackets" },
  /* nat */
  { "[nat]\nmode = upnp\n", "nat.mode", "not one of none, stun, turn, ice, auto" },
  { "[nat]\nturn-transport = sctp\n", "nat.turn-transport", "not one of udp, tcp, tls" },
  { "[nat]\nstun-server = \n", "nat.stun-server", "empty host" },
  { "[nat]\nstun-server = stun.example.org:0\n", "nat.stun-server", "out of range" },
  { "[nat]\nstun-server = stun.example.org:70000\n", "nat.stun-server", "out of range" },
  { "[nat]\nstun-server = stun.example.org:abc\n", "nat.stun-server", "not a number" },
  { "[nat]\nstun-server = [2001:db8::1\n", "nat.stun-server", "closing ']'" },
  { "[nat]\nstun-server = [stun.example.org]:3478\n", "nat.stun-server", "not an IPv6" },
  { "[nat]\nstun-server = [2001:db8::1]x\n", "nat.stun-server", "after ']'" },
  { "[nat]\nstun-server = 2001:db8::zz\n", "nat.stun-server", "not a valid IPv6" },
  { "[nat]\nstun-server = stun!.example.org\n", "nat.stun-server", "host name" },
  { "[nat]\nturn-server = :3478\n", "nat.turn-server", "empty host" },
  { "[nat]\nturn-server = turns:turn.example.org?transport=udp\n", "nat.turn-server", "DTLS" },
  { "[nat]\nturn-server = turn:turn.example.org?transport=sctp\n", "nat.turn-server",
    "?transport=udp or ?transport=tcp" },
  { "[nat]\nturn-server = turn:turn.example.org?x=1&transport=tcp\n", "nat.turn-server",
    "?transport=udp or ?transport=tcp" },
  { "[nat]\nturn-server = turn.example.org?transport=tcp\n", "nat.turn-server",
    "turn:/turns: URI" },
  { "[nat]\nturn-server = turns:turn.example.org/path\n", "nat.turn-server", "host[:port]" },
  { "[nat]\nturn-server = turns:\n", "nat.turn-server", "empty host" },
  { "[nat]\nturn-server = turns:turn.example.org:99999\n", "nat.turn-server", "out of range" },
  { "[nat]\nturn-transport = tcp\nturn-server = turns:turn.example.org\n", "nat.turn-server",
    "contradicts nat.turn-transport = tcp" },
  { "[nat]\nturn-transport = tls\nturn-server = turn:t.example.org?transport=udp\n",
    "nat.turn-server", "contradicts nat.turn-transport = tls" },
  { "[nat]\nstun-server = stuns:stun.example.org\n", "nat.stun-server", "STUN over TLS" },
  { "[nat]\nmode = turn\nturn-server = turn.example.org\n", "nat.turn-username", "credentials" },
  { "[nat]\nturn-username = alice\n", "nat.turn-password", "missing" },
  { "[nat]\nturn-password = secret\n", "nat.turn-username", "missing" },
  { "[nat]\npublic-address = 203.0.113.5:5060\n", "nat.public-address", "without a port" },
  { "[nat]\npublic-address = [2001:db8::1]:5060\n", "nat.public-address", "without a port" },
  { "[nat]\npublic-address = 203.0.113.999\n", "nat.public-address", "not a valid IPv4" },
  { "[nat]\npublic-address = not an address\n", "nat.public-address", "host name" },
  { "[nat]\npublic-address = \n", "nat.public-address", "empty" },
  /* media */
  { "[media]\ncodecs = opus;speex\n", "media.codecs", "unknown codec 'speex' (known: " },
  { "[media]\ncodecs = \n", "media.codecs", "empty list" },
  { "[media]\ncodecs = opus;;PCMU\n", "media.codecs", "empty codec name" },
  { "[media]\ncodecs = PCMU;pcmu\n", "media.codecs", "more than once" },
  { "[media]\njitter-ms = 9\n", "media.jitter-ms", "out of range (10..1000 ms)" },
  { "[media]\njitter-ms = 1001\n", "media.jitter-ms", "out of range (10..1000 ms)" },
  { "[media]\njitter-ms = 0\n", "media.jitter-ms", "out of range" },
  { "[media]\njitter-ms = fast\n", "media.jitter-ms", "not a whole number" },
  { "[media]\njitter-ms = 99999999999\n", "media.jitter-ms", "out of range" },
  { "[media]\necho-cancellation = maybe\n", "media.echo-cancellation", "not a boolean" },
  { "[media]\ninactivity-timeout = 4\n", "media.inactivity-timeout", "out of range (0 = never, or 5..3600 s)" },
  { "[media]\ninactivity-timeout = 3601\n", "media.inactivity-timeout", "out of range" },
  { "[media]\ninactivity-timeout = soon\n", "media.inactivity-timeout", "not a whole number" },
};

static void
test_bad_values (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    assert_bad (bad_cases[i].data, NULL, bad_cases[i].key, bad_cases[i].why);
}

/* RFC 7065 TURN URIs set the transport; turns: defaults to port 5349. */
static void
test_turn_uris (void)
{
  static const struct { const char *server, *transport, *normalised; TrvTurnTransport expect; }
  cases[] = {
    { "turns:turn.example.org", NULL, "turn.example.org:5349", TRV_TURN_TRANSPORT_TLS },
    { "TURNS:turn.example.org:443", NULL, "turn.example.org:443", TRV_TURN_TRANSPORT_TLS },
    { "turns:[2001:db8::1]", NULL, "[2001:db8::1]:5349", TRV_TURN_TRANSPORT_TLS },
    { "turns:turn.example.org?transport=tcp", "tls", "turn.example.org:5349",
      TRV_TURN_TRANSPORT_TLS },
    { "turn:turn.example.org:3479?transport=tcp", NULL, "turn.example.org:3479",
      TRV_TURN_TRANSPORT_TCP },
    { "turn:turn.example.org?transport=UDP", NULL, "turn.example.org", TRV_TURN_TRANSPORT_UDP },
    { "turn.example.org", "tls", "turn.example.org", TRV_TURN_TRANSPORT_TLS },
    { "turn:turn.example.org", "tcp", "turn.example.org", TRV_TURN_TRANSPORT_TCP },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text = g_strdup_printf ("[nat]\nturn-server = %s\n%s%s%s",
                                                cases[i].server,
                                                cases[i].transport ? "turn-transport = " : "",
                                                cases[i].transport ? cases[i].transport : "",
                                                cases[i].transport ? "\n" : "");
      g_autoptr(TrvAccountConfig) acc = NULL;
      g_autoptr(TrvNatConfig) nat = NULL;
      g_autoptr(TrvMediaConfig) media = NULL;
      g_test_message ("%s", text);
      load_ok (text, NULL, &acc, &nat, &media);
      g_assert_cmpstr (nat->turn_server, ==, cases[i].normalised);
      g_assert_cmpint (nat->turn_transport, ==, cases[i].expect);
    }
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, TRV_TURN_TRANSPORT_TLS), ==, "tls");
}

static void
test_good_values (void)
{
  /* Edge values that must be accepted. */
  static const char *const good[] = {
    "[account]\naddress = sip:a@b.org\nlocal-port = 1\n",
    "[account]\naddress = sip:a@b.org\nlocal-port = 65535\n",
    "[account]\naddress = sip:a@b.org\nregister = FALSE\n",
    "[account]\naddress = sip:a@b.org\nregistrar = [::1]:5060\nproxy = 127.0.0.1\n",
    "[account]\naddress = sip:a@b.org\ntransport = tcp\n",
    "[account]\naddress = sip:a@b.org\nsrtp = off\nsrtp-over-insecure = false\n",
    "[account]\naddress = sip:a@b.org\nsrtp = OPTIONAL\n",
    "[nat]\nmode = none\n", "[nat]\nmode = stun\n", "[nat]\nmode = auto\n",
    "[nat]\nmode = turn\nturn-username = u\nturn-password = p\n",
    "[nat]\nstun-server = 203.0.113.1:65535\n",
    "[nat]\nstun-server = 2001:db8::1\n",
    "[nat]\nstun-server = [2001:db8::1]\n",
    "[nat]\npublic-address = 2001:db8::7\n",
    "[nat]\npublic-address = home.example.org\n",
    "[media]\njitter-ms = 10\n", "[media]\njitter-ms = 1000\n",
    "[media]\ninactivity-timeout = 0\n", "[media]\ninactivity-timeout = 5\n",
    "[media]\ninactivity-timeout = 3600\n",
    "[media]\ncodecs = PCMU, pcma\n",
    "[nat]\n[media]\n",  /* empty groups take the defaults */
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(TrvAccountConfig) acc = NULL;
      g_autoptr(TrvNatConfig) nat = NULL;
      g_autoptr(TrvMediaConfig) media = NULL;
      g_test_message ("%s", good[i]);
      load_ok (good[i], NULL, &acc, &nat, &media);
    }
  /* An IPv6 public address in brackets, as it stands in URIs: the literal is kept. */
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  load_ok ("[nat]\npublic-address = [2001:db8::7]\n", NULL, &acc, &nat, &media);
  g_assert_cmpstr (nat->public_address, ==, "2001:db8::7");
}

static void
test_nat_modes (void)
{
  static const struct { const char *s; TrvNatMode m; } modes[] = {
    { "none", TRV_NAT_MODE_NONE }, { "stun", TRV_NAT_MODE_STUN }, { "turn", TRV_NAT_MODE_TURN },
    { "ice", TRV_NAT_MODE_ICE }, { "auto", TRV_NAT_MODE_AUTO },
  };
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      gint m = TRV_NAT_MODE_NONE;
      g_assert_true (trv_enum_from_nick (TRV_TYPE_NAT_MODE, modes[i].s, &m));
      g_assert_cmpint (m, ==, modes[i].m);
      g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_NAT_MODE, modes[i].m), ==, modes[i].s);
    }
  gint m = TRV_NAT_MODE_ICE;
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MODE, "upnp", &m));
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MODE, NULL, &m));
  g_assert_cmpint (m, ==, TRV_NAT_MODE_ICE);

  /* Every mode is valid as a setting; the user agent decides what can run. */
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_ICE;
  g_assert_true (trv_nat_config_validate (nat, NULL));
  nat->mode = (TrvNatMode) 42;
  g_autoptr(GError) error = NULL;
  g_assert_false (trv_nat_config_validate (nat, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "nat.mode: "));

  /* stun:/turn: URIs are normalised to host[:port]. */
  nat->mode = TRV_NAT_MODE_ICE;
  nat->stun_server = g_strdup ("stun:stun.example.org:3478");
  nat->turn_server = g_strdup ("TURN:198.51.100.9");
  g_assert_true (trv_nat_config_validate (nat, NULL));
  g_assert_cmpstr (nat->stun_server, ==, "stun.example.org:3478");
  g_assert_cmpstr (nat->turn_server, ==, "198.51.100.9");

  gint t = TRV_SIP_TRANSPORT_UDP;
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SIP_TRANSPORT, "tls", &t));
  g_assert_cmpint (t, ==, TRV_SIP_TRANSPORT_TLS);
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SIP_TRANSPORT, "TCP", &t));
  g_assert_cmpint (t, ==, TRV_SIP_TRANSPORT_TCP);
  g_assert_false (trv_enum_from_nick (TRV_TYPE_SIP_TRANSPORT, "sctp", &t));
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_SIP_TRANSPORT, TRV_SIP_TRANSPORT_UDP), ==, "udp");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_SIP_TRANSPORT, TRV_SIP_TRANSPORT_TLS), ==, "tls");
}

static void
test_host_port (void)
{
  static const struct {
    const char *in;
    const char *host;   /* NULL: must fail */
    guint16 port;
    const char *why;
  } cases[] = {
    { "example.org", "example.org", 5060, NULL },
    { "example.org:5080", "example.org", 5080, NULL },
    { "192.0.2.1", "192.0.2.1", 5060, NULL },
    { "192.0.2.1:1", "192.0.2.1", 1, NULL },
    { "[2001:db8::1]:5061", "2001:db8::1", 5061, NULL },
    { "[::1]", "::1", 5060, NULL },
    { "::1", "::1", 5060, NULL },
    { "example.org.", "example.org.", 5060, NULL },
    { "", NULL, 0, "empty host" },
    { NULL, NULL, 0, "empty host" },
    { ":5060", NULL, 0, "empty host" },
    { "[]:5060", NULL, 0, "empty host" },
    { "example.org:0", NULL, 0, "out of range" },
    { "example.org:70000", NULL, 0, "out of range" },
    { "example.org:abc", NULL, 0, "not a number" },
    { "example.org:-1", NULL, 0, "not a number" },
    { "[2001:db8::1]:99999", NULL, 0, "out of range" },
    { "-bad.example.org", NULL, 0, "'-'" },
    { "1.2.3", NULL, 0, "not a valid IPv4" },
    { "a\tb", NULL, 0, "white space" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *host = NULL;
      guint16 port = 0;
      g_autoptr(GError) error = NULL;
      gboolean ok = trv_parse_host_port (cases[i].in, 5060, "test.key", &host, &port, &error);
      if (cases[i].host)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (host, ==, cases[i].host);
          g_assert_cmpuint (port, ==, cases[i].port);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (host);
          g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
          g_assert_true (g_str_has_prefix (error->message, "test.key: "));
          if (strstr (error->message, cases[i].why) == NULL)
            g_error ("'%s': message '%s' does not say '%s'", cases[i].in ? cases[i].in : "(null)",
                     error->message, cases[i].why);
        }
    }
}

static void
test_ca_file (Fixture *f, gconstpointer data)
{
  g_autofree gchar *missing = g_build_filename (f->dir, "missing-ca.pem", NULL);
  g_autofree gchar *text = g_strdup_printf ("[account]\naddress = sips:a@b.org\ntransport = tls\n"
                                            "ca-file = %s\n", missing);
  assert_bad (text, f->dir, "account.ca-file", "does not exist");

  /* Relative and missing: the message shows where it was looked for. */
  const char *rel = "[account]\naddress = sip:a@b.org\ntransport = tls\n"
                    "ca-file = missing-ca.pem\n";
  assert_bad (rel, f->dir, "account.ca-file", missing);

  g_autofree gchar *notpem = write_file (f->dir, "notpem.txt", "hello\n");
  const char *text2 = "[account]\naddress = sip:a@b.org\ntransport = tls\nca-file = notpem.txt\n";
  assert_bad (text2, f->dir, "account.ca-file", "no PEM certificate");

  g_autofree gchar *text3 = g_strdup_printf ("[account]\naddress = sip:a@b.org\n"
                                             "transport = tls\nca-file = %s\n", f->dir);
  assert_bad (text3, f->dir, "account.ca-file", "not a regular file");

  /* The validate call alone (GSettings front end) checks it too. */
  g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
  g_autoptr(GError) error = NULL;
  acc->address = g_strdup ("sip:a@b.org");
  acc->transport = TRV_SIP_TRANSPORT_TLS;
  acc->ca_file = g_strdup (missing);
  g_assert_false (trv_account_config_validate (acc, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "account.ca-file: "));
}

static void
test_password_file (Fixture *f, gconstpointer data)
{
  g_autofree gchar *missing = g_build_filename (f->dir, "nope.pw", NULL);
  assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = nope.pw\n", f->dir,
              "account.password-file", missing);

  g_autofree gchar *empty = write_file (f->dir, "empty.pw", "\n");
  assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = empty.pw\n", f->dir,
              "account.password-file", "is empty");

  g_autofree gchar *two = write_file (f->dir, "two.pw", "one\ntwo\n");
  assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = two.pw\n", f->dir,
              "account.password-file", "single line");

  /* Unreadable (not a file): a directory given as password-file. */
  g_autofree gchar *sub = g_build_filename (f->dir, "adir", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = adir\n", f->dir,
              "account.password-file", "cannot read");
  assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = adir\n", f->dir,
              "account.password-file", "directory");

  /* Permission denied, unless we run as root (which reads anything). */
  g_autofree gchar *locked = write_file (f->dir, "locked.pw", "secret\n");
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  if (getuid () != 0)
    assert_bad ("[account]\naddress = sip:a@b.org\npassword-file = locked.pw\n", f->dir,
                "account.password-file", "cannot read");

  /* Absolute paths are used as they are. */
  g_autofree gchar *good = write_file (f->dir, "good.pw", "pässwörd");
  g_autofree gchar *text = g_strdup_printf ("[account]\naddress = sip:a@b.org\n"
                                            "password-file = %s\n", good);
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  load_ok (text, "/nonexistent", &acc, &nat, &media);
  g_assert_cmpstr (acc->password, ==, "pässwörd");
}

static void
test_copy_free (Fixture *f, gconstpointer data)
{
  g_autofree gchar *ca = write_file (f->dir, "ca.pem", TEST_PEM);
  g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
  acc->address = g_strdup ("alice@example.org");
  acc->display_name = g_strdup ("Alice");
  acc->voicemail = g_strdup ("sip:vm@example.org");
  acc->password = g_strdup ("pw");
  acc->registrar = g_strdup ("reg.example.org");
  acc->proxy = g_strdup ("proxy.example.org:5070");
  acc->transport = TRV_SIP_TRANSPORT_TLS;
  acc->do_register = FALSE;
  acc->ca_file = g_strdup (ca);
  acc->local_port = 5099;
  g_assert_true (trv_account_config_validate (acc, NULL));

  /* Through the boxed type, as GValue/properties do. */
  TrvAccountConfig *copy = g_boxed_copy (TRV_TYPE_ACCOUNT_CONFIG, acc);
  g_assert_true (copy != acc);
  g_assert_true (copy->address != acc->address);
  g_assert_cmpstr (copy->address, ==, "sip:alice@example.org");
  g_assert_cmpstr (copy->user, ==, "alice");
  g_assert_cmpstr (copy->domain, ==, "example.org");
  g_assert_cmpstr (copy->display_name, ==, "Alice");
  g_assert_cmpstr (copy->voicemail, ==, "sip:vm@example.org");
  g_assert_cmpstr (copy->password, ==, "pw");
  g_assert_cmpstr (copy->registrar, ==, "reg.example.org");
  g_assert_cmpstr (copy->proxy, ==, "proxy.example.org:5070");
  g_assert_cmpint (copy->transport, ==, TRV_SIP_TRANSPORT_TLS);
  g_assert_false (copy->do_register);
  g_assert_cmpstr (copy->ca_file, ==, ca);
  g_assert_cmpuint (copy->local_port, ==, 5099);
  g_boxed_free (TRV_TYPE_ACCOUNT_CONFIG, copy);

  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_TURN;
  nat->stun_server = g_strdup ("stun.example.org");
  nat->turn_server = g_strdup ("turn.example.org:3479");
  nat->turn_transport = TRV_TURN_TRANSPORT_TCP;
  nat->turn_username = g_strdup ("u");
  nat->turn_password = g_strdup ("p");
  nat->public_address = g_strdup ("203.0.113.4");
  g_assert_true (trv_nat_config_validate (nat, NULL));
  TrvNatConfig *ncopy = g_boxed_copy (TRV_TYPE_NAT_CONFIG, nat);
  g_assert_cmpint (ncopy->mode, ==, TRV_NAT_MODE_TURN);
  g_assert_cmpstr (ncopy->stun_server, ==, "stun.example.org");
  g_assert_cmpstr (ncopy->turn_server, ==, "turn.example.org:3479");
  g_assert_true (ncopy->turn_server != nat->turn_server);
  g_assert_cmpint (ncopy->turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_cmpstr (ncopy->turn_username, ==, "u");
  g_assert_cmpstr (ncopy->turn_password, ==, "p");
  g_assert_cmpstr (ncopy->public_address, ==, "203.0.113.4");
  g_boxed_free (TRV_TYPE_NAT_CONFIG, ncopy);

  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();
  media->jitter_ms = 200;
  TrvMediaConfig *mcopy = g_boxed_copy (TRV_TYPE_MEDIA_CONFIG, media);
  g_assert_cmpuint (mcopy->jitter_ms, ==, 200);
  g_assert_true (mcopy->codecs != media->codecs);
  g_assert_true (g_strv_equal ((const gchar *const *) mcopy->codecs,
                               (const gchar *const *) media->codecs));
  g_boxed_free (TRV_TYPE_MEDIA_CONFIG, mcopy);

  g_assert_true (G_TYPE_IS_BOXED (TRV_TYPE_ACCOUNT_CONFIG));
  g_assert_cmpstr (g_type_name (TRV_TYPE_NAT_CONFIG), ==, "TrvNatConfig");
  g_assert_cmpstr (g_type_name (TRV_TYPE_MEDIA_CONFIG), ==, "TrvMediaConfig");

  /* Free functions take NULL. */
  trv_account_config_free (NULL);
  trv_nat_config_free (NULL);
  trv_media_config_free (NULL);
}

static void
test_media_validate (void)
{
  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();
  g_assert_true (trv_media_config_validate (media, NULL));
  g_strfreev (media->codecs);
  media->codecs = g_strsplit ("g722,foo", ",", -1);
  g_autoptr(GError) error = NULL;
  g_assert_false (trv_media_config_validate (media, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_autofree gchar *known = trv_codec_names_joined ();
  g_autofree gchar *expected = g_strdup_printf ("media.codecs: unknown codec 'foo' (known: %s)",
                                                known);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_strfreev (media->codecs);
  media->codecs = NULL;
  g_assert_false (trv_media_config_validate (media, &error));
  g_assert_true (g_str_has_prefix (error->message, "media.codecs: empty list"));
}

/* The bare host, for SRV lookups of an account's domain and for path addresses. */
static void
test_host_port_host (void)
{
  static const struct { const char *in, *host; } cases[] = {
    { "example.org", "example.org" },
    { "example.org:5080", "example.org" },
    { "203.0.113.7:49152", "203.0.113.7" },
    { "[2001:db8::1]:5000", "2001:db8::1" },
    { "2001:db8::1", "2001:db8::1" },
    { "example.org:abc", NULL },
    { "", NULL },
    { NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *host = trv_host_port_dup_host (cases[i].in);
      g_assert_cmpstr (host, ==, cases[i].host);
    }
}

/* The key travels as data: it does not depend on how the message is worded (a
 * translation may put the key anywhere), and it survives copies and GTask. */
static void
test_error_key (void)
{
  g_autoptr(GError) error = NULL;
  /* Worded as a translation might, the key not in front. */
  g_assert_false (trv_invalid_config (&error, "account.proxy",
                                      "Der Wert von %s ist ungültig: %s", "account.proxy",
                                      "Port fehlt"));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (trv_error_get_config_key (error), ==, "account.proxy");
  g_assert_cmpstr (trv_error_get_config_reason (error), ==, error->message);

  g_autoptr(GError) copy = g_error_copy (error);
  g_assert_cmpstr (trv_error_get_config_key (copy), ==, "account.proxy");
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&copy));
  g_autoptr(GError) through_task = NULL;
  g_assert_false (g_task_propagate_boolean (task, &through_task));
  g_assert_cmpstr (trv_error_get_config_key (through_task), ==, "account.proxy");
  g_clear_error (&error);

  /* The host:port parser names the key it was given. */
  g_autofree gchar *host = NULL;
  guint16 port = 0;
  g_assert_false (trv_parse_host_port ("turn.example.org:x", 3478, "nat.turn-server", &host,
                                       &port, &error));
  g_assert_cmpstr (trv_error_get_config_key (error), ==, "nat.turn-server");
  g_assert_cmpstr (trv_error_get_config_reason (error), ==, "port 'x' is not a number");
  g_clear_error (&error);

  /* Other errors name no key; their reason is the whole message. */
  g_set_error_literal (&error, TRV_ERROR, TRV_ERROR_FAILED, "account.proxy: not config");
  g_assert_null (trv_error_get_config_key (error));
  g_assert_cmpstr (trv_error_get_config_reason (error), ==, error->message);
  g_clear_error (&error);
  g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "account.proxy: other domain");
  g_assert_null (trv_error_get_config_key (error));
  g_assert_cmpstr (trv_error_get_config_reason (error), ==, error->message);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add ("/config/full", Fixture, NULL, fixture_setup, test_full_config, fixture_teardown);
  g_test_add ("/config/load-file", Fixture, NULL, fixture_setup, test_load_from_file,
              fixture_teardown);
  g_test_add_func ("/config/address-forms", test_address_forms);
  g_test_add_func ("/config/bad-values", test_bad_values);
  g_test_add_func ("/config/good-values", test_good_values);
  g_test_add_func ("/config/turn-uris", test_turn_uris);
  g_test_add_func ("/config/nat-modes", test_nat_modes);
  g_test_add_func ("/config/host-port", test_host_port);
  g_test_add_func ("/config/host-port-host", test_host_port_host);
  g_test_add ("/config/ca-file", Fixture, NULL, fixture_setup, test_ca_file, fixture_teardown);
  g_test_add ("/config/password-file", Fixture, NULL, fixture_setup, test_password_file,
              fixture_teardown);
  g_test_add ("/config/copy-free", Fixture, NULL, fixture_setup, test_copy_free,
              fixture_teardown);
  g_test_add_func ("/config/media-validate", test_media_validate);
  g_test_add_func ("/config/error-key", test_error_key);
  return g_test_run ();
}
