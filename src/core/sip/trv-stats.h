/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-stats.h: snapshots of call, path and quality figures, as JSON for --stats. */
#pragma once

#include <json-glib/json-glib.h>
#include "trv-call.h"

G_BEGIN_DECLS

/* { "call": {direction, remote, setup_ms, first_rtp_ms,
 *             dial_unix_ms, first_rtp_unix_ms, duration_s, end_reason, sip_status},
 *   "media": {codec, payload_type, srtp (suite or null), local, remote, rtp_sent, rtp_received, rtp_lost,
 *             jitter_ms, rtt_ms},
 *   "quality": {rtt_ms, loss_pct, jitter_ms, mos, r_factor} or null (no media yet) } */
JsonNode *trv_stats_snapshot   (TrvCall *call);
gboolean  trv_stats_write_file (TrvCall *call, const char *path, GError **error);

G_END_DECLS
