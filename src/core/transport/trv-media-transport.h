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

G_END_DECLS
