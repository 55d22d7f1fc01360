/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-config-file.c: loads the account, NAT and media configs from a GLib key file. */
#include "config.h"

#include "trv-config-file.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-error.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

static const char *const account_keys[] = {
  "address", "password", "password-file", "registrar", "proxy", "transport", "register",
  "ca-file", "local-port", "display-name", "srtp", "srtp-over-insecure",
  "allow-direct-calls", "voicemail", NULL,
};
static const char *const nat_keys[] = {
  "mode", "stun-server", "turn-server", "turn-transport", "turn-username", "turn-password",
  "public-address", "http-proxy", NULL,
};
static const char *const media_keys[] = { "codecs", "jitter-ms", "echo-cancellation",
                                          "inactivity-timeout", NULL };

static const struct {
  const char *name;
  const char *const *keys;
} groups[] = {
  { "account", account_keys },
  { "nat", nat_keys },
  { "media", media_keys },
};

/* Values kept exactly as written: secrets and free text may contain " #". */
static gboolean
is_verbatim_key (const char *key)
{
  return g_str_equal (key, "password") || g_str_equal (key, "turn-password") ||
         g_str_equal (key, "display-name");
}

/* A typo in a group or key name must not be silently ignored. */
static gboolean
check_names (GKeyFile *kf, GError **error)
{
  g_auto(GStrv) names = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; names[i]; i++)
    {
      const char *const *known = NULL;
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        if (g_str_equal (names[i], groups[g].name))
          known = groups[g].keys;
      if (known == NULL)
        return trv_invalid_config (error, NULL,
                                   _("[%s]: unknown group (known groups: [account], [nat], [media])"),
                                   names[i]);
      g_auto(GStrv) keys = g_key_file_get_keys (kf, names[i], NULL, NULL);
      for (guint k = 0; keys && keys[k]; k++)
        if (!g_strv_contains (known, keys[k]))
          {
            g_autofree gchar *list = g_strjoinv (", ", (gchar **) known);
            g_autofree gchar *full = g_strconcat (names[i], ".", keys[k], NULL);
            return trv_invalid_config (error, full,
                                       _("%s.%s: unknown key (known keys in [%s]: %s)"),
                                       names[i], keys[k], names[i], list);
          }
    }
  return TRUE;
}

/* Reads a string value (unescaped), or leaves *out NULL when the key is absent. */
static gboolean
get_string (GKeyFile *kf, const char *group, const char *key, gchar **out, GError **error)
{
  *out = NULL;
  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;
  g_autoptr(GError) local = NULL;
  g_autofree gchar *full = g_strconcat (group, ".", key, NULL);
  g_autofree gchar *value = g_key_file_get_string (kf, group, key, &local);
  if (value == NULL)
    return trv_invalid_config (error, full, "%s.%s: %s", group, key, local->message);
  if (!is_verbatim_key (key))
    {
      /* GLib keeps trailing blanks, and has no inline comments: "udp  # or tcp" is
       * the value, which deserves a hint rather than a puzzling "unknown transport". */
      g_strstrip (value);
      const char *hash = strchr (value, '#');
      if (hash && hash > value && g_ascii_isspace (hash[-1]))
        return trv_invalid_config (error, full,
                                   _("%s.%s: '%s' looks like it has a comment after the value; "
                                     "key files allow comments only on lines of their own"),
                                   group, key, value);
    }
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
get_uint (GKeyFile *kf, const char *group, const char *key, guint min, guint max,
          const char *what, gboolean *present, guint *out, GError **error)
{
  g_autofree gchar *value = NULL;
  *present = FALSE;
  if (!get_string (kf, group, key, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  guint64 n = 0;
  g_autofree gchar *full = g_strconcat (group, ".", key, NULL);
  if (value[0] == '\0')
    return trv_invalid_config (error, full, _("%s.%s: empty value; give %s"), group, key, what);
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &n, NULL))
    return trv_invalid_config (error, full, _("%s.%s: '%s' is not a whole number; give %s"),
                               group, key, value, what);
  if (n < min || n > max)
    return trv_invalid_config (error, full,
                               _("%s.%s: %s is out of range; give %s"), group, key, value, what);
  *out = (guint) n;
  *present = TRUE;
  return TRUE;
}

/* true/false (also 1/0); leaves *out alone when the key is absent. */
static gboolean
get_bool (GKeyFile *kf, const char *group, const char *key, gboolean *out, GError **error)
{
  g_autofree gchar *value = NULL;
  if (!get_string (kf, group, key, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"))
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0"))
    *out = FALSE;
  else
    {
      g_autofree gchar *full = g_strconcat (group, ".", key, NULL);
      return trv_invalid_config (error, full,
                                 _("%s.%s: '%s' is not a boolean (use true or false)"), group,
                                 key, value);
    }
  return TRUE;
}

/* Relative paths are relative to the config file's directory, not the cwd. */
static gchar *
resolve_path (const char *path, const char *base_dir)
{
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  if (g_path_is_absolute (path))
    return g_strdup (path);
  g_autofree gchar *cwd = g_get_current_dir ();
  return g_canonicalize_filename (path, base_dir ? base_dir : cwd);
}

/* GLib's message repeats the path; the common causes read better in a few words. */
static const char *
read_failure (const GError *error)
{
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return _("no such file");
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
    return _("permission denied");
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
    return _("it is a directory");
  return error->message;
}

static gboolean
read_password_file (const char *path, gchar **out, GError **error)
{
  const char *key = "account.password-file";
  g_autoptr(GError) local = NULL;
  g_autofree gchar *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, &local))
    return trv_invalid_config (error, key, _("%s: cannot read '%s' (%s)"), key, path,
                               read_failure (local));
  /* One line; the newline editors add at the end is not part of the password. */
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  if (len == 0)
    return trv_invalid_config (error, key, _("%s: '%s' is empty"), key, path);
  if (strlen (text) != len || strpbrk (text, "\r\n"))
    return trv_invalid_config (error, key,
                               _("%s: '%s' must hold the password on a single line"), key, path);
  *out = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
load_account (GKeyFile *kf, const char *base_dir, TrvAccountConfig **out, GError **error)
{
  const char *g = "account";
  g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
  g_autofree gchar *password_file = NULL;
  g_autofree gchar *transport = NULL;
  g_autofree gchar *do_register = NULL;
  g_autofree gchar *ca_file = NULL;
  g_autofree gchar *srtp = NULL;
  g_autofree gchar *srtp_insecure = NULL;
  g_autofree gchar *allow_direct = NULL;
  gboolean have_port = FALSE;
  guint port = 0;

  if (!get_string (kf, g, "address", &acc->address, error) ||
      !get_string (kf, g, "display-name", &acc->display_name, error) ||
      !get_string (kf, g, "voicemail", &acc->voicemail, error) ||
      !get_string (kf, g, "password", &acc->password, error) ||
      !get_string (kf, g, "password-file", &password_file, error) ||
      !get_string (kf, g, "registrar", &acc->registrar, error) ||
      !get_string (kf, g, "proxy", &acc->proxy, error) ||
      !get_string (kf, g, "transport", &transport, error) ||
      !get_string (kf, g, "register", &do_register, error) ||
      !get_string (kf, g, "ca-file", &ca_file, error) ||
      !get_string (kf, g, "srtp", &srtp, error) ||
      !get_string (kf, g, "srtp-over-insecure", &srtp_insecure, error) ||
      !get_string (kf, g, "allow-direct-calls", &allow_direct, error) ||
      !get_uint (kf, g, "local-port", 1, 65535,
                 /* Translators: completes "give %s" in the messages about a key's value. */
                 _("a port number 1..65535 (leave the key out "
                   "for any free port)"), &have_port, &port, error))
    return FALSE;

  if (acc->address == NULL)
    return trv_invalid_config (error, "account.address",
                               _("account.address: missing; the [account] group needs the SIP "
                                 "address, e.g. address = sip:alice@example.org"));
  if (password_file && acc->password)
    return trv_invalid_config (error, "account.password-file",
                               _("account.password-file: set either password or password-file, "
                                 "not both"));
  if (password_file)
    {
      if (password_file[0] == '\0')
        return trv_invalid_config (error, "account.password-file",
                                   _("account.password-file: empty value"));
      g_autofree gchar *path = resolve_path (password_file, base_dir);
      if (!read_password_file (path, &acc->password, error))
        return FALSE;
    }
  gint value;
  if (transport && !trv_enum_from_nick (TRV_TYPE_SIP_TRANSPORT, transport, &value))
    return trv_invalid_config (error, "account.transport",
                               _("account.transport: '%s' is not one of udp, tcp, tls"), transport);
  if (transport)
    acc->transport = value;
  if (do_register)
    {
      if (g_ascii_strcasecmp (do_register, "true") == 0 || g_str_equal (do_register, "1"))
        acc->do_register = TRUE;
      else if (g_ascii_strcasecmp (do_register, "false") == 0 || g_str_equal (do_register, "0"))
        acc->do_register = FALSE;
      else
        return trv_invalid_config (error, "account.register",
                                   _("account.register: '%s' is not a boolean (use true or false)"),
                                   do_register);
    }
  if (ca_file)
    acc->ca_file = ca_file[0] ? resolve_path (ca_file, base_dir) : g_strdup ("");
  if (srtp && !trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, srtp, &value))
    return trv_invalid_config (error, "account.srtp",
                               _("account.srtp: '%s' is not one of off, optional, mandatory"), srtp);
  if (srtp)
    acc->srtp = value;
  if (srtp_insecure)
    {
      if (g_ascii_strcasecmp (srtp_insecure, "true") == 0 || g_str_equal (srtp_insecure, "1"))
        acc->srtp_over_insecure = TRUE;
      else if (g_ascii_strcasecmp (srtp_insecure, "false") == 0 ||
               g_str_equal (srtp_insecure, "0"))
        acc->srtp_over_insecure = FALSE;
      else
        return trv_invalid_config (error, "account.srtp-over-insecure",
                                   _("account.srtp-over-insecure: '%s' is not a boolean (use true "
                                     "or false)"), srtp_insecure);
    }
  if (allow_direct)
    {
      if (g_ascii_strcasecmp (allow_direct, "true") == 0 || g_str_equal (allow_direct, "1"))
        acc->allow_direct_calls = TRUE;
      else if (g_ascii_strcasecmp (allow_direct, "false") == 0 || g_str_equal (allow_direct, "0"))
        acc->allow_direct_calls = FALSE;
      else
        return trv_invalid_config (error, "account.allow-direct-calls",
                                   _("account.allow-direct-calls: '%s' is not a boolean (use true "
                                     "or false)"), allow_direct);
    }
  if (have_port)
    acc->local_port = (guint16) port;

  if (!trv_account_config_validate (acc, error))
    return FALSE;
  *out = g_steal_pointer (&acc);
  return TRUE;
}

static gboolean
load_nat (GKeyFile *kf, TrvNatConfig **out, GError **error)
{
  const char *g = "nat";
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  g_autofree gchar *mode = NULL;
  g_autofree gchar *turn_transport = NULL;

  if (!get_string (kf, g, "mode", &mode, error) ||
      !get_string (kf, g, "stun-server", &nat->stun_server, error) ||
      !get_string (kf, g, "turn-server", &nat->turn_server, error) ||
      !get_string (kf, g, "turn-transport", &turn_transport, error) ||
      !get_string (kf, g, "turn-username", &nat->turn_username, error) ||
      !get_string (kf, g, "turn-password", &nat->turn_password, error) ||
      !get_string (kf, g, "public-address", &nat->public_address, error) ||
      !get_string (kf, g, "http-proxy", &nat->http_proxy, error))
    return FALSE;

  gint value;
  if (mode && !trv_enum_from_nick (TRV_TYPE_NAT_MODE, mode, &value))
    return trv_invalid_config (error, "nat.mode",
                               _("nat.mode: '%s' is not one of none, stun, turn, ice, auto"), mode);
  if (mode)
    nat->mode = value;
  if (turn_transport)
    {
      if (trv_enum_from_nick (TRV_TYPE_TURN_TRANSPORT, turn_transport, &value))
        nat->turn_transport = value;
      else
        return trv_invalid_config (error, "nat.turn-transport",
                                   _("nat.turn-transport: '%s' is not one of udp, tcp, tls"),
                                   turn_transport);
    }
  if (!trv_nat_config_validate (nat, error))
    return FALSE;
  *out = g_steal_pointer (&nat);
  return TRUE;
}

static gboolean
load_media (GKeyFile *kf, TrvMediaConfig **out, GError **error)
{
  const char *g = "media";
  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();
  g_autofree gchar *codecs = NULL;
  gboolean have_jitter = FALSE, have_inactivity = FALSE;
  guint jitter = 0, inactivity = 0;

  if (!get_string (kf, g, "codecs", &codecs, error) ||
      !get_uint (kf, g, "jitter-ms", 0, G_MAXUINT, _("milliseconds 10..1000"), &have_jitter,
                 &jitter, error) ||
      !get_bool (kf, g, "echo-cancellation", &media->echo_cancel, error) ||
      !get_uint (kf, g, "inactivity-timeout", 0, G_MAXUINT, _("seconds: 0 or 5..3600"),
                 &have_inactivity, &inactivity, error))
    return FALSE;
  if (codecs)
    {
      /* GLib lists use ';'; commas are accepted too since people write them. */
      g_auto(GStrv) parts = g_strsplit_set (codecs, ";,", -1);
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      for (guint i = 0; parts[i]; i++)
        {
          g_strstrip (parts[i]);
          /* A trailing separator ("opus;PCMU;") is GLib list style, not an empty name. */
          if (parts[i][0] == '\0' && parts[i + 1] == NULL && i > 0)
            break;
          g_strv_builder_add (names, parts[i]);
        }
      g_strfreev (media->codecs);
      media->codecs = g_strv_builder_end (names);
      if (media->codecs[0] && media->codecs[0][0] == '\0' && media->codecs[1] == NULL)
        {
          /* "codecs =" alone: say it is empty rather than "empty codec name". */
          g_strfreev (media->codecs);
          media->codecs = g_new0 (gchar *, 1);
        }
    }
  if (have_jitter)
    media->jitter_ms = jitter;
  if (have_inactivity)
    media->inactivity_timeout_s = inactivity;
  if (!trv_media_config_validate (media, error))
    return FALSE;
  *out = g_steal_pointer (&media);
  return TRUE;
}

/* WHERE names the text in syntax errors, which carry no key: the file's path, or
 * "config" when there is no file. */
static gboolean
load_key_file (const char *data,
               const char *base_dir,
               const char *where,
               TrvAccountConfig **account,
               TrvNatConfig **nat,
               TrvMediaConfig **media,
               GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  if (!g_key_file_load_from_data (kf, data, (gsize) -1, G_KEY_FILE_NONE, &local))
    return trv_invalid_config (error, NULL, "%s: %s", where, local->message);
  if (!check_names (kf, error))
    return FALSE;

  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) n = NULL;
  g_autoptr(TrvMediaConfig) m = NULL;
  if (g_key_file_has_group (kf, "account") && !load_account (kf, base_dir, &acc, error))
    return FALSE;
  if (g_key_file_has_group (kf, "nat"))
    {
      if (!load_nat (kf, &n, error))
        return FALSE;
    }
  else
    n = trv_nat_config_new ();
  if (g_key_file_has_group (kf, "media"))
    {
      if (!load_media (kf, &m, error))
        return FALSE;
    }
  else
    m = trv_media_config_new ();
  /* TURN over TLS trusts the same extra CA as SIP over TLS. */
  if (acc && acc->ca_file && acc->ca_file[0])
    n->ca_file = g_strdup (acc->ca_file);

  if (account)
    *account = g_steal_pointer (&acc);
  if (nat)
    *nat = g_steal_pointer (&n);
  if (media)
    *media = g_steal_pointer (&m);
  return TRUE;
}

gboolean
trv_config_file_load_data (const char *data,
                           const char *base_dir,
                           TrvAccountConfig **account,
                           TrvNatConfig **nat,
                           TrvMediaConfig **media,
                           GError **error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  return load_key_file (data, base_dir, "config", account, nat, media, error);
}

gboolean
trv_config_file_load (const char *path,
                      TrvAccountConfig **account,
                      TrvNatConfig **nat,
                      TrvMediaConfig **media,
                      GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  g_autofree gchar *data = NULL;
  g_autoptr(GError) local = NULL;
  if (!g_file_get_contents (path, &data, NULL, &local))
    return trv_invalid_config (error, NULL, _("%s: cannot read the config file (%s)"), path,
                               read_failure (local));
  g_autofree gchar *cwd = g_get_current_dir ();
  g_autofree gchar *absolute = g_canonicalize_filename (path, cwd);
  g_autofree gchar *base_dir = g_path_get_dirname (absolute);
  return load_key_file (data, base_dir, path, account, nat, media, error);
}
