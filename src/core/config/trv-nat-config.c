/* trv-nat-config.c: validated NAT traversal settings and the host[:port] parser. */
#include "config.h"

#include "trv-nat-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "trv-error.h"

#define TRV_DEFAULT_STUN_PORT 3478

G_DEFINE_BOXED_TYPE (TrvNatConfig, trv_nat_config, trv_nat_config_copy, trv_nat_config_free)

static const char *const mode_names[] = {
  [TRV_NAT_MODE_NONE] = "none",
  [TRV_NAT_MODE_STUN] = "stun",
  [TRV_NAT_MODE_TURN] = "turn",
  [TRV_NAT_MODE_ICE] = "ice",
  [TRV_NAT_MODE_AUTO] = "auto",
};

TrvNatConfig *
trv_nat_config_new (void)
{
  TrvNatConfig *self = g_new0 (TrvNatConfig, 1);
  self->mode = TRV_NAT_MODE_NONE;
  self->turn_transport = TRV_TURN_TRANSPORT_UDP;
  return self;
}

TrvNatConfig *
trv_nat_config_copy (const TrvNatConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  TrvNatConfig *copy = g_new0 (TrvNatConfig, 1);
  copy->mode = self->mode;
  copy->stun_server = g_strdup (self->stun_server);
  copy->turn_server = g_strdup (self->turn_server);
  copy->turn_transport = self->turn_transport;
  copy->turn_username = g_strdup (self->turn_username);
  copy->turn_password = g_strdup (self->turn_password);
  copy->public_address = g_strdup (self->public_address);
  return copy;
}

void
trv_nat_config_free (TrvNatConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->stun_server);
  g_free (self->turn_server);
  g_free (self->turn_username);
  if (self->turn_password)
    memset (self->turn_password, 0, strlen (self->turn_password));
  g_free (self->turn_password);
  g_free (self->public_address);
  g_free (self);
}

const char *
trv_nat_mode_to_string (TrvNatMode mode)
{
  if ((guint) mode < G_N_ELEMENTS (mode_names))
    return mode_names[mode];
  return "invalid";
}

gboolean
trv_nat_mode_from_string (const char *s, TrvNatMode *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_ascii_strcasecmp (s, mode_names[i]) == 0)
      {
        *out = (TrvNatMode) i;
        return TRUE;
      }
  return FALSE;
}

/* --- host names and ports ----------------------------------------------------- */

static gboolean
is_dotted_numbers (const char *s)
{
  /* A name made only of digits and dots is meant as an IPv4 address: "256.1.1.1"
   * and "10.1" must not pass as host names. */
  for (; *s; s++)
    if (!g_ascii_isdigit (*s) && *s != '.')
      return FALSE;
  return TRUE;
}

/* Host name syntax (RFC 1123 labels; '_' tolerated for internal names). Returns a
 * reason on failure, NULL when fine. */
static const char *
host_name_problem (const char *name)
{
  g_autofree gchar *ascii = g_hostname_to_ascii (name);
  if (ascii == NULL)
    /* Translators: completes "KEY: 'NAME' ..." (the host name is the subject). */
    return _("is not a valid host name");
  gsize len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[--len] = '\0';
  if (len == 0)
    return _("is not a valid host name");
  if (len > 253)
    return _("is longer than 253 characters");
  g_auto(GStrv) labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i]; i++)
    {
      gsize l = strlen (labels[i]);
      if (l == 0)
        return _("has an empty label (two dots in a row or a leading dot)");
      if (l > 63)
        return _("has a label longer than 63 characters");
      if (labels[i][0] == '-' || labels[i][l - 1] == '-')
        return _("has a label that starts or ends with '-'");
      for (const char *c = labels[i]; *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
          return _("contains a character not allowed in a host name");
    }
  return NULL;
}

/* Checks an unbracketed host: IP literal or host name. */
static gboolean
check_host (const char *host, const char *key, GError **error)
{
  if (host[0] == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("%s: empty host name"), key);
      return FALSE;
    }
  if (g_hostname_is_ip_address (host))
    return TRUE;
  if (strchr (host, ':'))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: '%s' is not a valid IPv6 address"), key, host);
      return FALSE;
    }
  if (is_dotted_numbers (host))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: '%s' is not a valid IPv4 address"), key, host);
      return FALSE;
    }
  const char *problem = host_name_problem (host);
  if (problem)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, "%s: '%s' %s", key, host, problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_port (const char *text, const char *value, const char *key, guint16 *port, GError **error)
{
  guint64 n = 0;
  if (text[0] == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: '%s' has no port after ':'"), key, value);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: port '%s' is not a number"), key, text);
      return FALSE;
    }
  if (n < 1 || n > 65535)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: port %s is out of range (1..65535)"), key, text);
      return FALSE;
    }
  *port = (guint16) n;
  return TRUE;
}

gboolean
trv_parse_host_port (const char *value,
                     guint16 default_port,
                     const char *key,
                     gchar **host,
                     guint16 *port,
                     GError **error)
{
  g_return_val_if_fail (host != NULL && port != NULL, FALSE);
  if (key == NULL)
    key = "address";
  *host = NULL;
  if (value == NULL || value[0] == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("%s: empty host name"), key);
      return FALSE;
    }
  for (const char *c = value; *c; c++)
    if (g_ascii_isspace (*c) || g_ascii_iscntrl (*c))
      {
        g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                     _("%s: '%s' contains white space or control characters"), key, value);
        return FALSE;
      }

  g_autofree gchar *h = NULL;
  guint16 p = default_port;
  if (value[0] == '[')
    {
      /* "[v6]" or "[v6]:port" */
      const char *close = strchr (value, ']');
      if (close == NULL)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                       _("%s: '%s' has '[' without a closing ']'"), key, value);
          return FALSE;
        }
      h = g_strndup (value + 1, close - value - 1);
      if (h[0] == '\0')
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("%s: empty host name"), key);
          return FALSE;
        }
      if (!strchr (h, ':') || !g_hostname_is_ip_address (h))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                       _("%s: '%s' inside [] is not an IPv6 address"), key, h);
          return FALSE;
        }
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, value, key, &p, error))
            return FALSE;
        }
      else if (close[1] != '\0')
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                       _("%s: unexpected '%s' after ']' (use [address]:port)"), key, close + 1);
          return FALSE;
        }
    }
  else
    {
      const char *colon = strchr (value, ':');
      if (colon && strchr (colon + 1, ':'))
        {
          /* Several colons without brackets: a bare IPv6 literal, no port. */
          if (!g_hostname_is_ip_address (value))
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                           _("%s: '%s' is not a valid IPv6 address (write [address]:port "
                             "to give a port)"), key, value);
              return FALSE;
            }
          h = g_strdup (value);
        }
      else if (colon)
        {
          h = g_strndup (value, colon - value);
          if (!check_host (h, key, error) || !parse_port (colon + 1, value, key, &p, error))
            return FALSE;
        }
      else
        {
          h = g_strdup (value);
          if (!check_host (h, key, error))
            return FALSE;
        }
    }
  *host = g_steal_pointer (&h);
  *port = p;
  return TRUE;
}

/* --- validation ------------------------------------------------------------------ */

/* Accepts "host[:port]" and, as many configs carry them, RFC 7064/7065 "stun:" /
 * "turn:" URIs, which are normalised to host[:port] here. */
static gboolean
check_server (gchar **value, const char *key, const char *scheme, GError **error)
{
  if (*value == NULL)
    return TRUE;
  if (g_ascii_strncasecmp (*value, "turns:", 6) == 0 ||
      g_ascii_strncasecmp (*value, "stuns:", 6) == 0)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: '%s': TLS to the STUN/TURN server is not supported (libnice 0.1.21 "
                     "has no real TURN over TLS); use turn-transport=tcp"), key, *value);
      return FALSE;
    }
  gsize len = strlen (scheme);
  if (g_ascii_strncasecmp (*value, scheme, len) == 0)
    {
      gchar *rest = g_strdup (*value + len);
      g_free (*value);
      *value = rest;
    }
  if (strchr (*value, '?') || strchr (*value, '/'))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: '%s' must be host[:port] (URI parameters are not supported; "
                     "use nat.turn-transport for the transport)"), key, *value);
      return FALSE;
    }
  g_autofree gchar *host = NULL;
  guint16 port;
  return trv_parse_host_port (*value, TRV_DEFAULT_STUN_PORT, key, &host, &port, error);
}

static gboolean
check_text (const char *value, const char *key, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (value[0] == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("%s: empty value (leave the key out instead)"), key);
      return FALSE;
    }
  for (const char *c = value; *c; c++)
    if (g_ascii_iscntrl (*c))
      {
        g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                     _("%s: contains a control character (line break or tab)"), key);
        return FALSE;
      }
  return TRUE;
}

gboolean
trv_nat_config_validate (TrvNatConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Every mode is accepted here: which ones can run is the user agent's decision. */
  if ((guint) self->mode >= G_N_ELEMENTS (mode_names))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("nat.mode: unknown mode %d (use none, stun, turn, ice or auto)"), self->mode);
      return FALSE;
    }
  if (self->turn_transport != TRV_TURN_TRANSPORT_UDP &&
      self->turn_transport != TRV_TURN_TRANSPORT_TCP)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("nat.turn-transport: unknown transport %d (use udp or tcp)"),
                   self->turn_transport);
      return FALSE;
    }
  if (!check_server (&self->stun_server, "nat.stun-server", "stun:", error) ||
      !check_server (&self->turn_server, "nat.turn-server", "turn:", error) ||
      !check_text (self->turn_username, "nat.turn-username", error) ||
      !check_text (self->turn_password, "nat.turn-password", error))
    return FALSE;

  /* TURN uses long-term credentials: half a pair is always a mistake. */
  if (self->turn_username && !self->turn_password)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("nat.turn-password: missing (nat.turn-username is set)"));
      return FALSE;
    }
  if (self->turn_password && !self->turn_username)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("nat.turn-username: missing (nat.turn-password is set)"));
      return FALSE;
    }
  if (self->mode == TRV_NAT_MODE_TURN && !self->turn_username)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("nat.turn-username: mode 'turn' needs TURN credentials "
                     "(turn-username and turn-password)"));
      return FALSE;
    }

  if (self->public_address)
    {
      const char *pa = self->public_address;
      if (pa[0] == '\0')
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                       _("nat.public-address: empty value (leave the key out instead)"));
          return FALSE;
        }
      /* An address only: the ports come from the media transport. */
      if (!g_hostname_is_ip_address (pa))
        {
          if (pa[0] == '[' || strchr (pa, ':'))
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                           _("nat.public-address: '%s' must be an IP address or host name "
                             "without a port"), pa);
              return FALSE;
            }
          if (!check_host (pa, "nat.public-address", error))
            return FALSE;
        }
    }
  return TRUE;
}
