/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-transport-private.h: shared by the files of TrvIceTransport: trv-ice-transport.c
 * (candidates, remote side, object), trv-ice-events.c (libnice's events: states, selected
 * pair), trv-ice-gather.c (servers, discovery, gathering, restart), trv-ice-release.c. */
#pragma once

#include <nice/agent.h>
#include "trv-ice-transport.h"
#include "trv-proxy.h"

G_BEGIN_DECLS

/* libnice 0.1.21 has no autoptr for candidates. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NiceCandidate, nice_candidate_free)

#define TRV_ICE_DEFAULT_STUN_PORT  3478
#define TRV_ICE_DEFAULT_TURNS_PORT 5349
#define TRV_ICE_GATHER_TIMEOUT_MS  3000
#define TRV_ICE_DEFER_HOSTS_MS     1000
/* How long the controlling agent holds back a far peer's relayed candidates (see
 * lag_far_relays in trv-ice-transport.c): a few pacing ticks plus the peer's
 * CreatePermission round trip. */
#define TRV_ICE_RELAY_LAG_MS       30

struct _TrvIceTransport {
  TrvMediaTransport parent_instance;

  TrvNatMode mode;
  TrvNatConfig *nat;
  gchar *local_address;
  gchar *domain;
  gboolean controlling;
  GMainContext *context;

  NiceAgent *agent;
  guint stream_id;
  guint old_stream_id;       /* during a restart: the stream the media still uses */
  guint retired_stream_id;   /* after it: the old stream, sent on until the new has a pair */
  GPtrArray *elements;       /* GWeakRef*: nicesrcs handed out, to re-point */
  gulong handlers[3];
  gint send_stream_id;       /* atomic: the stream the senders use (trv-ice-send.c) */
  gint rtp_sent;             /* atomic: RTP packets libnice took */

  /* Servers as used (configured or discovered, then resolved). */
  gboolean turn_usable;      /* the mode wants TURN and credentials exist */
  gchar *stun_host;
  gchar *turn_host;
  gchar *stun_name;          /* "host:port" for messages */
  gchar *stun_ip;
  guint16 stun_port;
  gchar *turn_name;
  gchar *turn_ip;
  gboolean turn_disabled;    /* TURN failed once: later gatherings go without it */
  guint16 turn_port;
  TrvTurnTransport turn_transport;
  TrvProxy *proxy;           /* HTTP proxy for TURN over TCP/TLS; NULL: direct */

  TrvIceState state;
  TrvIceState state_at_close;  /* what the call achieved, for stats after hang-up */
  GError *error;

  GTask *prepare_task;
  guint gather_timeout;
  gint64 prepare_start_us;
  gint64 gathering_ms;
  gint64 checks_start_us;
  gint64 checks_ms;

  gboolean rtcp_mux;
  gboolean remote_set;
  gboolean remote_is_ice;
  gchar *remote_ufrag;
  gchar *fallback_address;   /* non-ICE peer: where we send ("ip:port") */
  guint plain_ip_version;    /* non-ICE peer: its media address' IP version (0: ICE peer) */
  gboolean ever_connected;
  gboolean consent_lost;      /* failed after a pair had worked */
  gchar *pair_foundations[2]; /* the RTP pair libnice selected: local, remote */
  gint64 pair_selected_us;    /* when it (or we, again) selected it */
  gint64 consent_silent_us;   /* since when the peer has not answered consent checks */
  gboolean rtcp_connected;    /* component 2 had a pair (its failure is no "no path") */
  gboolean rtcp_failed;       /* its checks failed: warned once RTP has a path */
  GSList *deferred[3];        /* peer's host candidates behind another NAT, checked late */
  guint deferred_source;
  GSList *lagged[3];          /* far peer's relayed candidates, checked a little later */
  guint lagged_source;
};
void      _trv_ice_transport_set_state        (TrvIceTransport *self, TrvIceState state);
/* Takes the message. */
void      _trv_ice_transport_warn             (TrvIceTransport *self, gchar *message);
/* Takes the error: state FAILED and the "failed" signal, unless already failed or closed. */
void      _trv_ice_transport_fail             (TrvIceTransport *self, GError *error);
/* "consent-doubtful" (trv-ice-events.c decides). */
void      _trv_ice_transport_doubt_consent    (TrvIceTransport *self);
gboolean  _trv_ice_mode_uses_stun   (TrvNatMode mode);
gboolean  _trv_ice_mode_uses_turn   (TrvNatMode mode);
GSList   *_trv_ice_transport_local_candidates (TrvIceTransport *self, guint component);
void      _trv_ice_transport_watch_agent      (TrvIceTransport *self);
/* trv-ice-family.c: candidates we put in the SDP (UDP; only relays in mode turn; no IPv6
 * link-local); the IP version the default candidate should have; whether the peer's
 * candidates (lists[component]) share a family with ours (else a plain
 * TRV_ERROR_UNREACHABLE, and the lists freed); whether a far
 * peer's host candidate is held back (private IPv4, not IPv6: RFC 8421). */
gboolean  _trv_ice_transport_offers           (TrvIceTransport *self, const NiceCandidate *c);
guint     _trv_ice_transport_preferred_ip_version (TrvIceTransport *self);
gboolean  _trv_ice_transport_check_families   (TrvIceTransport *self, GSList **lists,
                                               GError **error);
gboolean  _trv_ice_transport_defers_host      (const NiceCandidate *c);
void      _trv_ice_transport_attach_receivers (TrvIceTransport *self);
/* A receiver that drops media but lets libnice process STUN on that stream's sockets. */
void      _trv_ice_transport_keep_reading     (TrvIceTransport *self, guint stream_id);
/* The current stream has a pair: the senders use it and a retired stream goes. */
void      _trv_ice_transport_use_current_stream (TrvIceTransport *self);
void      _trv_ice_transport_gather_stream    (TrvIceTransport *self);
/* After a restart's gathering: the handed-out elements move to the new stream and the
 * old stream (and its TURN allocations) goes away. */
void      _trv_ice_transport_switch_stream    (TrvIceTransport *self);
void      _trv_ice_transport_finish_gathering (TrvIceTransport *self, gboolean timed_out);
/* trv-ice-send.c: a sink that sends through libnice and counts what it took. */
GstElement *_trv_ice_transport_make_sender    (TrvIceTransport *self, guint component);
/* TURN over TLS (trv-ice-turn-tls.c): the loopback relay for a new agent (or, over TCP,
 * the agent's own HTTP proxy settings), the server libnice is given, the relay's failure
 * (NULL: none; TLS not in use). */
void      _trv_ice_transport_start_turn_tls   (TrvIceTransport *self);
void      _trv_ice_transport_turn_relay_info  (TrvIceTransport *self, const char **ip,
                                               guint *port, NiceRelayType *type);
GError   *_trv_ice_transport_turn_tls_error   (TrvIceTransport *self);
/* Closes the agent (takes it): TURN allocations are given back, then it is freed. */
void      _trv_ice_release_agent    (NiceAgent *agent);

void      _trv_ice_transport_prepare_async  (TrvMediaTransport *transport, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean  _trv_ice_transport_prepare_finish (TrvMediaTransport *transport, GAsyncResult *result,
                                             GError **error);

G_END_DECLS
