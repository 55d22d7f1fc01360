/* trv-stats.c: a JSON snapshot of one call for --stats and the call view. */
#include "trv-stats.h"
#include "trv-error.h"
#include "trv-transport.h"

static void
add_media (JsonBuilder *b, TrvCall *call)
{
  const TrvNegotiation *n = trv_call_get_negotiation (call);
  TrvMediaSession *media = trv_call_get_media (call);
  TrvTransport *transport = trv_call_get_transport (call);
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
  json_builder_set_member_name (b, "local");
  const char *local = transport ? trv_transport_get_local_address (transport) : NULL;
  if (local)
    json_builder_add_string_value (b, local);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "remote");
  const char *remote = transport ? trv_transport_get_remote_address (transport) : NULL;
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
  json_builder_set_member_name (b, "jitter_ms");
  json_builder_add_double_value (b, stats.jitter_ms);
  json_builder_set_member_name (b, "rtt_ms");
  if (stats.rtt_ms >= 0)
    json_builder_add_double_value (b, stats.rtt_ms);
  else
    json_builder_add_null_value (b);
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
  json_builder_add_string_value (b, trv_call_state_to_string (trv_call_get_state (call)));
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
  json_builder_set_member_name (b, "duration_s");
  json_builder_add_double_value (b, trv_call_get_duration_s (call));
  json_builder_set_member_name (b, "end_reason");
  if (trv_call_get_state (call) == TRV_CALL_STATE_ENDED)
    json_builder_add_string_value (b, trv_call_end_reason_to_string (trv_call_get_end_reason (call)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sip_status");
  json_builder_add_int_value (b, trv_call_get_sip_status (call));
  json_builder_set_member_name (b, "error");
  if (trv_call_get_error (call))
    json_builder_add_string_value (b, trv_call_get_error (call)->message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "dtmf_received");
  json_builder_add_string_value (b, trv_call_get_dtmf_received (call));
  json_builder_set_member_name (b, "remote_hold_count");
  json_builder_add_int_value (b, trv_call_get_remote_hold_count (call));
  /* Whether the peer still holds us when the snapshot is taken (false again after resume). */
  json_builder_set_member_name (b, "remote_held");
  json_builder_add_boolean_value (b, trv_call_get_remote_held (call));
  json_builder_end_object (b);

  add_media (b, call);

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
      g_prefix_error (error, "cannot write stats to %s: ", path);
      return FALSE;
    }
  return TRUE;
}
