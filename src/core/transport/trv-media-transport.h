/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-transport.h: how media packets travel for one call. Gathers local addresses,
 * takes the remote ones from the negotiation, hands GStreamer elements to the media
 * session and reports the path in use. Two kinds: plain UDP and ICE (libnice). */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include "trv-negotiation.h"

G_BEGIN_DECLS

/* TRV_TYPE_PATH_TYPE (trv-transport-enums.h); nicks "host", "srflx", "prflx", "relay", "unknown". */
typedef enum {
  TRV_PATH_UNKNOWN,
  TRV_PATH_HOST,
  TRV_PATH_SRFLX,
  TRV_PATH_PRFLX,
  TRV_PATH_RELAY,
} TrvPathType;

/* What a transport can tell about a media path on which no audio arrives. */
typedef enum {
  TRV_SILENCE_CAUSE_UNKNOWN,     /* a path works as far as the transport can tell */
  TRV_SILENCE_CAUSE_LOCAL_ONLY,  /* only local addresses were offered (nat.mode = none): a
                                  * peer behind another NAT cannot reach them */
  TRV_SILENCE_CAUSE_NO_PATH,     /* ICE connectivity checks found no working path (yet) */
  /* No path can come (the call's no-path verdict ends a call that never heard audio): */
  TRV_SILENCE_CAUSE_BEHIND_NATS, /* nat.mode = none and both sides offered private addresses */
  TRV_SILENCE_CAUSE_NO_RELAY,    /* ICE found no pair yet and neither side offered a relay */
} TrvSilenceCause;

#define TRV_COMPONENT_RTP  1
#define TRV_COMPONENT_RTCP 2

#define TRV_TYPE_MEDIA_TRANSPORT (trv_media_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (TrvMediaTransport, trv_media_transport, TRV, MEDIA_TRANSPORT, GObject)

struct _TrvMediaTransportClass {
  GObjectClass parent_class;

  /* Gather local candidates / bind sockets. */
  void        (*prepare_async)  (TrvMediaTransport *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*prepare_finish) (TrvMediaTransport *self, GAsyncResult *result, GError **error);
  /* Fill address/port (and ICE attributes) of the local endpoint. */
  void        (*describe)       (TrvMediaTransport *self, TrvMediaEndpoint *local);
  /* Where to send: the peer's endpoint from the negotiation (called again on re-INVITE). */
  gboolean    (*set_remote)     (TrvMediaTransport *self, const TrvMediaEndpoint *remote,
                                 gboolean rtcp_mux, GError **error);
  /* Elements for the media pipeline, one pair per component (RTCP only when not muxed). */
  GstElement *(*create_src)     (TrvMediaTransport *self, guint component);
  GstElement *(*create_sink)    (TrvMediaTransport *self, guint component);
  /* Release sockets / allocations. Idempotent. */
  void        (*close)          (TrvMediaTransport *self);
  /* Why no audio may arrive (default: TRV_SILENCE_CAUSE_UNKNOWN). */
  TrvSilenceCause (*get_silence_cause) (TrvMediaTransport *self);
  /* RTP packets the transport actually sent, or -1 when it cannot tell (the default). */
  gint64 (*get_rtp_sent) (TrvMediaTransport *self);
};

void        trv_media_transport_prepare_async  (TrvMediaTransport *self, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
gboolean    trv_media_transport_prepare_finish (TrvMediaTransport *self, GAsyncResult *result,
                                                GError **error);
void        trv_media_transport_describe       (TrvMediaTransport *self, TrvMediaEndpoint *local);
gboolean    trv_media_transport_set_remote     (TrvMediaTransport *self, const TrvMediaEndpoint *remote,
                                                gboolean rtcp_mux, GError **error);
GstElement *trv_media_transport_create_src     (TrvMediaTransport *self, guint component);
GstElement *trv_media_transport_create_sink    (TrvMediaTransport *self, guint component);
void        trv_media_transport_close          (TrvMediaTransport *self);
TrvSilenceCause trv_media_transport_get_silence_cause (TrvMediaTransport *self);
gint64          trv_media_transport_get_rtp_sent      (TrvMediaTransport *self);

/* Problems that did not stop the call (unreachable STUN server, TURN refused, no SRV
 * records...), in order; borrowed, never NULL. Subclasses report one with
 * trv_media_transport_add_warning() (which takes `message` and emits "warning"). */
GPtrArray  *trv_media_transport_get_warnings   (TrvMediaTransport *self);
void        trv_media_transport_add_warning    (TrvMediaTransport *self, gchar *message);

/* The path in use; subclasses call trv_media_transport_set_path() (from the main context),
 * which updates the properties "local-type", "remote-type", "local-address",
 * "remote-address" and emits "path-changed". Addresses are "ip:port". */
TrvPathType trv_media_transport_get_local_type     (TrvMediaTransport *self);
TrvPathType trv_media_transport_get_remote_type    (TrvMediaTransport *self);
const char *trv_media_transport_get_local_address  (TrvMediaTransport *self);
const char *trv_media_transport_get_remote_address (TrvMediaTransport *self);
const char *trv_media_transport_get_protocol       (TrvMediaTransport *self); /* "udp" / "tcp" */
void        trv_media_transport_set_path           (TrvMediaTransport *self,
                                                    TrvPathType local_type, const char *local_address,
                                                    TrvPathType remote_type, const char *remote_address,
                                                    const char *protocol);

/* Signals (main context):
 *  "path-changed" ()
 *  "warning"      (gchar *message)  see get_warnings() */

G_END_DECLS
