/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-udp-transport.h: plain RTP over UDP with symmetric-RTP latching (mode "none"). */
#pragma once

#include "trv-media-transport.h"

G_BEGIN_DECLS

#define TRV_TYPE_UDP_TRANSPORT (trv_udp_transport_get_type ())
G_DECLARE_FINAL_TYPE (TrvUdpTransport, trv_udp_transport, TRV, UDP_TRANSPORT, TrvMediaTransport)

/* bind_address: local IP literal to bind (the interface that routes to the peer or
 * registrar, "127.0.0.1" for loopback). advertised_address: what to put into SDP
 * (NULL = bind_address). Binds an even RTP port and RTP+1 for RTCP in prepare. */
TrvMediaTransport *trv_udp_transport_new (const char *bind_address,
                                          const char *advertised_address);

G_END_DECLS
