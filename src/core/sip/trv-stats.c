/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-stats.c: a JSON snapshot of one call for --stats and the call view. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "trv-stats.h"
#include "trv-error.h"
#include "trv-media-transport.h"
#include "trv-ice-transport.h"
#include "trv-enum.h"
#include "trv-host-port.h"
#include "trv-config-enums.h"
#include "trv-sip-enums.h"
#include "trv-transport-enums.h"

static void
add_media (JsonBuilder *b, TrvCall *call)
{
  const TrvNegotiation *n = trv_call_get_negotiation (call);
  TrvMediaSession *media = trv_call_get_media (call);
  TrvMediaTransport *transport = trv_call_get_transport (call);
  TrvMediaStats stats = { 0, 0, 0, 0, -1, 0 };
  if (media)
    trv_media_session_get_stats (media, &stats);

  json_builder_set_member_name (b, "media");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "codec");
  if (n && n->codec)
    json_builder_add_string_value (b, n->codec->name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "payload_type");
  if (n)
    json_builder_add_int_value (b, n->send_pt);
  else
    json_builder_add_null_value (b);
  /* The SRTP suite in use (SDES), null for plain RTP. */
  json_builder_set_member_name (b, "srtp");
  if (n && n->local_crypto_key && n->remote && n->remote->crypto_suite)
    json_builder_add_string_value (b, n->remote->crypto_suite);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "local");
  const char *local = transport ? trv_media_transport_get_local_address (transport) : NULL;
  if (local)
    json_builder_add_string_value (b, local);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "remote");
  const char *remote = transport ? trv_media_transport_get_remote_address (transport) : NULL;
  if (remote)
    json_builder_add_string_value (b, remote);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rtp_sent");
  json_builder_add_int_value (b, (gint64) stats.rtp_sent);
  json_builder_set_member_name (b, "rtp_received");
  json_builder_add_int_value (b, (gint64) stats.rtp_received);
  json_builder_set_member_name (b, "rtp_lost");
  json_builder_add_int_value (b, stats.rtp_lost);
  json_builder_set_member_name (b, "rtp_late");
  json_builder_add_int_value (b, (gint64) stats.rtp_late);
  json_builder_set_member_name (b, "jitter_ms");
  json_builder_add_double_value (b, stats.jitter_ms);
  json_builder_set_member_name (b, "jitter_buffer_ms");
  json_builder_add_int_value (b, stats.jitter_buffer_ms);
  json_builder_set_member_name (b, "rtt_ms");
  if (stats.rtt_ms >= 0)
    json_builder_add_double_value (b, stats.rtt_ms);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* "quality": null until media ran; RTT is null until RTCP gave one. */
static void
add_quality (JsonBuilder *b, TrvCall *call)
{
  TrvMediaSession *media = trv_call_get_media (call);
  TrvQuality q;
  json_builder_set_member_name (b, "quality");
  if (media == NULL || !trv_media_session_get_quality (media, &q))
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rtt_ms");
  if (q.rtt_ms >= 0)
    json_builder_add_double_value (b, q.rtt_ms);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "loss_pct");
  json_builder_add_double_value (b, q.loss_pct);
  json_builder_set_member_name (b, "jitter_ms");
  json_builder_add_double_value (b, q.jitter_ms);
  json_builder_set_member_name (b, "mos");
  json_builder_add_double_value (b, round (q.mos * 100) / 100);
  json_builder_set_member_name (b, "r_factor");
  json_builder_add_double_value (b, round (q.r * 10) / 10);
  json_builder_end_object (b);
}

static void
add_endpoint (JsonBuilder *b, const char *name, TrvPathType type, const char *address,
              const char *protocol)
{
  json_builder_set_member_name (b, name);
  if (address == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_PATH_TYPE, type));
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, address);
  g_autofree gchar *host = trv_host_port_dup_host (address);
  g_autoptr(GInetAddress) inet = host ? g_inet_address_new_from_string (host) : NULL;
  json_builder_set_member_name (b, "family");
  if (inet)
    json_builder_add_string_value (b, g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                                        ? "ipv6" : "ipv4");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "transport");
  json_builder_add_string_value (b, protocol ? protocol : "udp");
  json_builder_end_object (b);
}

static void
add_optional_ms (JsonBuilder *b, const char *name, gint64 ms)
{
  json_builder_set_member_name (b, name);
  if (ms >= 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

/* "ice": the media path. Mode none (plain UDP) has no ICE state or timings. */
static void
add_ice (JsonBuilder *b, TrvCall *call)
{
  TrvMediaTransport *t = trv_call_get_transport (call);
  TrvIceTransport *ice = t && TRV_IS_ICE_TRANSPORT (t) ? TRV_ICE_TRANSPORT (t) : NULL;
  json_builder_set_member_name (b, "ice");
  if (t == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_NAT_MODE, ice ? trv_ice_transport_get_mode (ice)
                                                              : TRV_NAT_MODE_NONE));
  json_builder_set_member_name (b, "state");
  if (ice)
    json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_ICE_STATE,
                                                        trv_ice_transport_get_final_state (ice)));
  else
    json_builder_add_null_value (b);
  const char *protocol = trv_media_transport_get_protocol (t);
  add_endpoint (b, "local", trv_media_transport_get_local_type (t),
                trv_media_transport_get_local_address (t), protocol);
  add_endpoint (b, "remote", trv_media_transport_get_remote_type (t),
                trv_media_transport_get_remote_address (t), protocol);
  add_optional_ms (b, "gathering_ms", ice ? trv_ice_transport_get_gathering_ms (ice) : -1);
  add_optional_ms (b, "checks_ms", ice ? trv_ice_transport_get_checks_ms (ice) : -1);
  /* TURN over TCP/TLS through an HTTP proxy: which one ("host:port"), else null. */
  const TrvProxy *proxy = ice ? trv_ice_transport_get_proxy (ice) : NULL;
  g_autofree gchar *proxy_name = proxy ? trv_proxy_describe (proxy) : NULL;
  json_builder_set_member_name (b, "proxy");
  if (proxy_name)
    json_builder_add_string_value (b, proxy_name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  GPtrArray *warnings = ice ? trv_ice_transport_get_warnings (ice) : NULL;
  for (guint i = 0; warnings && i < warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (warnings, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
trv_stats_snapshot (TrvCall *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "call");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, trv_call_get_direction (call) == TRV_CALL_DIRECTION_OUTGOING
                                      ? "outgoing" : "incoming");
  json_builder_set_member_name (b, "remote");
  json_builder_add_string_value (b, trv_call_get_remote_uri (call));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_CALL_STATE, trv_call_get_state (call)));
  json_builder_set_member_name (b, "setup_ms");
  if (trv_call_get_setup_ms (call) >= 0)
    json_builder_add_int_value (b, trv_call_get_setup_ms (call));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "first_rtp_ms");
  if (trv_call_get_first_rtp_ms (call) >= 0)
    json_builder_add_int_value (b, trv_call_get_first_rtp_ms (call));
  else
    json_builder_add_null_value (b);
  /* Wall-clock times, so a benchmark can relate both ends of a call on one machine. */
  gint64 dial_unix_ms = trv_call_get_dial_unix_ms (call);
  json_builder_set_member_name (b, "dial_unix_ms");
  if (dial_unix_ms >= 0)
    json_builder_add_int_value (b, dial_unix_ms);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "first_rtp_unix_ms");
  if (dial_unix_ms >= 0 && trv_call_get_first_rtp_ms (call) >= 0)
    json_builder_add_int_value (b, dial_unix_ms + trv_call_get_first_rtp_ms (call));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "duration_s");
  json_builder_add_double_value (b, trv_call_get_duration_s (call));
  json_builder_set_member_name (b, "end_reason");
  if (trv_call_get_state (call) == TRV_CALL_STATE_ENDED)
    json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, trv_call_get_end_reason (call)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sip_status");
  json_builder_add_int_value (b, trv_call_get_sip_status (call));
  json_builder_set_member_name (b, "error");
  if (trv_call_get_error (call))
    json_builder_add_string_value (b, trv_call_get_error (call)->message);
  else
    json_builder_add_null_value (b);
  /* The session timer (RFC 4028) in seconds; null before the answer. */
  json_builder_set_member_name (b, "session_expires");
  if (trv_call_get_session_expires (call) > 0)
    json_builder_add_int_value (b, trv_call_get_session_expires (call));
  else
    json_builder_add_null_value (b);
  /* Before the answer: seconds of the far end's early media, and which ringback the
   * caller heard (our tone, the network's early media, or none). */
  json_builder_set_member_name (b, "early_media");
  json_builder_add_double_value (b, round (trv_call_get_early_media_s (call) * 10) / 10);
  json_builder_set_member_name (b, "ringback");
  if (trv_call_get_ringback (call) != TRV_CALL_RINGBACK_NONE)
    json_builder_add_string_value (b, trv_enum_to_nick (TRV_TYPE_CALL_RINGBACK,
                                                        trv_call_get_ringback (call)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "dtmf_received");
  json_builder_add_string_value (b, trv_call_get_dtmf_received (call));
  json_builder_set_member_name (b, "remote_hold_count");
  json_builder_add_int_value (b, trv_call_get_remote_hold_count (call));
  /* Whether the peer still holds us when the snapshot is taken (false again after resume). */
  json_builder_set_member_name (b, "remote_held");
  json_builder_add_boolean_value (b, trv_call_get_remote_held (call));
  /* Blind transfer (RFC 5589): the target the call was handed to, null otherwise. */
  json_builder_set_member_name (b, "transferred_to");
  if (trv_call_get_transferred_to (call))
    json_builder_add_string_value (b, trv_call_get_transferred_to (call));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  add_media (b, call);
  add_ice (b, call);
  add_quality (b, call);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
trv_stats_write_file (TrvCall *call, const char *path, GError **error)
{
  g_autoptr(JsonNode) root = trv_stats_snapshot (call);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  g_autofree gchar *text = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, _("cannot write stats to %s: "), path);
      return FALSE;
    }
  return TRUE;
}
