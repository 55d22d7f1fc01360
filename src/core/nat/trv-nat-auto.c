/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-auto.c: nat.mode = auto: the probe and the choice made from its report. */
#include "config.h"

#include "trv-nat-auto.h"
#include "trv-nat-probe.h"
#include "trv-error.h"
#include "trv-host-port.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

void
trv_nat_auto_choice_free (TrvNatAutoChoice *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->report, trv_nat_report_free);
  g_clear_error (&self->probe_error);
  g_free (self);
}

const char *
trv_nat_auto_choice_get_reason (const TrvNatAutoChoice *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->report)
    return self->report->verdict;
  /* In words: a config error's reason, without the key in front. */
  return self->probe_error ? trv_error_get_config_reason (self->probe_error) : NULL;
}

typedef struct {
  TrvNatProbe *probe;
  TrvTurnTransport configured_transport;
} ChooseData;

static void
choose_data_free (ChooseData *d)
{
  g_clear_object (&d->probe);
  g_free (d);
}

static void
on_probe_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  ChooseData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) report = trv_nat_probe_run_finish (TRV_NAT_PROBE (source), result,
                                                             &error);
  if (g_task_return_error_if_cancelled (task))
    return;

  TrvNatAutoChoice *choice = g_new0 (TrvNatAutoChoice, 1);
  choice->from_probe = trv_nat_report_choose_auto_mode (report, d->configured_transport,
                                                        &choice->mode, &choice->turn_transport);
  choice->report = g_steal_pointer (&report);
  choice->probe_error = choice->report ? NULL : g_steal_pointer (&error);
  g_debug ("nat.mode = auto: %s (%s)", trv_enum_to_nick (TRV_TYPE_NAT_MODE, choice->mode),
           choice->from_probe ? "the probe's recommendation" : "fallback");
  g_task_return_pointer (task, choice, (GDestroyNotify) trv_nat_auto_choice_free);
}

void
trv_nat_auto_choose_async (const TrvNatConfig *nat, const char *domain, guint timeout_ms,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (nat != NULL);

  /* SRV discovery uses the account's domain without any explicit port. */
  g_autofree gchar *host = domain ? trv_host_port_dup_host (domain) : NULL;
  if (domain && host == NULL)
    host = g_strdup (domain);

  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_nat_auto_choose_async);
  ChooseData *d = g_new0 (ChooseData, 1);
  d->configured_transport = nat->turn_transport;
  d->probe = trv_nat_probe_new (nat, host);
  if (timeout_ms > 0)
    trv_nat_probe_set_timeout (d->probe, timeout_ms);
  g_task_set_task_data (task, d, (GDestroyNotify) choose_data_free);
  trv_nat_probe_run_async (d->probe, cancellable, on_probe_done, task);
}

TrvNatAutoChoice *
trv_nat_auto_choose_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
