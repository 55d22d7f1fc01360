/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-gather.c: preparing a TrvIceTransport: configured or SRV-discovered STUN/TURN
 * servers, name resolution off the main thread, bounded candidate gathering; ICE restart
 * (a freshly gathered stream). */
#include "config.h"

#include "trv-ice-transport-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-server-discovery.h"
#include "trv-host-port.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-log.h"

#include <glib/gi18n-lib.h>
#include <gst/base/gstbasesrc.h>

/* libnice's default of 7 retransmissions waits ~25 s on a dead server; 4 gives up
 * within the gathering bound (200+400+800+1600 ms). */
#define STUN_RETRANSMISSIONS 4

static gboolean
has_candidate_type (GSList *list, NiceCandidateType type)
{
  for (GSList *l = list; l; l = l->next)
    if (((NiceCandidate *) l->data)->type == type)
      return TRUE;
  return FALSE;
}

/* Why no relayed candidate came. Over TLS the relay knows better than a timeout (a refused
 * certificate, a proxy's refusal) and names the proxy itself. Through a proxy over TCP,
 * libnice does not say whether the proxy or the server refused. */
static GError *
turn_failure (TrvIceTransport *self, gboolean timed_out)
{
  const char *proto = trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, self->turn_transport);
  g_autofree gchar *proxy = self->proxy ? trv_proxy_describe (self->proxy) : NULL;
  GError *error = _trv_ice_transport_turn_tls_error (self);
  if (error)
    return error;
  if (timed_out && proxy)
    return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                        _("TURN server %s (%s) did not answer within %u ms through the HTTP "
                          "proxy %s"), self->turn_name, proto, TRV_ICE_GATHER_TIMEOUT_MS, proxy);
  if (timed_out)
    return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                        _("TURN server %s (%s) did not answer within %u ms"),
                        self->turn_name, proto, TRV_ICE_GATHER_TIMEOUT_MS);
  if (proxy)
    return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                        _("TURN server %s (%s) through the HTTP proxy %s: the proxy refused the "
                          "connection or the server the allocation: check nat.http-proxy, "
                          "nat.turn-username and nat.turn-password"),
                        self->turn_name, proto, proxy);
  return g_error_new (TRV_ERROR, TRV_ERROR_AUTH_FAILED,
                      _("TURN server %s (%s) refused the allocation: check "
                        "nat.turn-username and nat.turn-password"), self->turn_name, proto);
}

void
_trv_ice_transport_finish_gathering (TrvIceTransport *self, gboolean timed_out)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->prepare_task);
  g_clear_handle_id (&self->gather_timeout, g_source_remove);
  self->gathering_ms = (g_get_monotonic_time () - self->prepare_start_us) / 1000;

  GSList *cands = _trv_ice_transport_local_candidates (self, TRV_COMPONENT_RTP);
  gboolean srflx = has_candidate_type (cands, NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE);
  gboolean relay = has_candidate_type (cands, NICE_CANDIDATE_TYPE_RELAYED);
  gboolean host = has_candidate_type (cands, NICE_CANDIDATE_TYPE_HOST);
  g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);

  /* No srflx is normal without a NAT (libnice drops a srflx equal to a host
   * candidate); only silence from the server is worth a warning. */
  if (self->stun_ip && !srflx && timed_out)
    _trv_ice_transport_warn (self, g_strdup_printf (_("STUN server %s did not answer within %u ms; "
                                                      "no server-reflexive candidate"),
                                                    self->stun_name, TRV_ICE_GATHER_TIMEOUT_MS));
  GError *relay_error = NULL;
  if (self->turn_ip && !self->turn_disabled && !relay)
    relay_error = turn_failure (self, timed_out);

  /* TURN failed and, with it, the server-reflexive address (see stun_shares_turn):
   * gather once more without TURN so the call still gets its STUN path. */
  if (relay_error && self->mode != TRV_NAT_MODE_TURN && self->stun_ip && !srflx)
    {
      _trv_ice_transport_warn (self, g_strdup_printf (_("%s; gathering again with STUN only"),
                                                      relay_error->message));
      g_error_free (relay_error);
      self->turn_disabled = TRUE;
      nice_agent_remove_stream (self->agent, self->stream_id);
      self->prepare_task = g_steal_pointer (&task);
      _trv_ice_transport_gather_stream (self);
      return;
    }

  if (self->mode == TRV_NAT_MODE_TURN && !relay)
    {
      _trv_ice_transport_set_state (self, TRV_ICE_STATE_FAILED);
      self->error = relay_error ? g_error_copy (relay_error)
                                : g_error_new (TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                                               _("nat.mode = turn needs a TURN server: none "
                                                 "is configured and none was discovered"));
      g_task_return_error (task, relay_error ? relay_error : g_error_copy (self->error));
      return;
    }
  if (relay_error)
    {
      _trv_ice_transport_warn (self, g_strdup_printf (_("%s; the call uses direct and STUN paths only"),
                                                      relay_error->message));
      g_error_free (relay_error);
    }
  if (!host && !srflx && !relay)
    {
      _trv_ice_transport_set_state (self, TRV_ICE_STATE_FAILED);
      self->error = g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                                 _("no local network address to send media from"));
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  g_debug ("ICE %p: gathered%s%s%s in %" G_GINT64_FORMAT " ms", (gpointer) self,
           host ? " host" : "", srflx ? " srflx" : "", relay ? " relay" : "", self->gathering_ms);
  if (self->old_stream_id)
    _trv_ice_transport_switch_stream (self);
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_GATHERED);
  g_task_return_boolean (task, TRUE);
}

static gboolean
on_gather_timeout (gpointer data)
{
  TrvIceTransport *self = data;
  self->gather_timeout = 0;
  _trv_ice_transport_finish_gathering (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
start_gathering (TrvIceTransport *self)
{
  NiceAgentOption flags = NICE_AGENT_OPTION_REGULAR_NOMINATION |
                          NICE_AGENT_OPTION_CONSENT_FRESHNESS;
  self->agent = nice_agent_new_full (self->context, NICE_COMPATIBILITY_RFC5245, flags);
  /* ice-tcp could make a TCP candidate the default one; UPnP sends SSDP multicast. */
  g_object_set (self->agent,
                "ice-tcp", FALSE,
                "upnp", FALSE,
                "controlling-mode", self->controlling,
                "force-relay", self->mode == TRV_NAT_MODE_TURN,
                "stun-max-retransmissions", STUN_RETRANSMISSIONS,
                /* Ta paces each STUN/TURN request of the gathering and each check; at the
                 * default 20 ms the second component's requests wait a tick or two.
                 * 5 ms is RFC 8445's lower bound. */
                "stun-pacing-timer", 5,
                NULL);

  g_autoptr(GInetAddress) local = self->local_address
                                  ? g_inet_address_new_from_string (self->local_address) : NULL;
  if (local && g_inet_address_get_is_loopback (local))
    {
      /* libnice skips loopback when enumerating interfaces. */
      NiceAddress addr;
      nice_address_init (&addr);
      if (nice_address_set_from_string (&addr, self->local_address))
        nice_agent_add_local_address (self->agent, &addr);
    }

  _trv_ice_transport_watch_agent (self);
  _trv_ice_transport_start_turn_tls (self);
  _trv_ice_transport_gather_stream (self);
}

/* A new stream (both components) with the servers, gathered within the bound; its id
 * becomes self->stream_id. Completion: _trv_ice_transport_finish_gathering() on self->prepare_task. */
/* libnice 0.1.21 drops STUN binding responses ("incorrectly multiplexed") from a
 * server that is also its TURN server over UDP on the same socket. The TURN
 * allocation reports the mapped address anyway, so STUN is left to it. */
static gboolean
stun_shares_turn (TrvIceTransport *self)
{
  return self->stun_ip && self->turn_ip && !self->turn_disabled &&
         self->turn_transport == TRV_TURN_TRANSPORT_UDP &&
         g_str_equal (self->stun_ip, self->turn_ip) && self->stun_port == self->turn_port;
}

void
_trv_ice_transport_gather_stream (TrvIceTransport *self)
{
  if (self->stun_ip && !stun_shares_turn (self))
    g_object_set (self->agent, "stun-server", self->stun_ip,
                  "stun-server-port", (guint) self->stun_port, NULL);
  else
    g_object_set (self->agent, "stun-server", NULL, NULL);
  self->stream_id = nice_agent_add_stream (self->agent, 2);
  const char *relay_ip;
  guint relay_port;
  NiceRelayType relay_type;
  _trv_ice_transport_turn_relay_info (self, &relay_ip, &relay_port, &relay_type);
  if (self->turn_ip && !self->turn_disabled)
    for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
      nice_agent_set_relay_info (self->agent, self->stream_id, c, relay_ip, relay_port,
                                 self->nat->turn_username, self->nat->turn_password, relay_type);
  _trv_ice_transport_attach_receivers (self);

  if (!nice_agent_gather_candidates (self->agent, self->stream_id))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->prepare_task);
      _trv_ice_transport_set_state (self, TRV_ICE_STATE_FAILED);
      g_clear_error (&self->error);
      self->error = g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                                 _("cannot gather ICE candidates (no usable local address or "
                                   "TURN server)"));
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  self->gather_timeout = g_timeout_add (TRV_ICE_GATHER_TIMEOUT_MS, on_gather_timeout, self);
}

static void
on_proxy_found (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvIceTransport) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvProxy) proxy = trv_proxy_lookup_finish (result, &error);
  if (self->prepare_task == NULL)
    return;   /* closed meanwhile */
  if (error)
    _trv_ice_transport_warn (self, g_strdup_printf (_("%s; reaching the TURN server %s "
                                                      "directly"), error->message,
                                                    self->turn_name));
  self->proxy = g_steal_pointer (&proxy);
  if (self->proxy)
    {
      trv_log_add_secret (self->proxy->password);
      g_debug ("ICE %p: TURN %s over %s through HTTP proxy %s:%u", (gpointer) self,
               self->turn_name, trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, self->turn_transport),
               self->proxy->ip, self->proxy->port);
    }
  start_gathering (self);
}

/* TURN over TCP or TLS goes through an HTTP proxy where the setting or the system names
 * one (UDP cannot); looked up and resolved without blocking. */
static void
find_proxy (TrvIceTransport *self)
{
  if (self->turn_ip == NULL || self->turn_disabled ||
      self->turn_transport == TRV_TURN_TRANSPORT_UDP)
    {
      start_gathering (self);
      return;
    }
  trv_proxy_lookup_async (self->nat->http_proxy, self->turn_host, self->turn_port,
                          g_task_get_cancellable (self->prepare_task), on_proxy_found,
                          g_object_ref (self));
}

typedef struct {
  gchar *stun_host;
  gchar *turn_host;
  gchar *stun_ip;
  gchar *turn_ip;
  gchar *stun_error;
  gchar *turn_error;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_free (r->stun_host);
  g_free (r->turn_host);
  g_free (r->stun_ip);
  g_free (r->turn_ip);
  g_free (r->stun_error);
  g_free (r->turn_error);
  g_free (r);
}

/* libnice wants IP literals; getaddrinfo blocks, so it runs in a worker thread. */
static void
resolve_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Resolve *r = data;
  g_autoptr(GError) error = NULL;
  if (r->stun_host && !(r->stun_ip = trv_net_resolve (r->stun_host, cancellable, &error)))
    r->stun_error = g_strdup (error->message);
  g_clear_error (&error);
  if (r->turn_host && !(r->turn_ip = trv_net_resolve (r->turn_host, cancellable, &error)))
    r->turn_error = g_strdup (error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (source);
  Resolve *r = g_task_get_task_data (G_TASK (result));
  if (self->prepare_task == NULL)
    return;   /* closed meanwhile */
  if (r->stun_error)
    _trv_ice_transport_warn (self, g_strdup_printf ("STUN server: %s", r->stun_error));
  if (r->turn_error)
    _trv_ice_transport_warn (self, g_strdup_printf ("TURN server: %s", r->turn_error));
  self->stun_ip = g_steal_pointer (&r->stun_ip);
  self->turn_ip = g_steal_pointer (&r->turn_ip);
  if (self->mode == TRV_NAT_MODE_TURN && self->turn_ip == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->prepare_task);
      _trv_ice_transport_set_state (self, TRV_ICE_STATE_FAILED);
      self->error = r->turn_error
        ? g_error_new (TRV_ERROR, TRV_ERROR_UNRESOLVABLE, _("TURN server: %s"), r->turn_error)
        : g_error_new (TRV_ERROR, TRV_ERROR_NOT_AVAILABLE, _("nat.mode = turn needs a TURN "
                                                             "server: none is configured and none was discovered"));
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  find_proxy (self);
}

static void
resolve_servers (TrvIceTransport *self, const char *stun_host, const char *turn_host)
{
  Resolve *r = g_new0 (Resolve, 1);
  r->stun_host = g_strdup (stun_host);
  r->turn_host = g_strdup (turn_host);
  g_autoptr(GTask) task = g_task_new (self, g_task_get_cancellable (self->prepare_task),
                                      on_resolved, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);
  g_task_run_in_thread (task, resolve_thread);
}

/* Splits a configured "host[:port]"; config validation already rejected malformed
 * values, so a failure here only leaves the server out, with a warning. */
static gchar *
configured_server (TrvIceTransport *self, const char *value, const char *key,
                   guint16 *port)
{
  g_autoptr(GError) error = NULL;
  gchar *host = NULL;
  if (value == NULL)
    return NULL;
  guint16 default_port = g_str_equal (key, "nat.turn-server") &&
                         self->turn_transport == TRV_TURN_TRANSPORT_TLS
                         ? TRV_ICE_DEFAULT_TURNS_PORT : TRV_ICE_DEFAULT_STUN_PORT;
  if (!trv_parse_host_port (value, default_port, key, &host, port, &error))
    _trv_ice_transport_warn (self, g_strdup (error->message));
  return host;
}

static void
resolve_known_servers (TrvIceTransport *self)
{
  if (self->stun_host)
    self->stun_name = trv_net_join_host_port (self->stun_host, self->stun_port);
  if (self->turn_host)
    self->turn_name = trv_net_join_host_port (self->turn_host, self->turn_port);
  resolve_servers (self, self->stun_host, self->turn_host);
}

static void
on_discovered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvIceTransport) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvDiscoveredServers) found = trv_server_discovery_lookup_finish (result, &error);
  if (self->prepare_task == NULL)
    return;   /* closed meanwhile */
  if (found == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->prepare_task);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      _trv_ice_transport_warn (self, g_strdup (error->message));
    }
  else
    {
      for (guint i = 0; i < found->warnings->len; i++)
        _trv_ice_transport_warn (self, g_strdup (found->warnings->pdata[i]));
      if (self->stun_host == NULL && _trv_ice_mode_uses_stun (self->mode) && found->stun_host)
        {
          self->stun_host = g_strdup (found->stun_host);
          self->stun_port = found->stun_port;
        }
      const char *turn[] = { found->turn_udp_host, found->turn_tcp_host, found->turn_tls_host };
      guint16 port[] = { found->turn_udp_port, found->turn_tcp_port, found->turn_tls_port };
      if (self->turn_host == NULL && self->turn_usable && turn[self->turn_transport])
        {
          self->turn_host = g_strdup (turn[self->turn_transport]);
          self->turn_port = port[self->turn_transport];
        }
    }
  resolve_known_servers (self);
}

void
_trv_ice_transport_prepare_async (TrvMediaTransport *transport, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _trv_ice_transport_prepare_async);

  if (self->agent != NULL || self->prepare_task != NULL || self->state != TRV_ICE_STATE_NEW)
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                               _("the ICE transport was already prepared or closed"));
      return;
    }
  if (self->mode == TRV_NAT_MODE_AUTO)
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                               _("nat.mode = auto must be resolved by a NAT probe first"));
      return;
    }
  /* TURN only works with long-term credentials (RFC 5766 section 4). */
  self->turn_usable = _trv_ice_mode_uses_turn (self->mode) &&
                      self->nat->turn_username != NULL && self->nat->turn_password != NULL;
  if (_trv_ice_mode_uses_turn (self->mode) && !self->turn_usable)
    {
      if (self->mode == TRV_NAT_MODE_TURN)
        {
          g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                                   _("nat.turn-username / nat.turn-password: TURN needs "
                                     "long-term credentials"));
          return;
        }
      /* ICE without TURN is a normal setup; a server without credentials is a mistake. */
      if (self->nat->turn_server)
        _trv_ice_transport_warn (self, g_strdup (_("nat.turn-server is set but nat.turn-username / "
                                                   "nat.turn-password are not: TURN is not used, so no "
                                                   "relayed candidates")));
    }

  self->prepare_task = g_steal_pointer (&task);
  self->prepare_start_us = g_get_monotonic_time ();
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_GATHERING);

  self->stun_port = self->turn_port = TRV_ICE_DEFAULT_STUN_PORT;
  if (_trv_ice_mode_uses_stun (self->mode))
    self->stun_host = configured_server (self, self->nat->stun_server, "nat.stun-server",
                                         &self->stun_port);
  if (self->turn_usable)
    self->turn_host = configured_server (self, self->nat->turn_server, "nat.turn-server",
                                         &self->turn_port);

  TrvServerNeeds needs = 0;
  if (_trv_ice_mode_uses_stun (self->mode) && self->nat->stun_server == NULL)
    needs |= TRV_SERVER_NEED_STUN;
  if (self->turn_usable && self->nat->turn_server == NULL)
    needs |= self->turn_transport == TRV_TURN_TRANSPORT_TLS   ? TRV_SERVER_NEED_TURN_TLS
             : self->turn_transport == TRV_TURN_TRANSPORT_TCP ? TRV_SERVER_NEED_TURN_TCP
                                                              : TRV_SERVER_NEED_TURN_UDP;
  if (needs != 0)
    trv_server_discovery_lookup_async (self->domain, needs, cancellable, on_discovered,
                                       g_object_ref (self));
  else
    resolve_known_servers (self);
}

gboolean
_trv_ice_transport_prepare_finish (TrvMediaTransport *transport, GAsyncResult *result,
                                   GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- restart ---------------------------------------------------------------------------- */

void
_trv_ice_transport_switch_stream (TrvIceTransport *self)
{
  for (guint i = 0; i < self->elements->len; i++)
    {
      g_autoptr(GstElement) e = g_weak_ref_get (self->elements->pdata[i]);
      if (e == NULL)
        continue;
      if (GST_IS_BASE_SRC (e) && GST_STATE (e) > GST_STATE_READY)
        {
          /* nicesrc attaches to its stream on READY->PAUSED: cycle it through READY. */
          gst_element_set_locked_state (e, TRUE);
          gst_element_set_state (e, GST_STATE_READY);
          g_object_set (e, "stream", self->stream_id, NULL);
          gst_element_set_locked_state (e, FALSE);
          gst_element_sync_state_with_parent (e);
        }
      else
        g_object_set (e, "stream", self->stream_id, NULL);   /* read when it starts */
    }
  /* Sending stays on the old stream until the new one has a pair: a restart must not
   * silence a path that still works. Its sockets are still read, so that libnice goes
   * on answering and checking consent there. */
  if (self->retired_stream_id)
    nice_agent_remove_stream (self->agent, self->retired_stream_id);
  self->retired_stream_id = self->old_stream_id;
  _trv_ice_transport_keep_reading (self, self->retired_stream_id);
  self->old_stream_id = 0;
}

void
_trv_ice_transport_use_current_stream (TrvIceTransport *self)
{
  g_atomic_int_set (&self->send_stream_id, (gint) self->stream_id);   /* read per packet */
  if (self->retired_stream_id == 0)
    return;
  g_debug ("ICE %p: the restarted stream has a pair: stream %u retired", (gpointer) self,
           self->retired_stream_id);
  nice_agent_remove_stream (self->agent, self->retired_stream_id);
  self->retired_stream_id = 0;
}

/* A restart gathers a new stream (new sockets, credentials and TURN allocations:
 * after a network change the old addresses may be gone). The media keeps using the
 * old stream until the new one is ready; the next set_remote brings the peer's new
 * credentials and the checks start. */
void
trv_ice_transport_restart_async (TrvIceTransport *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_ICE_TRANSPORT (self));
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_ice_transport_restart_async);
  if (self->agent == NULL || self->prepare_task != NULL)
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                               _("ICE can only restart once gathering finished"));
      return;
    }
  g_clear_pointer (&self->remote_ufrag, g_free);
  g_clear_pointer (&self->fallback_address, g_free);
  g_clear_error (&self->error);
  self->remote_set = FALSE;
  self->ever_connected = FALSE;
  self->consent_lost = FALSE;
  self->rtcp_connected = FALSE;
  self->rtcp_failed = FALSE;
  self->consent_silent_us = 0;
  g_clear_pointer (&self->pair_foundations[0], g_free);
  g_clear_pointer (&self->pair_foundations[1], g_free);
  self->checks_start_us = 0;
  self->checks_ms = -1;
  self->prepare_start_us = g_get_monotonic_time ();
  self->old_stream_id = self->stream_id;
  self->prepare_task = g_steal_pointer (&task);
  g_debug ("ICE %p: restart: gathering a new stream", (gpointer) self);
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_GATHERING);
  _trv_ice_transport_gather_stream (self);
}

gboolean
trv_ice_transport_restart_finish (TrvIceTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
