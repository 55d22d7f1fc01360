/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-srtp.h: srtpenc/srtpdec for rtpbin, keyed with the negotiated SDES suite. */
#pragma once

#include <gst/gst.h>

#include "trv-negotiation.h"

G_BEGIN_DECLS

/* Connects rtpbin's request-rtp/rtcp-encoder/decoder so that session 0 is protected
 * with the negotiated suite: srtpenc with our key, srtpdec with the peer's. Call right
 * after creating rtpbin, before requesting or linking its pads. Also requests
 * recv_rtcp_sink_0 (srtpdec needs its RTCP output linked even with rtcp-mux).
 * Errors: TRV_ERROR_MEDIA (srtpenc/srtpdec missing), TRV_ERROR_MALFORMED_SDP (bad key). */
gboolean trv_srtp_setup_rtpbin (GstElement *rtpbin, const TrvNegotiation *negotiation,
                                GError **error);

G_END_DECLS
