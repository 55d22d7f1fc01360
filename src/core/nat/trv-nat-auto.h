/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-auto.h: nat.mode = auto for every front end: probe the network without
 * blocking, then pick the concrete mode from the report (trv_nat_report_choose_auto_mode). */
#pragma once

#include <gio/gio.h>
#include "trv-nat-report.h"

G_BEGIN_DECLS

typedef struct {
  TrvNatMode mode;                  /* what calls use; never TRV_NAT_MODE_AUTO */
  TrvTurnTransport turn_transport;
  gboolean from_probe;              /* the probe's recommendation; FALSE: the fallback, ice */
  TrvNatReport *report;             /* the probe's report; NULL when the probe failed */
  GError *probe_error;              /* why the probe failed (report NULL), else NULL */
} TrvNatAutoChoice;

void        trv_nat_auto_choice_free       (TrvNatAutoChoice *self);
/* The probe's verdict, else why the probe failed (borrowed; NULL when neither). */
const char *trv_nat_auto_choice_get_reason (const TrvNatAutoChoice *self);

/* Probes with the servers in `nat`; those it leaves empty are looked up by SRV under the
 * host of `domain` (the account's domain as written, host[:port]; may be NULL).
 * timeout_ms: the probe's per-request budget, 0 for its default. */
void              trv_nat_auto_choose_async  (const TrvNatConfig *nat,
                                              const char *domain,
                                              guint timeout_ms,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
/* Fails only when cancelled: a failed probe still yields the fallback mode. */
TrvNatAutoChoice *trv_nat_auto_choose_finish (GAsyncResult *result,
                                              GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvNatAutoChoice, trv_nat_auto_choice_free)

G_END_DECLS
