/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-cli-call.c: traverse-cli's calls: placing one (`call`), taking them (`answer`),
 * and what it prints while one runs (ringing, media path, DTMF, hold, the end). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "trv-cli.h"
#include "trv-error.h"
#include "trv-stats.h"
#include "trv-enum.h"
#include "trv-sip-enums.h"
#include "trv-transport-enums.h"

/* --- one call ------------------------------------------------------------------- */


typedef struct _Watch Watch;
struct _Watch {
  TrvCli *cli;
  TrvCall *call;
  guint duration_source;
  guint media_source;
  guint hold_source;
  guint answer_source;
  guint transfer_source;
  gboolean was_active;
  gboolean dtmf_sent;
  /* A blind transfer of ours: the call to the target (successor) takes over from the
   * call the peer transferred (origin); each clears the other's link when it goes. */
  Watch *successor;
  Watch *origin;
  /* An attended transfer of ours: our call to the target (consult) for the held call
   * being transferred (consult_for). */
  Watch *consult;
  Watch *consult_for;
};

static void
watch_free (Watch *w)
{
  g_clear_handle_id (&w->duration_source, g_source_remove);
  g_clear_handle_id (&w->media_source, g_source_remove);
  g_clear_handle_id (&w->hold_source, g_source_remove);
  g_clear_handle_id (&w->answer_source, g_source_remove);
  g_clear_handle_id (&w->transfer_source, g_source_remove);
  if (w->successor)
    w->successor->origin = NULL;
  if (w->origin)
    w->origin->successor = NULL;
  if (w->consult)
    w->consult->consult_for = NULL;
  if (w->consult_for)
    w->consult_for->consult = NULL;
  g_signal_handlers_disconnect_by_data (w->call, w);
  if (trv_call_get_transport (w->call))
    g_signal_handlers_disconnect_by_data (trv_call_get_transport (w->call), w);
  g_object_unref (w->call);
  g_free (w);
}

static guint
seconds_timeout (double seconds, GSourceFunc func, gpointer data)
{
  return g_timeout_add ((guint) (seconds * 1000.0), func, data);
}

static gboolean
on_duration_elapsed (gpointer data)
{
  Watch *w = data;
  w->duration_source = 0;
  trv_call_hangup (w->call);
  return G_SOURCE_REMOVE;
}

/* What a blocked media path most likely means for this call's NAT traversal. */
static const char *
media_hint (TrvCall *call)
{
  TrvMediaTransport *t = trv_call_get_transport (call);
  switch (t ? trv_media_transport_get_silence_cause (t) : TRV_SILENCE_CAUSE_UNKNOWN)
    {
    case TRV_SILENCE_CAUSE_LOCAL_ONLY:
    case TRV_SILENCE_CAUSE_BEHIND_NATS:
      return _("; nat.mode = none offers only local addresses, which a peer behind another NAT "
               "cannot reach (use nat.mode = ice)");
    case TRV_SILENCE_CAUSE_NO_PATH:
    case TRV_SILENCE_CAUSE_NO_RELAY:
      return _("; ICE connectivity checks found no working path yet");
    case TRV_SILENCE_CAUSE_UNKNOWN:
    default:
      return "";
    }
}

static gboolean
on_media_timeout (gpointer data)
{
  Watch *w = data;
  w->media_source = 0;
  /* Translators: the last %s is empty or a hint that starts with "; ". */
  trv_cli_fail_line (_("no audio arrived from %s within %.0f s (the media path is blocked%s)"),
                     trv_call_get_remote_uri (w->call), w->cli->timeout, media_hint (w->call));
  trv_call_hangup_with_reason (w->call, TRV_CALL_END_NO_MEDIA);
  return G_SOURCE_REMOVE;
}

static gboolean
on_resume_time (gpointer data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;
  w->hold_source = 0;
  if (!trv_call_set_held (w->call, FALSE, &error))
    trv_cli_fail_line (_("cannot resume: %s"), error->message);
  else
    trv_cli_say ("resuming");
  return G_SOURCE_REMOVE;
}

static gboolean
on_hold_time (gpointer data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;
  w->hold_source = 0;
  if (!trv_call_set_held (w->call, TRUE, &error))
    {
      trv_cli_fail_line (_("cannot hold: %s"), error->message);
      return G_SOURCE_REMOVE;
    }
  trv_cli_say ("holding");
  w->hold_source = seconds_timeout (w->cli->hold_for, on_resume_time, w);
  return G_SOURCE_REMOVE;
}

static void
on_call_media_started (TrvCall *call, Watch *w)
{
  g_clear_handle_id (&w->media_source, g_source_remove);
  trv_cli_say ("media flowing");
  if (w->cli->dtmf && !w->dtmf_sent)
    {
      g_autoptr(GError) error = NULL;
      w->dtmf_sent = TRUE;
      if (!trv_call_send_dtmf (call, w->cli->dtmf, &error))
        trv_cli_fail_line (_("cannot send DTMF: %s"), error->message);
    }
}

/* The peer went quiet while the call is not on hold. (The warning going away means packets
 * came again or a hold began: nothing to print.) */
static void
on_call_media_silent (TrvCall *call, GParamSpec *pspec, Watch *w)
{
  TrvMediaSession *media = trv_call_get_media (call);
  if (trv_call_get_media_silent (call))
    trv_cli_say ("warning: no audio from the other side for %u s",
                 media ? trv_media_session_get_silent_s (media) : 0);
}

/* The far end's early media (ringback, announcement, IVR prompt) plays before the answer. */
static void
on_call_ringback (TrvCall *call, GParamSpec *pspec, Watch *w)
{
  if (trv_call_get_ringback (call) == TRV_CALL_RINGBACK_NETWORK)
    trv_cli_say ("early media");
}

/* The peer put us on hold or took us off it (e.g. to take a waiting call). */
static void
on_call_remote_held (TrvCall *call, GParamSpec *pspec, Watch *w)
{
  trv_cli_say (trv_call_get_remote_held (call) ? "held by the other side"
                                               : "resumed by the other side");
}

static void
on_call_dtmf (TrvCall *call, gchar digit, Watch *w)
{
  trv_cli_say ("dtmf %c", digit);
}

/* Transport problems that did not stop the call (dead STUN server, TURN refused...). */
static void
on_transport_warning (TrvMediaTransport *transport, const char *message, Watch *w)
{
  trv_cli_say ("warning: %s", message);
}

static void
on_call_path_changed (TrvCall *call, Watch *w)
{
  TrvMediaTransport *t = trv_call_get_transport (call);
  /* No remote address yet (c=0.0.0.0, a hold): nothing to print, not "(null)". */
  const char *remote = trv_media_transport_get_remote_address (t);
  trv_cli_say ("media path: %s %s -> %s %s (%s)",
               trv_enum_to_nick (TRV_TYPE_PATH_TYPE, trv_media_transport_get_local_type (t)),
               trv_media_transport_get_local_address (t),
               trv_enum_to_nick (TRV_TYPE_PATH_TYPE, trv_media_transport_get_remote_type (t)),
               remote ? remote : "none",
               trv_media_transport_get_protocol (t) ? trv_media_transport_get_protocol (t) : "udp");
}

/* account.voicemail.{new, old, box}: the counts the server last gave and the box "Call
 * Voicemail" would dial, where known. */
static void
add_voicemail_stats (TrvCli *cli, JsonObject *root)
{
  gint new_messages = trv_user_agent_get_voicemail_new (cli->agent);
  gint old_messages = trv_user_agent_get_voicemail_old (cli->agent);
  const char *box = trv_user_agent_get_voicemail_box (cli->agent);
  if (new_messages < 0 && old_messages < 0 && box == NULL)
    return;
  JsonObject *voicemail = json_object_new ();
  if (new_messages >= 0)
    json_object_set_int_member (voicemail, "new", new_messages);
  if (old_messages >= 0)
    json_object_set_int_member (voicemail, "old", old_messages);
  if (box)
    json_object_set_string_member (voicemail, "box", box);
  JsonObject *account = json_object_new ();
  json_object_set_object_member (account, "voicemail", voicemail);
  json_object_set_object_member (root, "account", account);
}

static void
write_stats (TrvCli *cli, TrvCall *call)
{
  if (cli->stats == NULL)
    return;
  /* Further calls of `answer --calls N` go to NAME-2.json, NAME-3.json, ... */
  g_autofree gchar *path = cli->calls_done > 0 ?
                           trv_cli_numbered_path (cli->stats, cli->calls_done + 1) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = trv_stats_snapshot (call);
  /* With nat.mode = auto the stats carry the probe that chose the mode. */
  if (cli->nat_report)
    json_object_set_member (json_node_get_object (root), "nat_probe",
                            trv_nat_report_to_json (cli->nat_report));
  add_voicemail_stats (cli, json_node_get_object (root));
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  if (!json_generator_to_file (gen, path ? path : cli->stats, &error))
    trv_cli_fail_line (_("cannot write %s: %s"), path ? path : cli->stats, error->message);
}

/* A call that was answered but carried no audio one way or both is no success, whatever
 * ended it: says which way failed and returns TRUE. */
static gboolean
report_missing_media (TrvCall *call)
{
  TrvMediaSession *media = trv_call_get_media (call);
  TrvMediaStats stats = { 0 };
  if (media)
    trv_media_session_get_stats (media, &stats);
  if (stats.rtp_received > 0 && stats.rtp_sent > 0)
    return FALSE;
  if (stats.rtp_received == 0 && stats.rtp_sent == 0)
    trv_cli_fail_line (_("no media: nothing sent and nothing received from the other side"));
  else if (stats.rtp_received == 0)
    trv_cli_fail_line (_("no media: nothing received from the other side"));
  else
    trv_cli_fail_line (_("no media: nothing sent to the other side"));
  return TRUE;
}

/* --- transfer ------------------------------------------------------------------------ */

static Watch *watch_call (TrvCli *cli, TrvCall *call);

/* --attended: the held call waits while we call the target; its answer sends the REFER
 * (transfer_to_consultation). */
static void
consult_target (Watch *w)
{
  g_autoptr(GError) error = NULL;
  TrvCall *consultation = trv_user_agent_consult (w->cli->agent, w->call, w->cli->transfer_to,
                                                  &error);
  if (consultation == NULL)
    {
      trv_cli_fail_line (_("cannot transfer: %s"), error->message);
      return;
    }
  trv_cli_say ("consulting %s", w->cli->transfer_to);
  Watch *cw = watch_call (w->cli, consultation);
  cw->consult_for = w;
  w->consult = cw;
}

static void
transfer_to_consultation (Watch *cw)
{
  g_autoptr(GError) error = NULL;
  if (!trv_call_transfer_to_call (cw->consult_for->call, cw->call, &error))
    trv_cli_fail_line (_("cannot transfer: %s"), error->message);
  else
    trv_cli_say ("transferring %s", trv_call_get_remote_uri (cw->call));
}

static gboolean
on_transfer_time (gpointer data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;
  w->transfer_source = 0;
  if (w->cli->attended)
    consult_target (w);
  else if (!trv_user_agent_transfer (w->cli->agent, w->call, w->cli->transfer_to, &error))
    trv_cli_fail_line (_("cannot transfer: %s"), error->message);
  else
    trv_cli_say ("transferring %s", w->cli->transfer_to);
  return G_SOURCE_REMOVE;
}

static void
on_call_transfer_failed (TrvCall *call, const GError *error, Watch *w)
{
  trv_cli_say ("warning: %s", error->message);
}

static gboolean
on_transfer_unanswered (gpointer data)
{
  Watch *w = data;
  w->answer_source = 0;
  trv_call_hangup (w->call);
  return G_SOURCE_REMOVE;
}

/* @next takes @w's place (a transfer or a Replaces): @w's timers stop, and --duration,
 * --record and the exit code are next's. */
static Watch *
hand_over (Watch *w, TrvCall *next)
{
  g_clear_handle_id (&w->duration_source, g_source_remove);
  g_clear_handle_id (&w->media_source, g_source_remove);
  g_clear_handle_id (&w->hold_source, g_source_remove);
  g_clear_handle_id (&w->transfer_source, g_source_remove);
  Watch *nw = watch_call (w->cli, next);
  nw->origin = w;
  w->successor = nw;
  return nw;
}

/* Ours went through (next NULL: our BYE follows), or the peer transferred us to @target
 * and @next is our call there. */
static void
on_call_transferred (TrvCall *call, const char *target, TrvCall *next, Watch *w)
{
  if (next == NULL)
    {
      trv_cli_say ("transferred");
      return;
    }
  trv_cli_say ("transferred to %s", target);
  Watch *nw = hand_over (w, next);
  /* A target that never answers: cancelled after --timeout, the transferred call goes on. */
  if (w->cli->timeout > 0)
    nw->answer_source = seconds_timeout (w->cli->timeout, on_transfer_unanswered, nw);
}

/* An INVITE with Replaces took this call over (we were the target of an attended
 * transfer): the new call is the one that counts. */
static void
on_call_replaced (TrvCall *call, TrvCall *next, Watch *w)
{
  trv_cli_say ("replaced by %s", trv_call_get_remote_uri (next));
  hand_over (w, next);
}

/* Our call to the target of an attended transfer ended: it never counts as a call of the
 * run. Unanswered (or refused), the held call is resumed and goes on. */
static void
consultation_ended (Watch *cw)
{
  Watch *held = cw->consult_for;
  if (!cw->was_active)
    {
      const GError *error = trv_call_get_error (cw->call);
      trv_cli_say ("warning: transfer to %s failed: %s", trv_call_get_remote_uri (cw->call),
                   error ? error->message
                         : trv_enum_to_nick (TRV_TYPE_CALL_END_REASON,
                                             trv_call_get_end_reason (cw->call)));
    }
  g_debug ("consultation ended: %s",
           trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, trv_call_get_end_reason (cw->call)));
  gboolean resume = !cw->was_active && trv_call_get_state (held->call) == TRV_CALL_STATE_HELD;
  watch_free (cw);
  g_autoptr(GError) error = NULL;
  if (resume && !trv_call_set_held (held->call, FALSE, &error))
    trv_cli_fail_line (_("cannot resume: %s"), error->message);
}

/* TRUE when @w's end is part of a transfer and says all there is to say: the transferred
 * call ending while the call to the target goes on, or that call failing while the
 * transferred one goes on (which then carries on as before). */
static gboolean
transfer_handles_end (Watch *w)
{
  if (w->consult_for)
    {
      consultation_ended (w);
      return TRUE;
    }
  if (w->successor)
    {
      g_debug ("transferred call ended: %s",
               trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, trv_call_get_end_reason (w->call)));
      watch_free (w);
      return TRUE;
    }
  if (w->origin == NULL || w->was_active ||
      trv_call_get_state (w->origin->call) == TRV_CALL_STATE_ENDED)
    return FALSE;
  const GError *error = trv_call_get_error (w->call);
  trv_cli_say ("warning: transfer to %s failed: %s", trv_call_get_remote_uri (w->call),
               error ? error->message
                     : trv_enum_to_nick (TRV_TYPE_CALL_END_REASON,
                                         trv_call_get_end_reason (w->call)));
  Watch *origin = w->origin;
  watch_free (w);
  if (origin->cli->duration > 0)
    origin->duration_source = seconds_timeout (origin->cli->duration, on_duration_elapsed, origin);
  return TRUE;
}

static int
exit_code_for (Watch *w)
{
  TrvCallEndReason reason = trv_call_get_end_reason (w->call);
  /* No media path could exist (e.g. no common address family): a call without media,
   * even where it ended before the answer. */
  if (g_error_matches (trv_call_get_error (w->call), TRV_ERROR, TRV_ERROR_NO_PATH))
    return EXIT_NO_MEDIA;
  if (!w->was_active)
    return reason == TRV_CALL_END_NO_MEDIA ? EXIT_NO_MEDIA : EXIT_CALL;
  /* A no-media end has said why already (the media timeout, inactivity, no ICE path). */
  if (reason == TRV_CALL_END_NO_MEDIA || report_missing_media (w->call))
    return EXIT_NO_MEDIA;
  return trv_call_get_error (w->call) ? EXIT_CALL : EXIT_OK;
}

static void
on_call_ended (Watch *w)
{
  TrvCli *cli = w->cli;
  TrvCall *call = w->call;
  const GError *error = trv_call_get_error (call);
  TrvCallEndReason reason = trv_call_get_end_reason (call);

  if (transfer_handles_end (w))
    return;

  if (error)
    trv_cli_fail_line ("%s", error->message);
  else if (!w->was_active && cli->command == CMD_CALL)
    {
      if (reason == TRV_CALL_END_CANCELLED)
        trv_cli_fail_line (_("no answer from %s within %.0f s; call cancelled"),
                           trv_call_get_remote_uri (call), cli->timeout);
      else
        /* Translators: the second %s is how the call ended, an English keyword such as
         * "rejected" or "failed"; the number is the SIP status. */
        trv_cli_fail_line (_("call to %s failed (%s, SIP %u)"), trv_call_get_remote_uri (call),
                           trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, reason), trv_call_get_sip_status (call));
    }
  /* After the error: a line on which way had no media may follow it. */
  int code = exit_code_for (w);
  trv_cli_say ("ended: %s after %.1f s", trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, reason),
               trv_call_get_duration_s (call));
  write_stats (cli, call);
  cli->calls_done++;

  /* The answering side rejecting/declining on purpose is a success. */
  if (cli->command == CMD_ANSWER && (reason == TRV_CALL_END_DECLINED ||
                                     reason == TRV_CALL_END_CANCELLED))
    code = EXIT_OK;
  if (code > cli->exit_code)
    cli->exit_code = code;

  gboolean done = cli->command != CMD_ANSWER ||
                  cli->calls_done >= (guint) cli->calls + cli->waiting_taken;
  watch_free (w);
  if (done)
    trv_cli_finish (cli, cli->exit_code);
  else
    trv_cli_waiting_call_ended (cli);
}

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, Watch *w)
{
  TrvCli *cli = w->cli;
  TrvCallState state = trv_call_get_state (call);

  switch (state)
    {
    case TRV_CALL_STATE_RINGING:
      trv_cli_say ("ringing");
      break;
    case TRV_CALL_STATE_HELD:
      /* The peer accepted our hold re-INVITE ("holding" only says we asked). */
      trv_cli_say ("on hold");
      break;
    case TRV_CALL_STATE_ACTIVE:
      if (w->was_active)
        {
          if (old_state == TRV_CALL_STATE_HELD)
            trv_cli_say ("resumed");
          break;
        }
      w->was_active = TRUE;
      g_clear_handle_id (&cli->timeout_source, g_source_remove);
      g_clear_handle_id (&w->answer_source, g_source_remove);
      {
        const TrvNegotiation *n = trv_call_get_negotiation (call);
        trv_cli_say ("answered (%s/%u)", n && n->codec ? n->codec->name : "?",
                     n && n->codec ? n->codec->clock_rate : 0);
      }
      if (trv_call_get_first_rtp_ms (call) < 0 && cli->timeout > 0)
        w->media_source = seconds_timeout (cli->timeout, on_media_timeout, w);
      if (w->consult_for)
        {
          /* Our call to the target: it only serves the transfer. */
          transfer_to_consultation (w);
          break;
        }
      if (cli->duration > 0)
        w->duration_source = seconds_timeout (cli->duration, on_duration_elapsed, w);
      if (cli->hold_after > 0 && cli->hold_for > 0)
        w->hold_source = seconds_timeout (cli->hold_after, on_hold_time, w);
      /* Not the call a transfer brought us: that one stays. */
      if (cli->transfer_to && w->origin == NULL)
        w->transfer_source = seconds_timeout (cli->transfer_after, on_transfer_time, w);
      break;
    case TRV_CALL_STATE_ENDED:
      on_call_ended (w);
      break;
    default:
      break;
    }
}

static Watch *
watch_call (TrvCli *cli, TrvCall *call)
{
  Watch *w = g_new0 (Watch, 1);
  w->cli = cli;
  w->call = g_object_ref (call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state_changed), w);
  g_signal_connect (call, "media-started", G_CALLBACK (on_call_media_started), w);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_call_dtmf), w);
  g_signal_connect (call, "path-changed", G_CALLBACK (on_call_path_changed), w);
  g_signal_connect (call, "notify::media-silent", G_CALLBACK (on_call_media_silent), w);
  g_signal_connect (call, "notify::ringback", G_CALLBACK (on_call_ringback), w);
  g_signal_connect (call, "notify::remote-held", G_CALLBACK (on_call_remote_held), w);
  g_signal_connect (call, "transferred", G_CALLBACK (on_call_transferred), w);
  g_signal_connect (call, "transfer-failed", G_CALLBACK (on_call_transfer_failed), w);
  g_signal_connect (call, "replaced", G_CALLBACK (on_call_replaced), w);
  TrvMediaTransport *t = trv_call_get_transport (call);
  if (t)
    {
      GPtrArray *earlier = trv_media_transport_get_warnings (t);
      for (guint i = 0; i < earlier->len; i++)
        trv_cli_say ("warning: %s", (const char *) earlier->pdata[i]);
      g_signal_connect (t, "warning", G_CALLBACK (on_transport_warning), w);
    }
  return w;
}

/* --- calling and answering ------------------------------------------------------------ */

static gboolean
on_overall_timeout (gpointer data)
{
  TrvCli *cli = data;
  cli->timeout_source = 0;
  if (cli->command == CMD_ANSWER)
    {
      trv_cli_fail_line (_("no incoming call within %.0f s"), cli->timeout);
      trv_cli_finish (cli, EXIT_CALL);
      return G_SOURCE_REMOVE;
    }
  if (cli->command == CMD_REGISTER || !cli->started_calling)
    {
      trv_cli_fail_line (_("registration did not complete within %.0f s"), cli->timeout);
      trv_cli_finish (cli, EXIT_REGISTRATION);
      return G_SOURCE_REMOVE;
    }
  /* Outgoing call not answered in time: CANCEL (the ended handler reports it). */
  for (GList *l = trv_user_agent_get_calls (cli->agent); l; l = l->next)
    trv_call_hangup (l->data);
  return G_SOURCE_REMOVE;
}

void
trv_cli_start_calling (TrvCli *cli)
{
  g_autoptr(GError) error = NULL;
  const char *target = cli->echo ? trv_echo_endpoint_get_uri (cli->echo) : cli->uri;
  cli->started_calling = TRUE;
  trv_cli_say ("calling %s", target);
  /* The echo test is called past any account, as in the desktop app. */
  TrvCall *call = cli->echo ? trv_user_agent_dial_local (cli->agent, target, &error)
                            : trv_user_agent_dial (cli->agent, target, &error);
  if (call == NULL)
    {
      trv_cli_fail_line ("%s", error->message);
      trv_cli_finish (cli, EXIT_CALL);
      return;
    }
  watch_call (cli, call);
  if (cli->timeout > 0)
    trv_cli_arm_timeout (cli, cli->timeout);
}

void
trv_cli_arm_timeout (TrvCli *cli, double seconds)
{
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  cli->timeout_source = seconds_timeout (seconds, on_overall_timeout, cli);
}

static gboolean
on_answer_delay (gpointer data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;
  w->answer_source = 0;
  if (trv_call_get_state (w->call) == TRV_CALL_STATE_INCOMING &&
      !trv_call_answer (w->call, &error))
    trv_cli_fail_line (_("cannot answer: %s"), error->message);
  return G_SOURCE_REMOVE;
}

void
trv_cli_on_incoming_call (TrvUserAgent *agent, TrvCall *call, TrvCli *cli)
{
  g_autoptr(GError) error = NULL;
  cli->calls_seen++;
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  trv_cli_say ("incoming %s", trv_call_get_remote_uri (call));
  if (trv_cli_refuse_waiting (cli, call))
    return;
  Watch *w = watch_call (cli, call);
  if (trv_call_get_waiting (call) && cli->reject == 0)
    {
      trv_cli_answer_waiting (cli, call);
      return;
    }
  trv_cli_name_next_recording (cli);
  if (cli->reject > 0)
    {
      if (!trv_call_reject (call, cli->reject, &error))
        trv_cli_fail_line ("%s", error->message);
      return;
    }
  if (cli->answer_after > 0)
    {
      w->answer_source = seconds_timeout (cli->answer_after, on_answer_delay, w);
      return;
    }
  if (!trv_call_answer (call, &error))
    trv_cli_fail_line (_("cannot answer: %s"), error->message);
}
