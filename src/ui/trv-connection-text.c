/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-connection-text.c: the call view's words for the media path and quality figures. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-connection-text.h"
#include "trv-host-port.h"
#include "trv-sip-uri.h"

static gboolean
is_ipv6 (const char *host_port)
{
  g_autofree gchar *host = host_port ? trv_host_port_dup_host (host_port) : NULL;
  g_autoptr(GInetAddress) inet = host ? g_inet_address_new_from_string (host) : NULL;
  return inet && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;
}

gchar *
trv_connection_describe_path (TrvPathType local_type, const char *local_address,
                              TrvPathType remote_type, const char *remote_address,
                              const char *protocol, const char *turn_server)
{
  g_autofree gchar *words = NULL;

  if (local_type == TRV_PATH_UNKNOWN && remote_type == TRV_PATH_UNKNOWN)
    return g_strdup (_("Not connected yet"));

  if (local_type == TRV_PATH_RELAY)
    {
      g_autofree gchar *relay = trv_host_port_dup_host (local_address);
      const char *server = turn_server && *turn_server ? turn_server : relay;
      /* Translators: %s is a TURN server name or address. */
      words = server ? g_strdup_printf (_("Relayed via TURN server %s"), server)
                     : g_strdup (_("Relayed via a TURN server"));
    }
  else if (remote_type == TRV_PATH_RELAY)
    {
      g_autofree gchar *relay = trv_host_port_dup_host (remote_address);
      /* Translators: %s is the address of the other side's TURN server. */
      words = relay ? g_strdup_printf (_("Relayed via the other side's TURN server %s"), relay)
                    : g_strdup (_("Relayed via the other side's TURN server"));
    }
  else if (local_type == TRV_PATH_SRFLX || local_type == TRV_PATH_PRFLX ||
           remote_type == TRV_PATH_SRFLX || remote_type == TRV_PATH_PRFLX)
    words = g_strdup (_("Through NAT (STUN)"));
  else if (is_ipv6 (local_address))
    words = g_strdup (_("Direct over IPv6"));
  else
    words = g_strdup (_("Direct"));

  if (g_strcmp0 (protocol, "tcp") == 0)
    /* Translators: %s is a connection description such as "Relayed via TURN server X". */
    return g_strdup_printf (_("%s, over TCP"), words);
  if (g_strcmp0 (protocol, "tls") == 0)
    /* Translators: %s is a connection description such as "Relayed via TURN server X". */
    return g_strdup_printf (_("%s, over TLS"), words);
  return g_steal_pointer (&words);
}

const char *
trv_connection_describe_candidate (TrvPathType type)
{
  switch (type)
    {
    case TRV_PATH_HOST:
      return _("Host (an address of the device itself)");
    case TRV_PATH_SRFLX:
      return _("Server-reflexive (public address found by STUN)");
    case TRV_PATH_PRFLX:
      return _("Peer-reflexive (address found while testing the path)");
    case TRV_PATH_RELAY:
      return _("Relayed (address on a TURN server)");
    case TRV_PATH_UNKNOWN:
    default:
      return _("Unknown");
    }
}

gchar *
trv_connection_format_ms (double ms)
{
  if (ms < 0)
    return g_strdup (_("Not measured yet"));
  /* Translators: milliseconds. */
  return g_strdup_printf (_("%.0f ms"), ms);
}

gchar *
trv_connection_format_loss (gint64 lost, guint64 received)
{
  if (lost <= 0)
    return g_strdup (_("None"));
  double percent = 100.0 * (double) lost / (double) (received + (guint64) lost);
  /* Translators: packet loss, e.g. "0.5 % (3 of 600 packets)". */
  return g_strdup_printf (_("%.1f %% (%lld of %llu packets)"), percent, (long long) lost,
                          (unsigned long long) (received + (guint64) lost));
}

gchar *
trv_connection_format_duration (double seconds)
{
  guint64 s = seconds > 0 ? (guint64) seconds : 0;
  if (s >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s / 60 % 60), (guint) (s % 60));
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u", s / 60, (guint) (s % 60));
}

gchar *
trv_party_short_name (const char *display_name, const char *uri)
{
  if (display_name && *display_name)
    return g_strdup (display_name);
  if (uri == NULL)
    return g_strdup ("");
  gchar *user = trv_sip_uri_dup_user (uri);
  return user ? user : g_strdup (uri);
}

gchar *
trv_connection_describe_quality (double r, double mos)
{
  const char *words;

  /* G.107 Annex B: R >= 90 very satisfied, 80 satisfied, 70 some users dissatisfied,
   * 60 many dissatisfied, 50 nearly all dissatisfied. */
  if (r >= 90)
    words = _("Excellent");
  else if (r >= 80)
    words = _("Good");
  else if (r >= 70)
    words = _("Fair");
  else if (r >= 60)
    words = _("Poor");
  else
    words = _("Bad");
  /* Translators: a quality word and the estimated mean opinion score, e.g. "Good (estimated MOS 4.2)". */
  return g_strdup_printf (_("%s (estimated MOS %.1f)"), words, mos);
}

gchar *
trv_connection_describe_silence (double silent_s, gboolean ever_received)
{
  if (silent_s < TRV_SILENCE_HINT_SECONDS)
    return NULL;
  /* No running count of seconds: the words are announced once when they appear. */
  if (ever_received)
    return g_strdup (_("The sound from the other side has stopped: the network path may "
                       "have changed or broken."));
  return g_strdup (_("No sound has arrived from the other side: a firewall or NAT is "
                     "probably blocking the audio. In Preferences, try the NAT traversal "
                     "mode ICE or TURN."));
}

gchar *
trv_connection_describe_auto_mode (TrvNatMode mode, TrvTurnTransport transport,
                                   gboolean from_probe, const char *reason)
{
  const char *name;
  switch (mode)
    {
    case TRV_NAT_MODE_NONE:
      name = _("Direct (no NAT traversal)");
      break;
    case TRV_NAT_MODE_STUN:
      name = _("Through NAT (STUN)");
      break;
    case TRV_NAT_MODE_TURN:
      name = transport == TRV_TURN_TRANSPORT_TLS ? _("Relayed via TURN over TLS")
             : transport == TRV_TURN_TRANSPORT_TCP ? _("Relayed via TURN over TCP")
                                                   : _("Relayed via TURN");
      break;
    case TRV_NAT_MODE_ICE:
    default:
      name = _("Best path (ICE)");
      break;
    }
  if (from_probe)
    /* Translators: %s (1st) is a connection method, %s (2nd) the network test's verdict. */
    return g_strdup_printf (_("%s — chosen automatically: %s"), name, reason ? reason : "");
  if (reason)
    /* Translators: %s (1st) is a connection method, %s (2nd) why the test failed. */
    return g_strdup_printf (_("%s — the network test could not decide (%s), so every path "
                              "will be tried"), name, reason);
  return g_strdup_printf (_("%s — the network test could not decide, so every path will be "
                            "tried"), name);
}

gchar *
trv_voicemail_summary (gint new_count, gint old_count)
{
  if (new_count < 0)
    return NULL;
  g_autofree gchar *news = new_count == 0
    ? g_strdup (_("No new messages"))
    : g_strdup_printf (ngettext ("%d new message", "%d new messages", new_count), new_count);
  /* Translators: "2 new messages, 5 old". */
  return old_count > 0 ? g_strdup_printf (_("%s, %d old"), news, old_count) : g_strdup (news);
}
