/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-echo-endpoint.h: an in-process answerer on loopback that sends the caller's own
 * audio back through the full SIP + RTP path: the zero-configuration first call. */
#pragma once

#include <gio/gio.h>
#include "trv-media-config.h"

G_BEGIN_DECLS

#define TRV_TYPE_ECHO_ENDPOINT (trv_echo_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (TrvEchoEndpoint, trv_echo_endpoint, TRV, ECHO_ENDPOINT, GObject)

TrvEchoEndpoint *trv_echo_endpoint_new   (const TrvMediaConfig *media);
/* Listens for SIP on 127.0.0.1 (a free UDP port). */
gboolean         trv_echo_endpoint_start (TrvEchoEndpoint *self, GError **error);
/* "sip:echo@127.0.0.1:PORT" once started. */
const char      *trv_echo_endpoint_get_uri (TrvEchoEndpoint *self);
void             trv_echo_endpoint_shutdown_async  (TrvEchoEndpoint *self,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
gboolean         trv_echo_endpoint_shutdown_finish (TrvEchoEndpoint *self,
                                                    GAsyncResult *result,
                                                    GError **error);

G_END_DECLS
