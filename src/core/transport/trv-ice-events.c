/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-events.c: what libnice reports (component states, the selected pair, the end of
 * gathering), handed from its threads to the transport's main context, and what follows
 * from it: checking, connected, failed. Part of TrvIceTransport (trv-ice-transport.c). */
#include "config.h"

#include <nice/nice.h>   /* NICE_CHECK_VERSION */

#include "trv-ice-transport-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-main-context.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-transport-enums.h"
#include <glib/gi18n-lib.h>

static TrvPathType
path_type_of (NiceCandidateType type)
{
  switch (type)
    {
    case NICE_CANDIDATE_TYPE_HOST:             return TRV_PATH_HOST;
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return TRV_PATH_SRFLX;
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:   return TRV_PATH_PRFLX;
    case NICE_CANDIDATE_TYPE_RELAYED:          return TRV_PATH_RELAY;
    default:                                   return TRV_PATH_UNKNOWN;
    }
}

static gchar *
candidate_address (const NiceCandidate *c)
{
  gchar ip[NICE_ADDRESS_STRING_LEN];
  nice_address_to_string (&c->addr, ip);
  return trv_net_join_host_port (ip, nice_address_get_port (&c->addr));
}

/* --- events from libnice, possibly on nicesrc's streaming thread ------------------- */

typedef enum { EVENT_STATE, EVENT_PAIR, EVENT_GATHERED } EventKind;

typedef struct {
  TrvIceTransport *self;     /* owned reference */
  EventKind kind;
  guint stream_id;
  guint component;
  guint state;
  TrvPathType local_type, remote_type;
  gchar *local_address, *remote_address;
  gchar *local_foundation, *remote_foundation;
} Event;

static void
event_free (gpointer data)
{
  Event *ev = data;
  g_object_unref (ev->self);
  g_free (ev->local_address);
  g_free (ev->remote_address);
  g_free (ev->local_foundation);
  g_free (ev->remote_foundation);
  g_free (ev);
}

static gboolean dispatch_event (gpointer data);

/* Always through an idle source: the handlers may run on a streaming thread, and on
 * the main thread libnice may still be inside its own call. */
static void
post_event (TrvIceTransport *self, Event *ev)
{
  ev->self = g_object_ref (self);
  trv_main_context_defer (self->context, dispatch_event, ev, event_free);
}

static void
on_gathering_done (NiceAgent *agent, guint stream_id, TrvIceTransport *self)
{
  Event *ev = g_new0 (Event, 1);
  ev->stream_id = stream_id;
  ev->kind = EVENT_GATHERED;
  post_event (self, ev);
}

static void
on_component_state_changed (NiceAgent *agent, guint stream_id, guint component, guint state,
                            TrvIceTransport *self)
{
  Event *ev = g_new0 (Event, 1);
  ev->stream_id = stream_id;
  ev->kind = EVENT_STATE;
  ev->component = component;
  ev->state = state;
  post_event (self, ev);
}

static void
on_new_selected_pair (NiceAgent *agent, guint stream_id, guint component,
                      NiceCandidate *local, NiceCandidate *remote, TrvIceTransport *self)
{
  Event *ev = g_new0 (Event, 1);
  ev->stream_id = stream_id;
  ev->kind = EVENT_PAIR;
  ev->component = component;
  ev->local_type = path_type_of (local->type);
  ev->remote_type = path_type_of (remote->type);
  ev->local_address = candidate_address (local);
  ev->remote_address = candidate_address (remote);
  ev->local_foundation = g_strdup (local->foundation);
  ev->remote_foundation = g_strdup (remote->foundation);
  post_event (self, ev);
}

/* Reads (and drops) packets until nicesrc takes over: libnice only processes STUN
 * (gathering, checks) on sockets someone receives on. */
static void
discard_recv (NiceAgent *agent, guint stream_id, guint component, guint len, gchar *buf,
              gpointer data)
{
}

/* Signals and a receiver for both components: until nicesrc takes over, libnice only
 * processes STUN (gathering, checks) on sockets someone receives on. */
void
_trv_ice_transport_watch_agent (TrvIceTransport *self)
{
  self->handlers[0] = g_signal_connect (self->agent, "candidate-gathering-done",
                                        G_CALLBACK (on_gathering_done), self);
  self->handlers[1] = g_signal_connect (self->agent, "component-state-changed",
                                        G_CALLBACK (on_component_state_changed), self);
  self->handlers[2] = g_signal_connect (self->agent, "new-selected-pair-full",
                                        G_CALLBACK (on_new_selected_pair), self);
}

void
_trv_ice_transport_keep_reading (TrvIceTransport *self, guint stream_id)
{
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    nice_agent_attach_recv (self->agent, stream_id, c, self->context, discard_recv, NULL);
}

void
_trv_ice_transport_attach_receivers (TrvIceTransport *self)
{
  _trv_ice_transport_keep_reading (self, self->stream_id);
}

/* --- what the events mean -------------------------------------------------------- */

static const char *
failure_hint (TrvIceTransport *self)
{
  switch (self->mode)
    {
    case TRV_NAT_MODE_NONE:
      return _("; without STUN/TURN only direct paths are tried (try nat.mode = ice)");
    case TRV_NAT_MODE_STUN:
      return _("; STUN alone cannot cross a symmetric NAT or a UDP-blocking firewall "
               "(use nat.mode = ice or turn with a TURN server)");
    case TRV_NAT_MODE_ICE:
      return self->turn_ip ? "" : _("; no TURN server was available to relay the media");
    default:
      return "";
    }
}


/* libnice 0.1.21 declares consent lost 10 s after the last answer to its checks
 * (NICE_AGENT_TIMER_CONSENT_TIMEOUT) and then refuses to send; RFC 7675 5.1 allows 30 s.
 * Until then we select the pair again, which lets libnice send and check consent on it
 * afresh, and say that consent is in doubt so the call can restart ICE meanwhile. A
 * failure sooner than libnice's timeout after a selection is the peer's 403, an explicit
 * revocation (RFC 7675 5.2), which ends consent at once. Returns FALSE when lost. */
#if NICE_CHECK_VERSION (0, 1, 22)
/* Fixed upstream (the Flatpak's libnice): its failure already is RFC 7675's. */
#define LIBNICE_CONSENT_TIMEOUT_US (30 * G_USEC_PER_SEC)
#else
#define LIBNICE_CONSENT_TIMEOUT_US (10 * G_USEC_PER_SEC)
#endif
#define CONSENT_TIMEOUT_US         (30 * G_USEC_PER_SEC)
/* libnice starts its timeout at the first consent check after a selection: up to one
 * check interval (5 s +20 %) later. A failure later than that plus the timeout means
 * answers came in between, and the silence counts anew. */
#define CONSENT_CHECK_SLACK_US     (7 * G_USEC_PER_SEC)

static gboolean
keep_consent (TrvIceTransport *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 since_selected = now - self->pair_selected_us;
  if (self->pair_foundations[0] == NULL || since_selected < LIBNICE_CONSENT_TIMEOUT_US)
    {
      g_debug ("ICE %p: consent revoked by the peer", (gpointer) self);
      return FALSE;
    }
  if (self->consent_silent_us == 0 ||
      since_selected > LIBNICE_CONSENT_TIMEOUT_US + CONSENT_CHECK_SLACK_US)
    self->consent_silent_us = now - LIBNICE_CONSENT_TIMEOUT_US;
  gint64 silent = now - self->consent_silent_us;
  if (silent >= CONSENT_TIMEOUT_US - G_USEC_PER_SEC / 2)
    {
      g_debug ("ICE %p: consent lost: no answer for %" G_GINT64_FORMAT " s", (gpointer) self,
               silent / G_USEC_PER_SEC);
      return FALSE;
    }
  if (!nice_agent_set_selected_pair (self->agent, self->stream_id, TRV_COMPONENT_RTP,
                                     self->pair_foundations[0], self->pair_foundations[1]))
    return FALSE;
  self->pair_selected_us = now;
  g_debug ("ICE %p: consent in doubt after %" G_GINT64_FORMAT " s: pair selected again",
           (gpointer) self, silent / G_USEC_PER_SEC);
  _trv_ice_transport_doubt_consent (self);
  return TRUE;
}

/* Said once RTP has a path: before that, audio does not continue at all. */
static void
warn_rtcp_failed (TrvIceTransport *self)
{
  if (!self->rtcp_failed || self->state != TRV_ICE_STATE_CONNECTED)
    return;
  self->rtcp_failed = FALSE;
  _trv_ice_transport_warn (self, g_strdup (_("ICE found no path for RTCP (component 2); "
                                             "audio continues without RTCP reports")));
}

static void
handle_state (TrvIceTransport *self, guint component, NiceComponentState state)
{
  g_debug ("ICE %p: component %u %s", (gpointer) self, component,
           nice_component_state_to_string (state));
  if (component == TRV_COMPONENT_RTCP)
    {
      if (state == NICE_COMPONENT_STATE_CONNECTED || state == NICE_COMPONENT_STATE_READY)
        self->rtcp_connected = TRUE;
      /* Only checks that never found an RTCP pair mean "no path for RTCP"; RTCP losing
       * consent goes with the RTP path, and audio continues only where RTP has a path. */
      if (state == NICE_COMPONENT_STATE_FAILED && !self->rtcp_mux && self->remote_is_ice &&
          !self->rtcp_connected)
        {
          self->rtcp_failed = TRUE;
          warn_rtcp_failed (self);
        }
      return;
    }
  switch (state)
    {
    case NICE_COMPONENT_STATE_CONNECTING:
      if (self->remote_set)
        _trv_ice_transport_set_state (self, TRV_ICE_STATE_CHECKING);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      self->ever_connected = TRUE;
      _trv_ice_transport_set_state (self, TRV_ICE_STATE_CONNECTED);
      warn_rtcp_failed (self);
      break;
    case NICE_COMPONENT_STATE_FAILED:
      if (!self->remote_set || (self->ever_connected && keep_consent (self)))
        break;
      self->consent_lost = self->ever_connected;
      if (self->ever_connected)
        _trv_ice_transport_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                                                    _("no media path: ICE consent lost (the peer at %s no longer "
                                                      "answers or grants consent checks)"),
                                                    trv_media_transport_get_remote_address (TRV_MEDIA_TRANSPORT (self))
                                   ? trv_media_transport_get_remote_address (TRV_MEDIA_TRANSPORT (self))
                                   : "?"));
      else
        _trv_ice_transport_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                                                    _("no media path: ICE connectivity checks failed "
                                                      "(no candidate pair worked in %s mode%s)"),
                                                    trv_enum_to_nick (TRV_TYPE_NAT_MODE, self->mode), failure_hint (self)));
      break;
    default:
      break;
    }
}

static void
handle_pair (TrvIceTransport *self, Event *ev)
{
  if (ev->component != TRV_COMPONENT_RTP)
    return;
  if (self->checks_ms < 0 && self->checks_start_us > 0)
    self->checks_ms = (g_get_monotonic_time () - self->checks_start_us) / 1000;
  const char *protocol = ev->local_type == TRV_PATH_RELAY
                         ? trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, self->turn_transport) : "udp";
  g_debug ("ICE %p: selected pair %s %s -> %s %s over %s", (gpointer) self,
           trv_enum_to_nick (TRV_TYPE_PATH_TYPE, ev->local_type), ev->local_address,
           trv_enum_to_nick (TRV_TYPE_PATH_TYPE, ev->remote_type), ev->remote_address, protocol);
  trv_media_transport_set_path (TRV_MEDIA_TRANSPORT (self), ev->local_type, ev->local_address,
                                ev->remote_type, ev->remote_address, protocol);
  _trv_ice_transport_use_current_stream (self);
  /* Our own re-selection (keep_consent) comes back here too: it keeps its time. */
  if (g_strcmp0 (ev->local_foundation, self->pair_foundations[0]) != 0 ||
      g_strcmp0 (ev->remote_foundation, self->pair_foundations[1]) != 0)
    {
      g_free (self->pair_foundations[0]);
      g_free (self->pair_foundations[1]);
      self->pair_foundations[0] = g_steal_pointer (&ev->local_foundation);
      self->pair_foundations[1] = g_steal_pointer (&ev->remote_foundation);
      self->pair_selected_us = g_get_monotonic_time ();
      self->consent_silent_us = 0;
    }
  self->ever_connected = TRUE;
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_CONNECTED);
  warn_rtcp_failed (self);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *ev = data;
  TrvIceTransport *self = ev->self;
  if (self->agent == NULL || ev->stream_id != self->stream_id)
    return G_SOURCE_REMOVE;   /* closed meanwhile, or the stream an ICE restart replaced */
  switch (ev->kind)
    {
    case EVENT_GATHERED:
      if (self->prepare_task)
        _trv_ice_transport_finish_gathering (self, FALSE);
      break;
    case EVENT_STATE:
      handle_state (self, ev->component, ev->state);
      break;
    case EVENT_PAIR:
      handle_pair (self, ev);
      break;
    }
  return G_SOURCE_REMOVE;
}
