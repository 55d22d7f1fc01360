/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-cli-waiting.c: `answer` and a second call during a call (call waiting): refused
 * with 486 Busy Here, or with --accept-waiting answered after holding the first; when
 * the current call ends a held one is resumed. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-cli.h"

gchar *
trv_cli_numbered_path (const char *path, guint n)
{
  const char *dot = strrchr (path, '.');
  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) != NULL)
    dot = NULL;   /* a dot in a directory name, not an extension */
  gsize stem = dot ? (gsize) (dot - path) : strlen (path);
  return g_strdup_printf ("%.*s-%u%s", (int) stem, path, n, dot ? dot : "");
}

/* With --record, each call up at once writes its own file: calls created while N calls
 * are up record to NAME-(N+1).wav, calls one after another to NAME.wav as before. */
void
trv_cli_name_next_recording (TrvCli *cli)
{
  if (!cli->accept_waiting || cli->options == NULL || cli->record == NULL)
    return;
  guint up = g_list_length (trv_user_agent_get_calls (cli->agent));
  g_autoptr(TrvMediaOptions) options = trv_media_options_copy (cli->options);
  if (up > 0)
    {
      g_free (options->record_file);
      options->record_file = trv_cli_numbered_path (cli->record, up + 1);
    }
  trv_user_agent_set_media_options (cli->agent, options);
}

gboolean
trv_cli_refuse_waiting (TrvCli *cli, TrvCall *call)
{
  if (!trv_call_get_waiting (call))
    return FALSE;
  trv_cli_say ("call waiting %s", trv_call_get_remote_uri (call));
  if (cli->accept_waiting)
    return FALSE;
  g_autoptr(GError) error = NULL;
  if (!trv_call_reject (call, 486, &error))
    trv_cli_fail_line ("%s", error->message);
  else
    trv_cli_say ("busy: refused %s", trv_call_get_remote_uri (call));
  return TRUE;
}

void
trv_cli_answer_waiting (TrvCli *cli, TrvCall *call)
{
  g_autoptr(GError) error = NULL;
  /* It counts on its own: the run ends once --calls N and the waiting calls ended. */
  cli->waiting_taken++;
  trv_cli_name_next_recording (cli);
  if (trv_user_agent_get_current_call (cli->agent) != NULL)
    trv_cli_say ("holding");
  if (!trv_user_agent_hold_and_answer (cli->agent, call, &error))
    trv_cli_fail_line (_("cannot answer: %s"), error->message);
}

void
trv_cli_waiting_call_ended (TrvCli *cli)
{
  trv_cli_name_next_recording (cli);
  if (!cli->accept_waiting || trv_user_agent_get_current_call (cli->agent) != NULL)
    return;
  TrvCall *held = NULL;
  for (GList *l = trv_user_agent_get_calls (cli->agent); l; l = l->next)
    if (trv_call_get_state (l->data) == TRV_CALL_STATE_HELD)
      held = l->data;   /* the last one put on hold */
  if (held == NULL)
    return;
  g_autoptr(GError) error = NULL;
  if (!trv_user_agent_switch_to (cli->agent, held, &error))
    trv_cli_fail_line (_("cannot resume: %s"), error->message);
  else
    trv_cli_say ("resuming");
}
