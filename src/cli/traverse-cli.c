/* SPDX-License-Identifier: GPL-3.0-or-later */
/* traverse-cli: the headless front end of Traverse (scripting and tests). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "trv-audio-devices.h"
#include "trv-cli.h"
#include "trv-cli-probe.h"
#include "trv-config-file.h"
#include "trv-error.h"
#include "trv-process.h"


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
build_media_options (TrvCli *cli, TrvMediaOptions **out, GError **error)
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
  if (need_device && !trv_audio_devices_present ())
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
  TrvCli *cli = data;
  trv_echo_endpoint_shutdown_finish (TRV_ECHO_ENDPOINT (source), result, NULL);
  g_main_loop_quit (cli->loop);
}

static void
on_agent_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  TrvCli *cli = data;
  trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, NULL);
  if (cli->echo)
    trv_echo_endpoint_shutdown_async (cli->echo, on_echo_shutdown, cli);
  else
    g_main_loop_quit (cli->loop);
}

void
trv_cli_finish (TrvCli *cli, int exit_code)
{
  if (cli->finishing)
    return;
  cli->finishing = TRUE;
  cli->exit_code = exit_code;
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  trv_user_agent_shutdown_async (cli->agent, NULL, on_agent_shutdown, cli);
}

/* `answer`: from now on incoming calls are taken (the timeout waits for the first). */
static void
begin_answering (TrvCli *cli)
{
  cli->started_calling = TRUE;
  g_clear_handle_id (&cli->timeout_source, g_source_remove);
  if (cli->timeout > 0)
    trv_cli_arm_timeout (cli, cli->timeout);
  trv_cli_say ("ready");
}

/* Message waiting: a progress line when the count of new voice messages changes. */
static void
on_voicemail_changed (TrvUserAgent *agent, GParamSpec *pspec, TrvCli *cli)
{
  gint new_messages = trv_user_agent_get_voicemail_new (agent);
  if (new_messages >= 0)
    trv_cli_say ("voicemail %d new", new_messages);
}

static void
on_registration_changed (TrvUserAgent *agent, TrvCli *cli)
{
  TrvRegistrationState state = trv_user_agent_get_registration_state (agent);

  if (state == TRV_REGISTRATION_FAILED && !cli->started_calling)
    {
      const GError *error = trv_user_agent_get_registration_error (agent);
      guint retry_after = trv_user_agent_get_registration_retry_after (agent);
      if (retry_after > 0)
        {
          /* The registrar asked us to come back later: wait for it, up to --timeout. */
          /* A progress line: English keyword, translated detail (as warning: lines). */
          trv_cli_say ("registration: retrying in %u s: %s", retry_after,
                       error ? error->message : _("unknown reason"));
          return;
        }
      trv_cli_fail_line (_("registration failed: %s"), error ? error->message : _("unknown reason"));
      trv_cli_finish (cli, EXIT_REGISTRATION);
      return;
    }
  if (state != TRV_REGISTRATION_REGISTERED || cli->started_calling || cli->finishing)
    return;

  switch (cli->command)
    {
    case CMD_REGISTER:
      trv_cli_say ("registered %s (SIP %u)", cli->aor,
                   trv_user_agent_get_registration_status (agent));
      trv_cli_finish (cli, EXIT_OK);
      break;
    case CMD_CALL:
      trv_cli_start_calling (cli);
      break;
    case CMD_ANSWER:
      begin_answering (cli);
      break;
    case CMD_PROBE:   /* never starts the agent */
      break;
    }
}

static gboolean
on_signal (gpointer data)
{
  TrvCli *cli = data;
  if (cli->finishing)
    g_main_loop_quit (cli->loop);
  else
    trv_cli_finish (cli, cli->exit_code);
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
check_option_use (TrvCli *cli, GError **error)
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
    { cli->accept_waiting, "--accept-waiting", FALSE, TRUE },
    { cli->hold_after != 0, "--hold-after", TRUE, FALSE },
    { cli->hold_for != 0, "--hold-for", TRUE, FALSE },
    { cli->transfer_to != NULL, "--transfer-to", TRUE, TRUE },
    { cli->transfer_after != 0, "--transfer-after", TRUE, TRUE },
    { cli->attended, "--attended", TRUE, TRUE },
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
      cli->hold_after < 0 || cli->hold_for < 0 || cli->transfer_after < 0)
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
  if ((cli->transfer_after > 0 || cli->attended) && cli->transfer_to == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   cli->attended ? _("--attended needs --transfer-to")
                                 : _("--transfer-after needs --transfer-to"));
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

/* Options, command and its arguments; -1 to go on, else the exit code. */
static int
parse_arguments (TrvCli *cli, int argc, char **argv)
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
    { "accept-waiting", 0, 0, G_OPTION_ARG_NONE, &cli->accept_waiting, N_("answer: take a call that comes during a call, holding the first (else 486 Busy Here)"), NULL },
    { "hold-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli->hold_after, N_("call: hold after S seconds"), "S" },
    { "hold-for", 0, 0, G_OPTION_ARG_DOUBLE, &cli->hold_for, N_("call: stay on hold S seconds"), "S" },
    { "transfer-to", 0, 0, G_OPTION_ARG_STRING, &cli->transfer_to, N_("Transfer the call to this URI (blind transfer)"), "URI" },
    { "transfer-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli->transfer_after, N_("Transfer S seconds after the answer"), "S" },
    { "attended", 0, 0, G_OPTION_ARG_NONE, &cli->attended, N_("Transfer after consulting the target: hold the call, call the target, transfer once it answers"), NULL },
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
  return -1;
}

/* The exit code for an agent that could not start (start()'s error or "started"'s). */
static int
start_failure_code (TrvCli *cli, const GError *error, gboolean registers)
{
  if (g_error_matches (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG) ||
      g_error_matches (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE))
    return EXIT_USAGE;
  return cli->command == CMD_CALL && !registers ? EXIT_CALL : EXIT_REGISTRATION;
}

/* Calls go out (or are taken) once an agent without registration listens. */
static void
begin_unregistered (TrvCli *cli)
{
  if (cli->command == CMD_CALL)
    trv_cli_start_calling (cli);
  else
    begin_answering (cli);
}

/* An account without registration whose domain is a name: the agent listens once the
 * name is looked up. A registering account reports through registration-changed. */
static void
on_agent_started (TrvUserAgent *agent, const GError *error, TrvCli *cli)
{
  if (trv_user_agent_get_registration_state (agent) != TRV_REGISTRATION_DISABLED ||
      cli->started_calling || cli->finishing)
    return;
  if (error != NULL)
    {
      trv_cli_fail_line ("%s", error->message);
      trv_cli_finish (cli, start_failure_code (cli, error, FALSE));
      return;
    }
  begin_unregistered (cli);
}

/* Creates and starts the agent (the echo endpoint too for `call echo`); -1 to go on,
 * else the exit code. Takes `account` (NULL afterwards for the echo test). */
static int
start_agent (TrvCli *cli, TrvAccountConfig **account, TrvNatConfig *nat,
             TrvMediaOptions *options)
{
  g_autoptr(GError) error = NULL;
  gboolean echo = cli->command == CMD_CALL && g_str_equal (cli->uri, "echo");
  if (echo)
    {
      /* The echo test needs no account: both ends live in this process on loopback. */
      cli->echo = trv_echo_endpoint_new (cli->media);
      if (!trv_echo_endpoint_start (cli->echo, &error))
        {
          trv_cli_fail_line ("%s", error->message);
          return EXIT_CALL;
        }
      g_clear_pointer (account, trv_account_config_free);
    }

  cli->aor = *account ? g_strdup ((*account)->address) : NULL;
  cli->agent = trv_user_agent_new (*account, nat, cli->media);
  if (options)
    {
      trv_user_agent_set_media_options (cli->agent, options);
      cli->options = trv_media_options_copy (options);   /* per-call --record names */
    }
  g_signal_connect (cli->agent, "registration-changed", G_CALLBACK (on_registration_changed), cli);
  g_signal_connect (cli->agent, "incoming-call", G_CALLBACK (trv_cli_on_incoming_call), cli);
  g_signal_connect (cli->agent, "started", G_CALLBACK (on_agent_started), cli);
  g_signal_connect (cli->agent, "notify::voicemail-new", G_CALLBACK (on_voicemail_changed), cli);
  if (nat && nat->mode == TRV_NAT_MODE_AUTO)
    cli->nat_report = trv_cli_resolve_auto_mode (cli->agent, *account, nat, cli->timeout);

  const char *listen = echo ? "127.0.0.1" : NULL;
  if (!trv_user_agent_start (cli->agent, listen, &error))
    {
      trv_cli_fail_line ("%s", error->message);
      return start_failure_code (cli, error, *account && (*account)->do_register);
    }
  return -1;
}

static int
run (TrvCli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int code = parse_arguments (cli, argc, argv);
  if (code >= 0)
    return code;

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
  code = start_agent (cli, &account, nat, options);
  if (code >= 0)
    return code;

  cli->loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, cli);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, cli);

  if (trv_user_agent_get_registration_state (cli->agent) == TRV_REGISTRATION_DISABLED)
    {
      /* Else "started" follows once the domain is looked up (the resolver bounds that,
       * as it did when start() waited for it). */
      if (trv_user_agent_get_contact_uri (cli->agent) != NULL)
        begin_unregistered (cli);
    }
  else if (cli->timeout > 0 || cli->command == CMD_REGISTER)
    trv_cli_arm_timeout (cli, cli->timeout > 0 ? cli->timeout : 30);

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

  TrvCli cli = { 0 };
  cli.calls = 1;
  int code = run (&cli, argc, argv);

  if (cli.agent)
    g_signal_handlers_disconnect_by_data (cli.agent, &cli);
  g_clear_object (&cli.agent);
  g_clear_object (&cli.echo);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_clear_pointer (&cli.media, trv_media_config_free);
  g_clear_pointer (&cli.options, trv_media_options_free);
  g_free (cli.config_path);
  g_free (cli.uri);
  g_free (cli.play);
  g_free (cli.record);
  g_free (cli.stats);
  g_free (cli.transfer_to);
  g_free (cli.dtmf);
  g_clear_pointer (&cli.nat_report, trv_nat_report_free);
  g_free (cli.aor);
  return code;
}
