/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-cli-probe.c: the network check of traverse-cli (`probe`, nat.mode = auto). */
#include "config.h"

#include "trv-cli.h"
#include "trv-cli-probe.h"
#include "trv-error.h"
#include "trv-nat-auto.h"
#include "trv-nat-probe.h"
#include "trv-host-port.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-nat-enums.h"
#include <glib/gi18n-lib.h>

typedef struct {
  GMainLoop *loop;
  TrvNatReport *report;
  GError *error;
} ProbeWait;

static void
on_probe_done (GObject *source, GAsyncResult *result, gpointer data)
{
  ProbeWait *wait = data;
  wait->report = trv_nat_probe_run_finish (TRV_NAT_PROBE (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
print_turn_check (const char *via, const TrvTurnCheckResult *t)
{
  trv_cli_say ("  over %s: %s%s%s", via, trv_enum_to_nick (TRV_TYPE_TURN_CHECK, t->result),
               t->relay_address ? ", relay " : t->error ? ": " : "",
               t->relay_address ? t->relay_address : t->error ? t->error : "");
}

static void
print_report (const TrvNatReport *r)
{
  trv_cli_say ("STUN server:    %s (%s): %s", r->stun_server, r->stun_source,
               r->stun_reachable ? "answers" : "no answer");
  if (r->stun_reachable)
    {
      trv_cli_say ("Local address:  %s", r->local_address ? r->local_address : "?");
      trv_cli_say ("Public address: %s", r->mapped_address);
      if (r->other_mapped_address)
        trv_cli_say ("  seen by %s: %s", r->other_server, r->other_mapped_address);
      trv_cli_say ("NAT:            %s (mapping: %s)", r->behind_nat ? "yes" : "no",
                   trv_enum_to_nick (TRV_TYPE_NAT_MAPPING, r->mapping));
    }
  if (r->udp_blocked)
    trv_cli_say ("UDP:            blocked");
  if (r->turn_server)
    {
      const TrvTurnCheckResult *t[2] = { &r->turn_udp, &r->turn_tcp };
      trv_cli_say ("TURN server:    %s", r->turn_server);
      for (guint i = 0; i < 2; i++)
        print_turn_check (i ? "TCP" : "UDP", t[i]);
    }
  if (r->turn_tls_server)
    {
      trv_cli_say ("TURN over TLS:  %s", r->turn_tls_server);
      print_turn_check ("TLS", &r->turn_tls);
    }
  g_autofree gchar *proxy = trv_nat_report_describe_proxy (r);
  if (proxy)
    trv_cli_say ("Proxy:          %s", proxy);
  gboolean turn = r->recommended_mode == TRV_NAT_MODE_TURN &&
                  r->recommended_turn_transport != TRV_TURN_TRANSPORT_UDP;
  g_autofree gchar *transport = turn ? g_strdup_printf (" (turn-transport=%s)",
                                                        trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT,
                                                                          r->recommended_turn_transport))
                                     : g_strdup ("");
  trv_cli_say ("Recommended:    %s%s", trv_enum_to_nick (TRV_TYPE_NAT_MODE, r->recommended_mode),
               transport);
  trv_cli_say ("%s", r->verdict);
  for (guint i = 0; i < r->warnings->len; i++)
    trv_cli_say ("warning: %s", (const char *) r->warnings->pdata[i]);
}

static TrvNatReport *
probe_network (TrvAccountConfig *account, TrvNatConfig *nat, double timeout, GError **error)
{
  /* SRV discovery uses the account's domain without any explicit port. */
  g_autofree gchar *domain = account ? trv_host_port_dup_host (account->domain) : NULL;
  if (domain == NULL && account && account->domain)
    domain = g_strdup (account->domain);
  g_autoptr(TrvNatProbe) probe = trv_nat_probe_new (nat, domain);
  if (timeout > 0)
    trv_nat_probe_set_timeout (probe, (guint) (timeout * 1000.0));

  ProbeWait wait = { .loop = g_main_loop_new (NULL, FALSE) };
  trv_nat_probe_run_async (probe, NULL, on_probe_done, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  if (wait.error)
    g_propagate_error (error, wait.error);
  return wait.report;
}

typedef struct {
  GMainLoop *loop;
  TrvNatAutoChoice *choice;
} ChoiceWait;

static void
on_auto_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  ChoiceWait *wait = data;
  /* Nothing cancels it, so it cannot fail. */
  wait->choice = trv_nat_auto_choose_finish (result, NULL);
  g_main_loop_quit (wait->loop);
}

TrvNatReport *
trv_cli_resolve_auto_mode (TrvUserAgent *agent, TrvAccountConfig *account, TrvNatConfig *nat,
                           double timeout)
{
  ChoiceWait wait = { .loop = g_main_loop_new (NULL, FALSE) };
  trv_nat_auto_choose_async (nat, account ? account->domain : NULL,
                             timeout > 0 ? (guint) (timeout * 1000.0) : 0, NULL,
                             on_auto_chosen, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  g_autoptr(TrvNatAutoChoice) choice = wait.choice;

  if (choice->from_probe)
    {
      /* "turn over TCP" / "turn over TLS": scripts read this line. */
      gboolean relayed = choice->mode == TRV_NAT_MODE_TURN &&
                         choice->turn_transport != TRV_TURN_TRANSPORT_UDP;
      g_autofree gchar *via = relayed ? g_ascii_strup (trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT,
                                                                         choice->turn_transport), -1)
                                      : NULL;
      trv_cli_say ("auto: %s%s%s. %s", trv_enum_to_nick (TRV_TYPE_NAT_MODE, choice->mode),
                   via ? " over " : "", via ? via : "", choice->report->verdict);
    }
  else if (choice->report == NULL)
    trv_cli_fail_line (_("auto: the NAT probe failed (%s); using ice"),
                       choice->probe_error->message);
  else
    trv_cli_fail_line (_("auto: %s Using ice."), choice->report->verdict);
  trv_user_agent_resolve_auto_mode (agent, choice->mode, choice->turn_transport);
  return g_steal_pointer (&choice->report);
}

int
trv_cli_run_probe (TrvAccountConfig *account, TrvNatConfig *nat, double timeout, gboolean as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) report = probe_network (account, nat, timeout, &error);
  if (report == NULL)
    {
      int code = g_error_matches (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG)
                 ? EXIT_USAGE : EXIT_UNREACHABLE;
      trv_cli_fail_line ("probe: %s", error->message);
      return code;
    }
  if (as_json)
    {
      g_autofree gchar *json = trv_nat_report_to_json_string (report);
      trv_cli_say ("%s", json);
    }
  else
    print_report (report);
  if (!report->usable)
    {
      trv_cli_fail_line ("%s", report->verdict);
      return EXIT_UNREACHABLE;
    }
  return EXIT_OK;
}
