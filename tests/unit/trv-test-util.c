/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared unit-test fixture helpers; see trv-test-util.h. */
#include <glib/gstdio.h>

#include "trv-udp-transport.h"
#include "trv-test-util.h"

gboolean
trv_test_wait_for (TrvTestCond cond, gpointer data, guint limit_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) limit_ms * 1000;
  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
trv_test_run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

gboolean
trv_test_call_is_active (gpointer call)
{
  return trv_call_get_state (call) == TRV_CALL_STATE_ACTIVE;
}

gboolean
trv_test_call_is_ended (gpointer call)
{
  return trv_call_get_state (call) == TRV_CALL_STATE_ENDED;
}

gboolean
trv_test_call_is_held (gpointer call)
{
  return trv_call_get_state (call) == TRV_CALL_STATE_HELD;
}

gboolean
trv_test_call_has_media (gpointer call)
{
  return trv_call_get_first_rtp_ms (call) >= 0;
}

TrvAccountConfig *
trv_test_account_new (const char *user)
{
  TrvAccountConfig *acc = trv_account_config_new ();
  acc->address = g_strdup_printf ("sip:%s@127.0.0.1", user);
  acc->do_register = FALSE;
  return acc;
}

TrvUserAgent *
trv_test_agent_start (TrvAccountConfig *acc)
{
  return trv_test_agent_start_full (acc, NULL, NULL);
}

TrvUserAgent *
trv_test_agent_start_full (TrvAccountConfig *acc, const TrvNatConfig *nat,
                           GNetworkMonitor *monitor)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_account_config_validate (acc, &error));
  g_assert_no_error (error);

  TrvUserAgent *agent = trv_user_agent_new (acc, nat, NULL);
  g_autoptr(TrvMediaOptions) options = trv_media_options_new ();
  options->source_desc = g_strdup ("audiotestsrc is-live=true wave=sine freq=440");
  options->sink_desc = g_strdup ("fakesink sync=false");
  options->jitter_ms = 40;
  trv_user_agent_set_media_options (agent, options);
  if (monitor)
    trv_user_agent_set_network_monitor (agent, monitor);
  g_assert_true (trv_user_agent_start (agent, "127.0.0.1", &error));
  g_assert_no_error (error);
  return agent;
}

static void
on_shutdown_done (GObject *source, GAsyncResult *result, gpointer data)
{
  trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
trv_test_agent_shutdown (TrvUserAgent *agent, guint limit_ms)
{
  gboolean done = FALSE;
  trv_user_agent_shutdown_async (agent, NULL, on_shutdown_done, &done);
  /* Non-blocking iterations: the limit holds even if nothing wakes the context. */
  g_assert_true (trv_test_wait_for (flag_set, &done, limit_ms));
}

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

void
trv_test_prepare (TrvMediaTransport *t, guint limit_ms)
{
  gboolean done = FALSE;
  trv_media_transport_prepare_async (t, NULL, on_prepared, &done);
  g_assert_true (trv_test_wait_for (flag_set, &done, limit_ms));
}

TrvMediaTransport *
trv_test_udp_transport (guint limit_ms)
{
  TrvMediaTransport *t = trv_udp_transport_new ("127.0.0.1", NULL);
  trv_test_prepare (t, limit_ms);
  return t;
}

void
trv_test_media_clear (TrvMediaSession **ma, TrvMediaSession **mb,
                      TrvMediaTransport **ta, TrvMediaTransport **tb,
                      TrvNegotiation **na, TrvNegotiation **nb)
{
  if (*ma)
    trv_media_session_stop (*ma);
  if (*mb)
    trv_media_session_stop (*mb);
  g_clear_object (ma);
  g_clear_object (mb);
  g_clear_object (ta);
  g_clear_object (tb);
  g_clear_pointer (na, trv_negotiation_free);
  g_clear_pointer (nb, trv_negotiation_free);
}

const char *
trv_test_tone_tool (void)
{
  return g_getenv ("TRV_TONE");
}

int
trv_test_tone_run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *out = NULL, *err = NULL;
  gint status = 0;
  if (argv[0] == NULL)
    {
      g_test_message ("TRV_TONE is not set");
      return -1;
    }
  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    {
      g_test_message ("cannot run %s: %s", argv[0], error->message);
      return -1;
    }
  g_test_message ("%s %s%s", argv[1], out ? out : "", err ? err : "");
  if (!WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

void
trv_test_tone_generate (const char *path, int freq)
{
  g_autofree gchar *f = g_strdup_printf ("%d", freq);
  const char *argv[] = { trv_test_tone_tool (), "gen", "--freq", f, "--seconds", "2", path,
                         NULL };
  g_assert_cmpint (trv_test_tone_run (argv), ==, 0);
}

int
trv_test_tone_check (const char *path, int freq, const char *min_fraction,
                     const char *skip_seconds)
{
  g_autofree gchar *f = g_strdup_printf ("%d", freq);
  const char *argv[12] = { trv_test_tone_tool (), "check", "--freq", f };
  guint n = 4;
  if (min_fraction)
    {
      argv[n++] = "--min-fraction";
      argv[n++] = min_fraction;
    }
  else
    argv[n++] = "--absent";
  if (skip_seconds)
    {
      argv[n++] = "--skip-seconds";
      argv[n++] = skip_seconds;
    }
  argv[n++] = path;
  argv[n] = NULL;
  return trv_test_tone_run (argv);
}

gchar *
trv_test_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  gchar *dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

void
trv_test_remove_file (gchar **path)
{
  if (*path)
    g_unlink (*path);
  g_clear_pointer (path, g_free);
}

typedef struct {
  gboolean done;
  TrvNatReport *report;
  GError *error;
} Probed;

static void
on_probed (GObject *source, GAsyncResult *result, gpointer data)
{
  Probed *p = data;
  p->report = trv_nat_probe_run_finish (TRV_NAT_PROBE (source), result, &p->error);
  p->done = TRUE;
}

static gboolean
probed_done (gpointer data)
{
  return ((Probed *) data)->done;
}

TrvNatReport *
trv_test_run_probe (TrvNatConfig *nat, const char *domain, guint timeout_ms, guint limit_ms,
                    GError **error)
{
  g_autoptr(TrvNatProbe) probe = trv_nat_probe_new (nat, domain);
  if (timeout_ms)
    trv_nat_probe_set_timeout (probe, timeout_ms);
  Probed p = { 0 };
  trv_nat_probe_run_async (probe, NULL, on_probed, &p);
  g_assert_true (trv_test_wait_for (probed_done, &p, limit_ms));
  if (p.error)
    g_propagate_error (error, p.error);
  return p.report;
}
