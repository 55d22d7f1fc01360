/* traverse-cli: the headless front end of Traverse (scripting and tests). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "trv-cli.h"
#include "trv-cli-probe.h"
#include "trv-config-file.h"
#include "trv-echo-endpoint.h"
#include "trv-error.h"
#include "trv-process.h"
#include "trv-ice-transport.h"
#include "trv-stats.h"
#include "trv-user-agent.h"
#include "trv-enum.h"
#include "trv-sip-enums.h"
#include "trv-transport-enums.h"

typedef enum { CMD_REGISTER, CMD_CALL, CMD_ANSWER, CMD_PROBE } Command;

typedef struct {
  Command command;
  gchar *config_path;
  gchar *uri;
  double duration;
  gchar *play;
  gchar *record;
  gchar *stats;
  gchar *dtmf;
  double timeout;
  gint calls;
  gint reject;
  double answer_after;
  double hold_after;
  double hold_for;
  gboolean json;
  TrvNatReport *nat_report;   /* the probe behind nat.mode = auto, for --stats */

  GMainLoop *loop;
  TrvUserAgent *agent;
  TrvEchoEndpoint *echo;
  TrvMediaConfig *media;
  gchar *aor;
  int exit_code;
  gboolean finishing;
  gboolean started_calling;
  guint timeout_source;
  guint calls_done;
  guint calls_seen;
} Cli;

static void finish (Cli *cli, int exit_code);

void
trv_cli_fail_line (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree gchar *msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "traverse-cli: %s\n", msg);
}

void
trv_cli_say (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* --- audio devices ------------------------------------------------------------ */

static gboolean
have_sound_server (void)
{
  if (g_getenv ("PULSE_SERVER"))
    return TRUE;
  const char *runtime = g_get_user_runtime_dir ();
  g_autofree gchar *pulse = g_build_filename (runtime, "pulse", "native", NULL);
  g_autofree gchar *pipewire = g_build_filename (runtime, "pipewire-0", NULL);
  if (g_file_test (pulse, G_FILE_TEST_EXISTS) || g_file_test (pipewire, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree gchar *cards = NULL;
  return g_file_get_contents ("/proc/asound/cards", &cards, NULL, NULL) &&
         strstr (cards, "no soundcards") == NULL && cards[0] != '\0';
}

static gboolean
build_media_options (Cli *cli, TrvMediaOptions **out, GError **error)
{
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  o->play_file = g_strdup (cli->play);
  o->record_file = g_strdup (cli->record);
  o->source_desc = g_strdup (g_getenv ("TRAVERSE_AUDIOSRC"));
  o->sink_desc = g_strdup (g_getenv ("TRAVERSE_AUDIOSINK"));
  o->jitter_ms = cli->media->jitter_ms;
  /* Only for the sound devices: TRAVERSE_AUDIOSRC/SINK are test stand-ins. */
  o->echo_cancel = cli->media->echo_cancel;
  if (cli->play && !g_file_test (cli->play, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("--play: cannot read '%s'"), cli->play);
      return FALSE;
    }
  gboolean need_device = (o->play_file == NULL && o->source_desc == NULL) ||
                         (o->record_file == NULL && o->sink_desc == NULL);
  if (need_device && !have_sound_server ())
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                   _("no sound server or sound card found; use --play FILE.wav and "
                     "--record FILE.wav (or TRAVERSE_AUDIOSRC/TRAVERSE_AUDIOSINK)"));
      return FALSE;
    }
  *out = g_steal_pointer (&o);
  return TRUE;
}

/* --- finishing ------------------------------------------------------------------ */

static void
on_echo_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  Cli *cli = data;
  trv_echo_endpoint_shutdown_finish (TRV_ECHO_ENDPOINT (source), result, NULL);
  g_main_loop_quit (cli->loop);
}

static void
on_agent_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  Cli *cli = data;
  trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, NULL);
  if (cli->echo)
    trv_echo_endpoint_shutdown_async (cli->echo, on_echo_shutdown, cli);
  else
    g_main_loop_quit (cli->loop);
}

static void
finish (Cli *cli, int exit_code)
{
  if (cli->finishing)
    return;
  cli->finishing = TRUE;
  cli->exit_code = exit_code;
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  trv_user_agent_shutdown_async (cli->agent, NULL, on_agent_shutdown, cli);
}

/* --- one call ------------------------------------------------------------------- */

typedef struct {
  Cli *cli;
  TrvCall *call;
  guint duration_source;
  guint media_source;
  guint hold_source;
  guint answer_source;
  gboolean was_active;
  gboolean dtmf_sent;
} Watch;

static void
watch_free (Watch *w)
{
  g_clear_handle_id (&w->duration_source, g_source_remove);
  g_clear_handle_id (&w->media_source, g_source_remove);
  g_clear_handle_id (&w->hold_source, g_source_remove);
  g_clear_handle_id (&w->answer_source, g_source_remove);
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
  if (t == NULL || !TRV_IS_ICE_TRANSPORT (t))
    return _("; nat.mode = none offers only local addresses, which a peer behind another NAT "
             "cannot reach (use nat.mode = ice)");
  if (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (t)) != TRV_ICE_STATE_CONNECTED)
    return _("; ICE connectivity checks found no working path yet");
  return "";
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

static void
on_call_dtmf (TrvCall *call, gchar digit, Watch *w)
{
  trv_cli_say ("dtmf %c", digit);
}

/* ICE problems that did not stop the call (dead STUN server, TURN refused...). */
static void
on_transport_warning (TrvIceTransport *transport, const char *message, Watch *w)
{
  trv_cli_say ("warning: %s", message);
}

static void
on_call_path_changed (TrvCall *call, Watch *w)
{
  TrvMediaTransport *t = trv_call_get_transport (call);
  trv_cli_say ("media path: %s %s -> %s %s (%s)",
               trv_enum_to_nick (TRV_TYPE_PATH_TYPE, trv_media_transport_get_local_type (t)),
               trv_media_transport_get_local_address (t),
               trv_enum_to_nick (TRV_TYPE_PATH_TYPE, trv_media_transport_get_remote_type (t)),
               trv_media_transport_get_remote_address (t),
               trv_media_transport_get_protocol (t) ? trv_media_transport_get_protocol (t) : "udp");
}

static void
write_stats (Cli *cli, TrvCall *call)
{
  if (cli->stats == NULL)
    return;
  g_autofree gchar *path = NULL;
  if (cli->calls_done > 0)
    {
      /* Further calls of `answer --calls N` go to NAME-2.json, NAME-3.json, ... */
      const char *dot = strrchr (cli->stats, '.');
      gsize stem = dot ? (gsize) (dot - cli->stats) : strlen (cli->stats);
      path = g_strdup_printf ("%.*s-%u%s", (int) stem, cli->stats, cli->calls_done + 1,
                              dot ? dot : "");
    }
  g_autoptr(GError) error = NULL;
  if (cli->nat_report == NULL)
    {
      if (!trv_stats_write_file (call, path ? path : cli->stats, &error))
        trv_cli_fail_line ("%s", error->message);
      return;
    }
  /* With nat.mode = auto the stats carry the probe that chose the mode. */
  g_autoptr(JsonNode) root = trv_stats_snapshot (call);
  json_object_set_member (json_node_get_object (root), "nat_probe",
                          trv_nat_report_to_json (cli->nat_report));
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  if (!json_generator_to_file (gen, path ? path : cli->stats, &error))
    trv_cli_fail_line (_("cannot write %s: %s"), path ? path : cli->stats, error->message);
}

static int
exit_code_for (Watch *w)
{
  TrvCallEndReason reason = trv_call_get_end_reason (w->call);
  if (reason == TRV_CALL_END_NO_MEDIA)
    return EXIT_NO_MEDIA;
  if (w->was_active)
    return trv_call_get_error (w->call) ? EXIT_CALL : EXIT_OK;
  return EXIT_CALL;
}

static void
on_call_ended (Watch *w)
{
  Cli *cli = w->cli;
  TrvCall *call = w->call;
  const GError *error = trv_call_get_error (call);
  TrvCallEndReason reason = trv_call_get_end_reason (call);
  int code = exit_code_for (w);

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

  gboolean done = cli->command != CMD_ANSWER || (gint) cli->calls_done >= cli->calls;
  watch_free (w);
  if (done)
    finish (cli, cli->exit_code);
}

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, Watch *w)
{
  Cli *cli = w->cli;
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
      {
        const TrvNegotiation *n = trv_call_get_negotiation (call);
        trv_cli_say ("answered (%s/%u)", n && n->codec ? n->codec->name : "?",
                     n && n->codec ? n->codec->clock_rate : 0);
      }
      if (trv_call_get_first_rtp_ms (call) < 0 && cli->timeout > 0)
        w->media_source = seconds_timeout (cli->timeout, on_media_timeout, w);
      if (cli->duration > 0)
        w->duration_source = seconds_timeout (cli->duration, on_duration_elapsed, w);
      if (cli->hold_after > 0 && cli->hold_for > 0)
        w->hold_source = seconds_timeout (cli->hold_after, on_hold_time, w);
      break;
    case TRV_CALL_STATE_ENDED:
      on_call_ended (w);
      break;
    default:
      break;
    }
}

static Watch *
watch_call (Cli *cli, TrvCall *call)
{
  Watch *w = g_new0 (Watch, 1);
  w->cli = cli;
  w->call = g_object_ref (call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state_changed), w);
  g_signal_connect (call, "media-started", G_CALLBACK (on_call_media_started), w);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_call_dtmf), w);
  g_signal_connect (call, "path-changed", G_CALLBACK (on_call_path_changed), w);
  TrvMediaTransport *t = trv_call_get_transport (call);
  if (t && TRV_IS_ICE_TRANSPORT (t))
    {
      GPtrArray *earlier = trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (t));
      for (guint i = 0; i < earlier->len; i++)
        trv_cli_say ("warning: %s", (const char *) earlier->pdata[i]);
      g_signal_connect (t, "warning", G_CALLBACK (on_transport_warning), w);
    }
  return w;
}

/* --- commands ---------------------------------------------------------------------- */

static gboolean
on_overall_timeout (gpointer data)
{
  Cli *cli = data;
  cli->timeout_source = 0;
  if (cli->command == CMD_ANSWER)
    {
      trv_cli_fail_line (_("no incoming call within %.0f s"), cli->timeout);
      finish (cli, EXIT_CALL);
      return G_SOURCE_REMOVE;
    }
  if (cli->command == CMD_REGISTER || !cli->started_calling)
    {
      trv_cli_fail_line (_("registration did not complete within %.0f s"), cli->timeout);
      finish (cli, EXIT_REGISTRATION);
      return G_SOURCE_REMOVE;
    }
  /* Outgoing call not answered in time: CANCEL (the ended handler reports it). */
  for (GList *l = trv_user_agent_get_calls (cli->agent); l; l = l->next)
    trv_call_hangup (l->data);
  return G_SOURCE_REMOVE;
}

static void
start_calling (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  const char *target = cli->echo ? trv_echo_endpoint_get_uri (cli->echo) : cli->uri;
  cli->started_calling = TRUE;
  trv_cli_say ("calling %s", target);
  TrvCall *call = trv_user_agent_dial (cli->agent, target, &error);
  if (call == NULL)
    {
      trv_cli_fail_line ("%s", error->message);
      finish (cli, EXIT_CALL);
      return;
    }
  watch_call (cli, call);
  if (cli->timeout > 0)
    {
      g_clear_handle_id (&cli->timeout_source, g_source_remove);
      cli->timeout_source = seconds_timeout (cli->timeout, on_overall_timeout, cli);
    }
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

static void
on_incoming_call (TrvUserAgent *agent, TrvCall *call, Cli *cli)
{
  g_autoptr(GError) error = NULL;
  cli->calls_seen++;
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  trv_cli_say ("incoming %s", trv_call_get_remote_uri (call));
  Watch *w = watch_call (cli, call);
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

static void
on_registration_changed (TrvUserAgent *agent, Cli *cli)
{
  TrvRegistrationState state = trv_user_agent_get_registration_state (agent);

  if (state == TRV_REGISTRATION_FAILED && !cli->started_calling)
    {
      const GError *error = trv_user_agent_get_registration_error (agent);
      trv_cli_fail_line (_("registration failed: %s"), error ? error->message : _("unknown reason"));
      finish (cli, EXIT_REGISTRATION);
      return;
    }
  if (state != TRV_REGISTRATION_REGISTERED || cli->started_calling || cli->finishing)
    return;

  switch (cli->command)
    {
    case CMD_REGISTER:
      trv_cli_say ("registered %s (SIP %u)", cli->aor,
                   trv_user_agent_get_registration_status (agent));
      finish (cli, EXIT_OK);
      break;
    case CMD_CALL:
      start_calling (cli);
      break;
    case CMD_ANSWER:
      cli->started_calling = TRUE;
      g_clear_handle_id (&cli->timeout_source, g_source_remove);
      if (cli->timeout > 0)
        cli->timeout_source = seconds_timeout (cli->timeout, on_overall_timeout, cli);
      trv_cli_say ("ready");
      break;
    case CMD_PROBE:   /* never starts the agent */
      break;
    }
}

static gboolean
on_signal (gpointer data)
{
  Cli *cli = data;
  if (cli->finishing)
    g_main_loop_quit (cli->loop);
  else
    finish (cli, cli->exit_code);
  return G_SOURCE_CONTINUE;
}

/* --- main -------------------------------------------------------------------------- */

/* Translators: keep the command and option names (register, call, echo, --json...). */
static const char *usage_text = N_(
  "COMMAND\n\n"
  "Commands:\n"
  "  register                 register the account, then unregister\n"
  "  call URI|echo            call a SIP URI or number; \"echo\" calls the built-in echo test\n"
  "  answer                   wait for calls and answer them\n"
  "  probe                    check the network: STUN, NAT behaviour, TURN (--json)\n\n"
  "Exit codes: 0 success, 2 bad usage or config, 3 registration failed,\n"
  "4 call failed or rejected, 5 no media within the timeout;\n"
  "probe: 0 done, 2 bad config, 3 no STUN/TURN server answered.");

static gboolean
check_option_use (Cli *cli, GError **error)
{
  struct { gboolean set; const char *name; gboolean call, answer; } opts[] = {
    { cli->duration != 0, "--duration", TRUE, TRUE },
    { cli->play != NULL, "--play", TRUE, TRUE },
    { cli->record != NULL, "--record", TRUE, TRUE },
    { cli->stats != NULL, "--stats", TRUE, TRUE },
    { cli->dtmf != NULL, "--dtmf", TRUE, FALSE },
    { cli->calls != 1, "--calls", FALSE, TRUE },
    { cli->reject != 0, "--reject", FALSE, TRUE },
    { cli->answer_after != 0, "--answer-after", FALSE, TRUE },
    { cli->hold_after != 0, "--hold-after", TRUE, FALSE },
    { cli->hold_for != 0, "--hold-for", TRUE, FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (opts); i++)
    {
      gboolean ok = cli->command == CMD_CALL ? opts[i].call
                    : cli->command == CMD_ANSWER ? opts[i].answer : FALSE;
      if (opts[i].set && !ok)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                       _("%s does not apply to this command"), opts[i].name);
          return FALSE;
        }
    }
  if (cli->json && cli->command != CMD_PROBE)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("--json only applies to probe"));
      return FALSE;
    }
  if (cli->duration < 0 || cli->timeout < 0 || cli->answer_after < 0 ||
      cli->hold_after < 0 || cli->hold_for < 0)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("durations must not be negative"));
      return FALSE;
    }
  if ((cli->hold_after > 0) != (cli->hold_for > 0))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("--hold-after and --hold-for go together"));
      return FALSE;
    }
  if (cli->calls < 1)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, _("--calls must be at least 1"));
      return FALSE;
    }
  if (cli->reject != 0 && (cli->reject < 400 || cli->reject > 699))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("--reject: %d is not a rejection status (400-699)"), cli->reject);
      return FALSE;
    }
  return TRUE;
}

static int
run (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &cli->config_path, N_("Configuration key file"), "FILE" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &cli->duration, N_("Hang up S seconds after answer"), "S" },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &cli->play, N_("Send this WAV (looped) instead of the microphone"), "F.wav" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &cli->record, N_("Write received audio to this WAV"), "F.wav" },
    { "stats", 0, 0, G_OPTION_ARG_FILENAME, &cli->stats, N_("Write call statistics as JSON"), "F.json" },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &cli->dtmf, N_("Send these DTMF digits once media flows"), "DIGITS" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &cli->timeout, N_("Seconds to wait for answer / media / a call"), "S" },
    { "calls", 0, 0, G_OPTION_ARG_INT, &cli->calls, N_("answer: number of calls to take"), "N" },
    { "reject", 0, 0, G_OPTION_ARG_INT, &cli->reject, N_("answer: reject calls with this status"), "CODE" },
    { "answer-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli->answer_after, N_("answer: ring S seconds first"), "S" },
    { "hold-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli->hold_after, N_("call: hold after S seconds"), "S" },
    { "hold-for", 0, 0, G_OPTION_ARG_DOUBLE, &cli->hold_for, N_("call: stay on hold S seconds"), "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("probe: print the report as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, usage_text);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      trv_cli_fail_line (_("%s (see --help)"), error->message);
      return EXIT_USAGE;
    }
  if (argc < 2)
    {
      trv_cli_fail_line (_("no command given: use register, call URI or answer (see --help)"));
      return EXIT_USAGE;
    }
  const char *command = argv[1];
  int expected_args = 2;
  if (g_str_equal (command, "register"))
    cli->command = CMD_REGISTER;
  else if (g_str_equal (command, "call"))
    {
      cli->command = CMD_CALL;
      expected_args = 3;
      if (argc < 3)
        {
          trv_cli_fail_line (_("call needs a URI or number (or \"echo\")"));
          return EXIT_USAGE;
        }
      cli->uri = g_strdup (argv[2]);
    }
  else if (g_str_equal (command, "answer"))
    cli->command = CMD_ANSWER;
  else if (g_str_equal (command, "probe"))
    cli->command = CMD_PROBE;
  else
    {
      trv_cli_fail_line (_("unknown command '%s': use register, call or answer"), command);
      return EXIT_USAGE;
    }
  if (argc > expected_args)
    {
      trv_cli_fail_line (_("unexpected argument '%s'"), argv[expected_args]);
      return EXIT_USAGE;
    }
  if (!check_option_use (cli, &error))
    {
      trv_cli_fail_line ("%s", error->message);
      return EXIT_USAGE;
    }

  g_autoptr(TrvAccountConfig) account = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  if (cli->config_path)
    {
      if (!trv_config_file_load (cli->config_path, &account, &nat, &cli->media, &error))
        {
          trv_cli_fail_line ("%s", error->message);
          return EXIT_USAGE;
        }
    }
  else
    {
      nat = trv_nat_config_new ();
      cli->media = trv_media_config_new ();
    }

  if (cli->command == CMD_PROBE)
    return trv_cli_run_probe (account, nat, cli->timeout, cli->json);

  gboolean echo = cli->command == CMD_CALL && g_str_equal (cli->uri, "echo");
  if (cli->command == CMD_REGISTER && (account == NULL || !account->do_register))
    {
      trv_cli_fail_line (_("register needs an [account] with register=true in the config"));
      return EXIT_USAGE;
    }
  if (cli->command == CMD_ANSWER && account == NULL)
    {
      trv_cli_fail_line (_("answer needs an [account] in the config (register=false and local-port "
                           "for direct calls)"));
      return EXIT_USAGE;
    }

  g_autoptr(TrvMediaOptions) options = NULL;
  if (cli->command != CMD_REGISTER && !build_media_options (cli, &options, &error))
    {
      trv_cli_fail_line ("%s", error->message);
      return EXIT_USAGE;
    }

  if (echo)
    {
      /* The echo test needs no account: both ends live in this process on loopback. */
      cli->echo = trv_echo_endpoint_new (cli->media);
      if (!trv_echo_endpoint_start (cli->echo, &error))
        {
          trv_cli_fail_line ("%s", error->message);
          return EXIT_CALL;
        }
      g_clear_pointer (&account, trv_account_config_free);
    }

  cli->aor = account ? g_strdup (account->address) : NULL;
  cli->agent = trv_user_agent_new (account, nat, cli->media);
  if (options)
    trv_user_agent_set_media_options (cli->agent, options);
  g_signal_connect (cli->agent, "registration-changed", G_CALLBACK (on_registration_changed), cli);
  g_signal_connect (cli->agent, "incoming-call", G_CALLBACK (on_incoming_call), cli);
  if (nat && nat->mode == TRV_NAT_MODE_AUTO)
    cli->nat_report = trv_cli_resolve_auto_mode (cli->agent, account, nat, cli->timeout);

  const char *listen = echo ? "127.0.0.1" : NULL;
  if (!trv_user_agent_start (cli->agent, listen, &error))
    {
      trv_cli_fail_line ("%s", error->message);
      if (g_error_matches (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG) ||
          g_error_matches (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE))
        return EXIT_USAGE;
      return cli->command == CMD_CALL && !(account && account->do_register)
             ? EXIT_CALL : EXIT_REGISTRATION;
    }

  cli->loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, cli);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, cli);

  if (trv_user_agent_get_registration_state (cli->agent) == TRV_REGISTRATION_DISABLED)
    {
      if (cli->command == CMD_CALL)
        start_calling (cli);
      else
        {
          cli->started_calling = TRUE;
          if (cli->timeout > 0)
            cli->timeout_source = seconds_timeout (cli->timeout, on_overall_timeout, cli);
          trv_cli_say ("ready");
        }
    }
  else if (cli->timeout > 0 || cli->command == CMD_REGISTER)
    cli->timeout_source = seconds_timeout (cli->timeout > 0 ? cli->timeout : 30,
                                           on_overall_timeout, cli);

  g_main_loop_run (cli->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return cli->exit_code;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* The messages (ours and the core's) come from the traverse catalog; TRAVERSE_LOCALEDIR
   * points at an uninstalled one (the build tree's po/, for the tests). */
  const char *localedir = g_getenv ("TRAVERSE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  trv_process_init ();

  Cli cli = { 0 };
  cli.calls = 1;
  int code = run (&cli, argc, argv);

  if (cli.agent)
    g_signal_handlers_disconnect_by_data (cli.agent, &cli);
  g_clear_object (&cli.agent);
  g_clear_object (&cli.echo);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_clear_pointer (&cli.media, trv_media_config_free);
  g_free (cli.config_path);
  g_free (cli.uri);
  g_free (cli.play);
  g_free (cli.record);
  g_free (cli.stats);
  g_free (cli.dtmf);
  g_clear_pointer (&cli.nat_report, trv_nat_report_free);
  g_free (cli.aor);
  return code;
}
