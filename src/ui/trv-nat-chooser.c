/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-chooser.c: nat.mode = auto for the desktop app (the probe and the decision are
 * the core's: trv_nat_auto_choose_async()). */
#include "config.h"

#include "trv-connection-text.h"
#include "trv-nat-chooser.h"
#include "trv-nat-auto.h"

/* A network change comes as a burst of events (link, address, route); probing in the
 * middle of it would measure a half-configured network. */
#define NETWORK_SETTLE_MS 2000

struct _TrvNatChooser {
  GObject parent_instance;

  GNetworkMonitor *monitor;
  gulong monitor_handler;
  guint settle_source;
  GCancellable *choosing;
  TrvNatMode mode;
  TrvTurnTransport transport;
  gchar *description;
  TrvNatReport *report;         /* the last probe's, for the address seen from outside */
};

G_DEFINE_FINAL_TYPE (TrvNatChooser, trv_nat_chooser, G_TYPE_OBJECT)

enum { SIGNAL_NETWORK_CHANGED, SIGNAL_CHOSEN, SIGNAL_REPORT_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
on_network_settled (gpointer data)
{
  TrvNatChooser *self = data;
  self->settle_source = 0;
  g_signal_emit (self, signals[SIGNAL_NETWORK_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, TrvNatChooser *self)
{
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (NETWORK_SETTLE_MS, on_network_settled, self);
}

static void
on_auto_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TrvNatChooser *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(TrvNatAutoChoice) choice = trv_nat_auto_choose_finish (result, &error);
  if (choice == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->mode = choice->mode;
  self->transport = choice->turn_transport;
  g_clear_pointer (&self->report, trv_nat_report_free);
  if (choice->report)
    self->report = trv_nat_report_copy (choice->report);
  g_signal_emit (self, signals[SIGNAL_REPORT_CHANGED], 0);
  g_free (self->description);
  self->description = trv_connection_describe_auto_mode (choice->mode, choice->turn_transport,
                                                         choice->from_probe,
                                                         trv_nat_auto_choice_get_reason (choice));
  if (g_task_get_cancellable (task) == self->choosing)
    g_clear_object (&self->choosing);
  g_debug ("NAT chooser: %s", self->description);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0);
  g_task_return_boolean (task, TRUE);
}

void
trv_nat_chooser_choose_async (TrvNatChooser *self, const TrvNatConfig *nat, const char *domain,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (TRV_IS_NAT_CHOOSER (self));
  g_return_if_fail (nat != NULL);

  if (self->choosing)
    g_cancellable_cancel (self->choosing);
  g_clear_object (&self->choosing);
  self->choosing = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();

  GTask *task = g_task_new (self, self->choosing, callback, user_data);
  g_task_set_source_tag (task, trv_nat_chooser_choose_async);
  trv_nat_auto_choose_async (nat, domain, 0, self->choosing, on_auto_chosen, task);
}

gboolean
trv_nat_chooser_choose_finish (TrvNatChooser *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
trv_nat_chooser_reset (TrvNatChooser *self)
{
  if (self->choosing)
    g_cancellable_cancel (self->choosing);
  g_clear_object (&self->choosing);
  g_clear_pointer (&self->description, g_free);
  if (self->report)
    {
      g_clear_pointer (&self->report, trv_nat_report_free);
      g_signal_emit (self, signals[SIGNAL_REPORT_CHANGED], 0);
    }
}

void
trv_nat_chooser_set_report (TrvNatChooser *self, const TrvNatReport *report)
{
  g_return_if_fail (TRV_IS_NAT_CHOOSER (self));
  g_clear_pointer (&self->report, trv_nat_report_free);
  if (report)
    self->report = trv_nat_report_copy (report);
  g_debug ("NAT chooser: a network test's report %s", report ? "kept" : "dropped");
  g_signal_emit (self, signals[SIGNAL_REPORT_CHANGED], 0);
}

const TrvNatReport *
trv_nat_chooser_get_report (TrvNatChooser *self)
{
  g_return_val_if_fail (TRV_IS_NAT_CHOOSER (self), NULL);
  return self->report;
}

gboolean
trv_nat_chooser_is_choosing (TrvNatChooser *self)
{
  return self->choosing != NULL;
}

TrvNatMode
trv_nat_chooser_get_mode (TrvNatChooser *self)
{
  return self->mode;
}

TrvTurnTransport
trv_nat_chooser_get_transport (TrvNatChooser *self)
{
  return self->transport;
}

const char *
trv_nat_chooser_get_description (TrvNatChooser *self)
{
  return self->description;
}

static void
trv_nat_chooser_dispose (GObject *object)
{
  TrvNatChooser *self = TRV_NAT_CHOOSER (object);
  if (self->choosing)
    g_cancellable_cancel (self->choosing);
  g_clear_object (&self->choosing);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (trv_nat_chooser_parent_class)->dispose (object);
}

static void
trv_nat_chooser_finalize (GObject *object)
{
  g_free (TRV_NAT_CHOOSER (object)->description);
  g_clear_pointer (&TRV_NAT_CHOOSER (object)->report, trv_nat_report_free);
  G_OBJECT_CLASS (trv_nat_chooser_parent_class)->finalize (object);
}

static void
trv_nat_chooser_class_init (TrvNatChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_nat_chooser_dispose;
  object_class->finalize = trv_nat_chooser_finalize;
  signals[SIGNAL_NETWORK_CHANGED] =
    g_signal_new ("network-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REPORT_CHANGED] =
    g_signal_new ("report-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
trv_nat_chooser_init (TrvNatChooser *self)
{
  self->mode = TRV_NAT_MODE_ICE;
}

TrvNatChooser *
trv_nat_chooser_new (GNetworkMonitor *monitor)
{
  TrvNatChooser *self = g_object_new (TRV_TYPE_NAT_CHOOSER, NULL);
  self->monitor = g_object_ref (monitor ? monitor : g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  return self;
}
