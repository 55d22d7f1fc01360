/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-udp-transport.c: plain RTP over UDP (mode "none").
 *
 * One socket per component, used by both udpsrc and udpsink so that packets leave from
 * the port we announced (symmetric RTP, RFC 4961). The destination starts as the
 * address from the peer's SDP and latches onto the source of the first packet that
 * arrives from elsewhere: a peer behind a NAT advertises its private address, but its
 * packets show the public one, and only sending back there reaches it. */
#include "config.h"

#include "trv-udp-transport.h"
#include "trv-error.h"
#include "trv-main-context.h"
#include "trv-net.h"

#include <glib/gi18n-lib.h>
#include <sys/resource.h>
#include <gst/net/gstnetaddressmeta.h>

/* How long a latched source must be quiet before another source may take over
 * (the peer's NAT rebound); before that, strangers' packets do not redirect us. */
#define RELATCH_QUIET_US (2 * G_USEC_PER_SEC)
#define BIND_ATTEMPTS 64

typedef struct {
  GSocket *socket;
  guint16 port;
  GSocketAddress *sdp_dest; /* where the peer's SDP says to send (NULL: nowhere yet) */
  GSocketAddress *dest;     /* where we send now (sdp_dest or latched) */
  gboolean latched;         /* dest came from a received packet */
  gint64 last_from_dest_us; /* monotonic time of the last packet from dest */
  GWeakRef sink;            /* the udpsink currently sending for this component */
} Component;

struct _TrvUdpTransport {
  TrvMediaTransport parent_instance;
  gchar *bind_address;
  gchar *advertised_address;
  GMainContext *context;    /* where path updates are delivered */
  GMutex lock;              /* guards comps[].dest/latched/last_from (streaming threads) */
  Component comps[2];       /* [0] RTP, [1] RTCP */
  gboolean rtcp_mux;
  gboolean prepared;
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (TrvUdpTransport, trv_udp_transport, TRV_TYPE_MEDIA_TRANSPORT)

static Component *
get_component (TrvUdpTransport *self, guint component)
{
  if (component == TRV_COMPONENT_RTP)
    return &self->comps[0];
  if (component == TRV_COMPONENT_RTCP)
    return &self->comps[1];
  return NULL;
}

static gchar *
address_to_string (GSocketAddress *sa)
{
  if (sa == NULL)
    return NULL;
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (sa);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  return trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
}

static gboolean
same_address (GSocketAddress *a, GSocketAddress *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  GInetSocketAddress *ia = G_INET_SOCKET_ADDRESS (a), *ib = G_INET_SOCKET_ADDRESS (b);
  return g_inet_socket_address_get_port (ia) == g_inet_socket_address_get_port (ib) &&
         g_inet_address_equal (g_inet_socket_address_get_address (ia),
                               g_inet_socket_address_get_address (ib));
}

/* Points the component's current udpsink at comp->dest. Caller holds the lock. */
static void
apply_destination (Component *comp)
{
  g_autoptr(GstElement) sink = g_weak_ref_get (&comp->sink);
  if (sink == NULL)
    return;
  g_signal_emit_by_name (sink, "clear");
  if (comp->dest == NULL)
    return;
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (comp->dest);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  g_signal_emit_by_name (sink, "add", ip, (gint) g_inet_socket_address_get_port (isa));
}

/* Publishes host/host with the RTP component's current addresses. Main context only. */
static gboolean
publish_path (gpointer data)
{
  TrvUdpTransport *self = data;
  if (self->closed || self->comps[0].socket == NULL)
    return G_SOURCE_REMOVE;
  g_autofree gchar *local = trv_net_join_host_port (self->bind_address, self->comps[0].port);
  g_mutex_lock (&self->lock);
  g_autofree gchar *remote = address_to_string (self->comps[0].dest);
  g_mutex_unlock (&self->lock);
  trv_media_transport_set_path (TRV_MEDIA_TRANSPORT (self), TRV_PATH_HOST, local,
                                remote ? TRV_PATH_HOST : TRV_PATH_UNKNOWN, remote, "udp");
  return G_SOURCE_REMOVE;
}

typedef struct {
  TrvUdpTransport *self;
  Component *comp;
} ProbeData;

static void
probe_data_free (gpointer data)
{
  ProbeData *pd = data;
  g_object_unref (pd->self);
  g_free (pd);
}

/* Streaming thread: latch the destination onto where the peer's packets come from. */
static GstPadProbeReturn
on_received (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ProbeData *pd = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstNetAddressMeta *meta = buf ? gst_buffer_get_net_address_meta (buf) : NULL;
  if (meta == NULL || !G_IS_INET_SOCKET_ADDRESS (meta->addr))
    return GST_PAD_PROBE_OK;

  Component *comp = pd->comp;
  gint64 now = g_get_monotonic_time ();
  gboolean moved = FALSE;
  g_mutex_lock (&pd->self->lock);
  if (same_address (comp->dest, meta->addr))
    {
      comp->latched = TRUE;
      comp->last_from_dest_us = now;
    }
  else if (!comp->latched || now - comp->last_from_dest_us > RELATCH_QUIET_US)
    {
      g_set_object (&comp->dest, meta->addr);
      comp->latched = TRUE;
      comp->last_from_dest_us = now;
      apply_destination (comp);
      moved = TRUE;
    }
  g_mutex_unlock (&pd->self->lock);

  if (moved && comp == &pd->self->comps[0])
    trv_main_context_defer (pd->self->context, publish_path, g_object_ref (pd->self),
                            g_object_unref);
  return GST_PAD_PROBE_OK;
}

static GSocket *
bind_socket (GInetAddress *addr, guint16 port, GError **error)
{
  g_autoptr(GSocket) sock = g_socket_new (g_inet_address_get_family (addr),
                                          G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    return NULL;
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (addr, port);
  if (!g_socket_bind (sock, sa, FALSE, error))
    return NULL;
  return g_steal_pointer (&sock);
}

/* Out of file descriptors is not "no free port": says so, with the limit, when that is
 * why a socket could not be opened. */
static gboolean
short_of_files (const GError *socket_error, const char *bind_address, GError **error)
{
  if (!g_error_matches (socket_error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
    return FALSE;
  struct rlimit limit = { 0 };
  getrlimit (RLIMIT_NOFILE, &limit);
  g_set_error (error, TRV_ERROR, TRV_ERROR_NO_RESOURCES,
               _("cannot open a UDP port on %s: too many open files (this process may open "
                 "%lu); end other calls or raise the limit"),
               bind_address, (unsigned long) limit.rlim_cur);
  return TRUE;
}

/* An even RTP port and the odd one above it (RFC 3550 section 11), both from the
 * kernel's ephemeral range so that two calls never race for a fixed port. */
static gboolean
bind_pair (TrvUdpTransport *self, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (self->bind_address);
  if (addr == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("media address '%s' is not an IP address"), self->bind_address);
      return FALSE;
    }
  for (guint attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GSocket) rtp = bind_socket (addr, 0, &local_error);
      if (rtp == NULL)
        {
          if (short_of_files (local_error, self->bind_address, error))
            return FALSE;
          g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
                       _("cannot open a UDP port on %s: %s"), self->bind_address,
                       local_error->message);
          return FALSE;
        }
      g_autoptr(GSocketAddress) bound = g_socket_get_local_address (rtp, NULL);
      guint16 port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
      if (port == 0 || port % 2 != 0 || port == G_MAXUINT16)
        continue;
      g_autoptr(GSocket) rtcp = bind_socket (addr, port + 1, &local_error);
      if (rtcp == NULL && short_of_files (local_error, self->bind_address, error))
        return FALSE;
      if (rtcp == NULL)
        continue;
      self->comps[0].socket = g_steal_pointer (&rtp);
      self->comps[0].port = port;
      self->comps[1].socket = g_steal_pointer (&rtcp);
      self->comps[1].port = port + 1;
      return TRUE;
    }
  g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
               _("no free pair of UDP ports (even RTP, odd RTCP) on %s after %d attempts"),
               self->bind_address, BIND_ATTEMPTS);
  return FALSE;
}

static void
trv_udp_transport_prepare_async (TrvMediaTransport *transport, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_udp_transport_prepare_async);
  g_autoptr(GError) error = NULL;

  if (self->closed)
    g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                             _("the media transport is already closed"));
  else if (self->prepared || bind_pair (self, &error))
    {
      self->prepared = TRUE;
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
trv_udp_transport_prepare_finish (TrvMediaTransport *transport, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
trv_udp_transport_describe (TrvMediaTransport *transport, TrvMediaEndpoint *local)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  g_free (local->address);
  /* A public address of the other family (IPv4 while this call's media is IPv6) does
   * not stand for this socket. */
  g_autoptr(GInetAddress) pub = self->advertised_address
                                ? g_inet_address_new_from_string (self->advertised_address) : NULL;
  gboolean advertise = self->advertised_address &&
                       (pub == NULL || self->comps[0].socket == NULL ||
                        g_inet_address_get_family (pub) ==
                        g_socket_get_family (self->comps[0].socket));
  local->address = g_strdup (advertise ? self->advertised_address : self->bind_address);
  local->port = self->comps[0].port;
  local->rtcp_port = self->comps[1].port;
  /* Offer mux; peers that do not mux still get RTCP on the odd port. */
  local->rtcp_mux = TRUE;
}

static GSocketAddress *
parse_destination (const char *ip, guint port, GSocketFamily family, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  if (addr == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the peer's media address '%s' is not an IP address"), ip);
      return NULL;
    }
  if (g_inet_address_get_family (addr) != family)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NO_PATH,
                   _("the peer's media address %s is %s but our media socket is %s"), ip,
                   g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4",
                   family == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4");
      return NULL;
    }
  /* c=0.0.0.0 (RFC 2543 hold) or port 0: nowhere to send until a packet shows up. */
  if (g_inet_address_get_is_any (addr) || port == 0 || port > G_MAXUINT16)
    return NULL;
  return g_inet_socket_address_new (addr, port);
}

/* Takes a new SDP destination. Caller holds the lock. A re-INVITE that repeats the
 * same address keeps a latched destination: the SDP still names the private address
 * while the packets still come from the public one. */
static void
reset_destination (Component *comp, GSocketAddress *sdp_dest)
{
  gboolean same = (sdp_dest == NULL && comp->sdp_dest == NULL) ||
                  same_address (sdp_dest, comp->sdp_dest);
  g_clear_object (&comp->sdp_dest);
  comp->sdp_dest = sdp_dest;
  if (same && comp->latched)
    return;
  g_set_object (&comp->dest, sdp_dest);
  comp->latched = FALSE;
  comp->last_from_dest_us = 0;
  apply_destination (comp);
}

static gboolean
trv_udp_transport_set_remote (TrvMediaTransport *transport, const TrvMediaEndpoint *remote,
                              gboolean rtcp_mux, GError **error)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  if (!self->prepared || self->closed)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   /* Translators: %s is "closed" or "not prepared". */
                   _("the media transport is %s"), self->closed ? _("closed") : _("not prepared"));
      return FALSE;
    }
  GSocketFamily family = g_socket_get_family (self->comps[0].socket);
  GError *local_error = NULL;
  g_autoptr(GSocketAddress) rtp = parse_destination (remote->address, remote->port,
                                                     family, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  guint rtcp_port = remote->rtcp_port ? remote->rtcp_port : remote->port + 1u;
  g_autoptr(GSocketAddress) rtcp = rtcp_mux ? NULL
                                   : parse_destination (remote->address, rtcp_port, family, NULL);

  g_mutex_lock (&self->lock);
  reset_destination (&self->comps[0], g_steal_pointer (&rtp));
  reset_destination (&self->comps[1], g_steal_pointer (&rtcp));
  self->rtcp_mux = rtcp_mux;
  g_mutex_unlock (&self->lock);

  publish_path (self);
  return TRUE;
}

static GstElement *
trv_udp_transport_create_src (TrvMediaTransport *transport, guint component)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  Component *comp = get_component (self, component);
  g_return_val_if_fail (comp != NULL && comp->socket != NULL && !self->closed, NULL);

  GstElement *src = gst_element_factory_make ("udpsrc", NULL);
  if (src == NULL)
    return NULL;
  g_object_set (src, "socket", comp->socket, "close-socket", FALSE, NULL);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (src, "src");
  ProbeData *pd = g_new0 (ProbeData, 1);
  pd->self = g_object_ref (self);
  pd->comp = comp;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_received, pd, probe_data_free);
  return src;
}

static GstElement *
trv_udp_transport_create_sink (TrvMediaTransport *transport, guint component)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  Component *comp = get_component (self, component);
  g_return_val_if_fail (comp != NULL && comp->socket != NULL && !self->closed, NULL);

  GstElement *sink = gst_element_factory_make ("udpsink", NULL);
  if (sink == NULL)
    return NULL;
  gboolean v6 = g_socket_get_family (comp->socket) == G_SOCKET_FAMILY_IPV6;
  /* RTP leaves when rtpbin hands it over: no clock sync, no preroll wait. */
  g_object_set (sink, v6 ? "socket-v6" : "socket", comp->socket, "close-socket", FALSE,
                "sync", FALSE, "async", FALSE, "auto-multicast", FALSE, NULL);
  g_mutex_lock (&self->lock);
  g_weak_ref_set (&comp->sink, sink);
  apply_destination (comp);
  g_mutex_unlock (&self->lock);
  return sink;
}

static void
trv_udp_transport_close (TrvMediaTransport *transport)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  if (self->closed)
    return;
  self->closed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->comps); i++)
    {
      Component *c = &self->comps[i];
      if (c->socket)
        g_socket_close (c->socket, NULL);
    }
}

static void
trv_udp_transport_finalize (GObject *object)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (object);
  trv_udp_transport_close (TRV_MEDIA_TRANSPORT (self));
  for (guint i = 0; i < G_N_ELEMENTS (self->comps); i++)
    {
      Component *c = &self->comps[i];
      g_clear_object (&c->socket);
      g_clear_object (&c->dest);
      g_clear_object (&c->sdp_dest);
      g_weak_ref_clear (&c->sink);
    }
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  g_free (self->bind_address);
  g_free (self->advertised_address);
  G_OBJECT_CLASS (trv_udp_transport_parent_class)->finalize (object);
}

static gboolean
is_private (GInetAddress *address)
{
  return address && g_inet_address_get_is_site_local (address);
}

/* Plain UDP offers only the local (or configured public) address, nothing a NAT in front
 * of the peer would let through on its own. When both sides offered private addresses
 * and nothing latched, the sides are behind different NATs: no packet can come. */
static TrvSilenceCause
trv_udp_transport_get_silence_cause (TrvMediaTransport *transport)
{
  TrvUdpTransport *self = TRV_UDP_TRANSPORT (transport);
  const char *ours = self->advertised_address ? self->advertised_address : self->bind_address;
  g_autoptr(GInetAddress) local = ours ? g_inet_address_new_from_string (ours) : NULL;
  g_mutex_lock (&self->lock);
  Component *rtp = &self->comps[0];
  gboolean behind_nats = !rtp->latched && G_IS_INET_SOCKET_ADDRESS (rtp->sdp_dest) &&
                         is_private (local) &&
                         is_private (g_inet_socket_address_get_address (
                                       G_INET_SOCKET_ADDRESS (rtp->sdp_dest)));
  g_mutex_unlock (&self->lock);
  return behind_nats ? TRV_SILENCE_CAUSE_BEHIND_NATS : TRV_SILENCE_CAUSE_LOCAL_ONLY;
}

static void
trv_udp_transport_class_init (TrvUdpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TrvMediaTransportClass *transport_class = TRV_MEDIA_TRANSPORT_CLASS (klass);
  object_class->finalize = trv_udp_transport_finalize;
  transport_class->prepare_async = trv_udp_transport_prepare_async;
  transport_class->prepare_finish = trv_udp_transport_prepare_finish;
  transport_class->describe = trv_udp_transport_describe;
  transport_class->set_remote = trv_udp_transport_set_remote;
  transport_class->create_src = trv_udp_transport_create_src;
  transport_class->create_sink = trv_udp_transport_create_sink;
  transport_class->close = trv_udp_transport_close;
  transport_class->get_silence_cause = trv_udp_transport_get_silence_cause;
}

static void
trv_udp_transport_init (TrvUdpTransport *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  for (guint i = 0; i < G_N_ELEMENTS (self->comps); i++)
    g_weak_ref_init (&self->comps[i].sink, NULL);
}

TrvMediaTransport *
trv_udp_transport_new (const char *bind_address, const char *advertised_address)
{
  g_return_val_if_fail (bind_address != NULL, NULL);
  /* The desktop initializes GStreamer on a thread (src/ui/main.c): wait for it. */
  gst_init (NULL, NULL);
  TrvUdpTransport *self = g_object_new (TRV_TYPE_UDP_TRANSPORT, NULL);
  self->bind_address = g_strdup (bind_address);
  self->advertised_address = g_strdup (advertised_address);
  return TRV_MEDIA_TRANSPORT (self);
}
