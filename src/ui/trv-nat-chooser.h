/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-chooser.h: nat.mode = auto for the desktop app. Runs the core's network probe
 * without blocking the UI, keeps the mode the core picked from it with a plain-words
 * reason, and reports network changes (debounced) after which to choose again. */
#pragma once

#include <gio/gio.h>
#include "trv-nat-config.h"
#include "trv-nat-report.h"

G_BEGIN_DECLS

#define TRV_TYPE_NAT_CHOOSER (trv_nat_chooser_get_type ())
G_DECLARE_FINAL_TYPE (TrvNatChooser, trv_nat_chooser, TRV, NAT_CHOOSER, GObject)

/* monitor: whose "network-changed" to follow (NULL: GLib's default). */
TrvNatChooser   *trv_nat_chooser_new             (GNetworkMonitor *monitor);
/* `domain`: the account's domain for SRV discovery of servers `nat` leaves empty (may be
 * NULL). A choice already running is cancelled. */
void             trv_nat_chooser_choose_async    (TrvNatChooser *self,
                                                  const TrvNatConfig *nat,
                                                  const char *domain,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
/* Fails only when cancelled: a failed probe still yields the fallback mode. */
gboolean         trv_nat_chooser_choose_finish   (TrvNatChooser *self,
                                                  GAsyncResult *result,
                                                  GError **error);
/* Cancels a running choice and forgets the last one. */
void             trv_nat_chooser_reset           (TrvNatChooser *self);
gboolean         trv_nat_chooser_is_choosing     (TrvNatChooser *self);
/* The last choice (valid while get_description() is not NULL). */
TrvNatMode       trv_nat_chooser_get_mode        (TrvNatChooser *self);
TrvTurnTransport trv_nat_chooser_get_transport   (TrvNatChooser *self);
/* "Through NAT (STUN) — chosen automatically: ..."; NULL while there is no choice. */
const char      *trv_nat_chooser_get_description (TrvNatChooser *self);
/* The last choice's probe report; NULL without one (none yet, or the probe failed). */
const TrvNatReport *trv_nat_chooser_get_report   (TrvNatChooser *self);
/* Keeps a network test's report (Preferences' Test) as the last one; it goes with the next
 * reset (a restart with other settings) or choice. */
void             trv_nat_chooser_set_report      (TrvNatChooser *self,
                                                  const TrvNatReport *report);

/* Signal "report-changed" (): get_report() changed (a choice, a test, a reset).
 * Signal "network-changed" (): the network changed and then stayed quiet for a moment.
 * Signal "chosen" (): a choice was made; get_description() says which and why. */

G_END_DECLS
