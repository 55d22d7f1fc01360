/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-probe.h: asynchronous network check: STUN reachability, mapped address, NAT
 * mapping behaviour, UDP blocking, TURN allocation over UDP and TCP, and from these the
 * recommended traversal mode with a plain-words verdict. */
#pragma once

#include <gio/gio.h>
#include "trv-nat-report.h"

G_BEGIN_DECLS

#define TRV_TYPE_NAT_PROBE (trv_nat_probe_get_type ())
G_DECLARE_FINAL_TYPE (TrvNatProbe, trv_nat_probe, TRV, NAT_PROBE, GObject)

/* `domain` (may be NULL) is used for SRV discovery of servers the config leaves empty. */
TrvNatProbe  *trv_nat_probe_new         (const TrvNatConfig *config, const char *domain);
/* Per-request timeout budget; the default keeps a blocked network to ~4 s. */
void          trv_nat_probe_set_timeout (TrvNatProbe *self, guint timeout_ms);
void          trv_nat_probe_run_async   (TrvNatProbe *self,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
/* Fails only when nothing can be probed: TRV_ERROR_INVALID_CONFIG (no server configured
 * and none discovered) or TRV_ERROR_UNRESOLVABLE. An unreachable server is a report
 * with usable == FALSE, so the user still sees what was tried. */
TrvNatReport *trv_nat_probe_run_finish  (TrvNatProbe *self,
                                         GAsyncResult *result,
                                         GError **error);

G_END_DECLS
