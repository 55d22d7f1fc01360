/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-transport.c: a TrvMediaTransport over libnice (one stream, RTP + RTCP components). */
#include "config.h"

#include "trv-ice-transport-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-log.h"
#include "trv-main-context.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-transport-enums.h"
#include <glib/gi18n-lib.h>
#include <string.h>


G_DEFINE_FINAL_TYPE (TrvIceTransport, trv_ice_transport, TRV_TYPE_MEDIA_TRANSPORT)

enum { SIGNAL_FAILED, SIGNAL_STATE_CHANGED, SIGNAL_CONSENT_DOUBTFUL, N_SIGNALS };
static guint signals[N_SIGNALS];

void
_trv_ice_transport_set_state (TrvIceTransport *self, TrvIceState state)
{
  if (self->state == state)
    return;
  g_debug ("ICE %p: %s -> %s", (gpointer) self, trv_enum_to_nick (TRV_TYPE_ICE_STATE, self->state),
           trv_enum_to_nick (TRV_TYPE_ICE_STATE, state));
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

void
_trv_ice_transport_warn (TrvIceTransport *self, gchar *message)
{
  g_info ("ICE: %s", message);
  trv_media_transport_add_warning (TRV_MEDIA_TRANSPORT (self), message);
}

gboolean
_trv_ice_mode_uses_stun (TrvNatMode mode)
{
  return mode == TRV_NAT_MODE_STUN || mode == TRV_NAT_MODE_ICE;
}

gboolean
_trv_ice_mode_uses_turn (TrvNatMode mode)
{
  return mode == TRV_NAT_MODE_TURN || mode == TRV_NAT_MODE_ICE;
}

/* Takes the error; the call hears of it through the "failed" signal. */
void
_trv_ice_transport_fail (TrvIceTransport *self, GError *error)
{
  if (self->state == TRV_ICE_STATE_FAILED || self->state == TRV_ICE_STATE_CLOSED)
    {
      g_error_free (error);
      return;
    }
  g_debug ("ICE %p: failed: %s", (gpointer) self, error->message);
  g_clear_error (&self->error);
  self->error = error;
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_FAILED);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, self->error);
}

void
_trv_ice_transport_doubt_consent (TrvIceTransport *self)
{
  g_signal_emit (self, signals[SIGNAL_CONSENT_DOUBTFUL], 0);
}

GSList *
_trv_ice_transport_local_candidates (TrvIceTransport *self, guint component)
{
  return nice_agent_get_local_candidates (self->agent, self->stream_id, component);
}

/* --- describe: what goes into our SDP ------------------------------------------------ */

/* The default candidate for m=/c= (what a peer without ICE sends to): relayed, then
 * server-reflexive, then host (RFC 8445 5.1.4); among host candidates the one on the
 * interface that routes toward the peer. Of the family SIP uses (or a non-ICE peer's
 * media address has), the other family only when there is none of that one. */
static NiceCandidate *
default_candidate (TrvIceTransport *self, guint stream, guint component)
{
  GSList *cands = nice_agent_get_local_candidates (self->agent, stream, component);
  NiceCandidate *best = NULL;
  int best_rank = -1;
  guint version = _trv_ice_transport_preferred_ip_version (self);
  for (GSList *l = cands; l; l = l->next)
    {
      NiceCandidate *c = l->data;
      if (!_trv_ice_transport_offers (self, c))
        continue;
      int rank = nice_address_ip_version (&c->addr) == (int) version ? 100 : 0;
      switch (c->type)
        {
        case NICE_CANDIDATE_TYPE_RELAYED:          rank += 40; break;
        case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: rank += 30; break;
        case NICE_CANDIDATE_TYPE_HOST:             rank += 20; break;
        default:                                   continue;
        }
      gchar base[NICE_ADDRESS_STRING_LEN];
      nice_address_to_string (&c->base_addr, base);
      if (self->local_address && g_str_equal (base, self->local_address))
        rank += 5;
      if (rank > best_rank)
        {
          best_rank = rank;
          best = c;
        }
    }
  best = best ? nice_candidate_copy (best) : NULL;
  g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);
  return best;
}

static void
trv_ice_transport_describe (TrvMediaTransport *transport, TrvMediaEndpoint *local)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (transport);
  if (self->agent == NULL)
    return;

  /* While a restart gathers, the media (and any answer we give) still use the old
   * stream. */
  guint stream = self->old_stream_id ? self->old_stream_id : self->stream_id;
  g_autoptr(NiceCandidate) rtp = default_candidate (self, stream, TRV_COMPONENT_RTP);
  g_autoptr(NiceCandidate) rtcp = default_candidate (self, stream, TRV_COMPONENT_RTCP);
  if (rtp)
    {
      gchar ip[NICE_ADDRESS_STRING_LEN];
      nice_address_to_string (&rtp->addr, ip);
      g_free (local->address);
      local->address = g_strdup (ip);
      local->port = nice_address_get_port (&rtp->addr);
    }
  local->rtcp_port = rtcp ? nice_address_get_port (&rtcp->addr) : 0;
  local->rtcp_mux = TRUE;

  g_free (local->ice_ufrag);
  g_free (local->ice_pwd);
  local->ice_ufrag = NULL;
  local->ice_pwd = NULL;
  nice_agent_get_local_credentials (self->agent, stream, &local->ice_ufrag,
                                    &local->ice_pwd);
  if (local->ice_candidates)
    g_ptr_array_unref (local->ice_candidates);
  local->ice_candidates = g_ptr_array_new_with_free_func (g_free);
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    {
      GSList *cands = nice_agent_get_local_candidates (self->agent, stream, c);
      for (GSList *l = cands; l; l = l->next)
        {
          if (!_trv_ice_transport_offers (self, l->data))
            continue;
          g_autofree gchar *line = nice_agent_generate_local_candidate_sdp (self->agent,
                                                                            l->data);
          if (line == NULL)
            continue;
          const char *value = g_str_has_prefix (line, "a=") ? line + 2 : line;
          g_ptr_array_add (local->ice_candidates, g_strstrip (g_strdup (value)));
        }
      g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);
    }
  local->ice_lite = FALSE;
}

/* --- set_remote: the peer's side -------------------------------------------------------- */

/* Whether libnice 0.1.21 can read this a=candidate value without tripping over it: it
 * reads the fields without counting them, so a line shorter than the RFC 8839 minimum
 * (foundation, component, transport, priority, address, port, "typ", type) or a TCP
 * candidate without its "tcptype" pair reaches g_ascii_strcasecmp (NULL). */
static gboolean
candidate_readable (const char *value)
{
  if (g_str_has_prefix (value, "a="))
    value += 2;
  if (g_str_has_prefix (value, "candidate:"))
    value += strlen ("candidate:");
  g_auto(GStrv) split = g_strsplit_set (value, " \t", -1);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  for (guint i = 0; split[i]; i++)
    if (split[i][0] != '\0')
      g_ptr_array_add (fields, split[i]);
  if (fields->len < 8 || g_strcmp0 (g_ptr_array_index (fields, 6), "typ") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (g_ptr_array_index (fields, 2), "TCP") != 0)
    return TRUE;
  /* Extensions come in name/value pairs after the type, as libnice reads them. */
  for (guint i = 8; i + 1 < fields->len; i += 2)
    if (g_strcmp0 (g_ptr_array_index (fields, i), "tcptype") == 0)
      return TRUE;
  return FALSE;
}

/* libnice's SDP helpers split on '\n' and want the "a=" prefix; SIP bodies use CRLF. */
static NiceCandidate *
parse_candidate (TrvIceTransport *self, const char *value)
{
  g_autofree gchar *clean = g_strdup (value);
  g_strstrip (clean);
  if (!candidate_readable (clean))
    return NULL;
  g_autofree gchar *line = g_str_has_prefix (clean, "a=") ? g_strdup (clean)
                                                          : g_strconcat ("a=", clean, NULL);
  return nice_agent_parse_remote_candidate_sdp (self->agent, self->stream_id, line);
}

static gchar *
strip_crlf (const char *s)
{
  gchar *copy = g_strdup (s);
  return g_strstrip (copy);
}

/* A peer without ICE: send to its m=/c= address and select that pair at once (the
 * peer answers no checks). Our side of the pair is the default candidate we put in
 * m=/c=, so the peer's symmetric RTP comes back to the address it sends to. */
static gboolean
set_remote_plain (TrvIceTransport *self, const TrvMediaEndpoint *remote, GError **error)
{
  g_autofree gchar *target = trv_net_join_host_port (remote->address, remote->port);
  if (g_strcmp0 (target, self->fallback_address) == 0)
    return TRUE;   /* re-INVITE (hold/resume) to the same place */

  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (remote->address);
  self->plain_ip_version = inet && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                           ? 6 : 4;
  guint n = self->rtcp_mux ? 1 : 2;
  for (guint c = TRV_COMPONENT_RTP; c <= n; c++)
    {
      guint16 port = c == TRV_COMPONENT_RTP ? remote->port
                     : (remote->rtcp_port ? remote->rtcp_port : remote->port + 1);
      g_autoptr(NiceCandidate) local = default_candidate (self, self->stream_id, c);
      if (local == NULL)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                       _("no local candidate for component %u"), c);
          return FALSE;
        }
      if (nice_address_ip_version (&local->addr) != (int) self->plain_ip_version)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_NO_PATH,
                       /* Translators: the second and third %s are "IPv4" or "IPv6". */
                       _("the other side's media address %s is %s, and this device has no "
                         "%s address to send from"), remote->address,
                       self->plain_ip_version == 6 ? "IPv6" : "IPv4",
                       self->plain_ip_version == 6 ? "IPv6" : "IPv4");
          return FALSE;
        }
      NiceCandidate *rc = nice_candidate_new (NICE_CANDIDATE_TYPE_HOST);
      rc->transport = NICE_CANDIDATE_TRANSPORT_UDP;
      rc->stream_id = self->stream_id;
      rc->component_id = c;
      rc->priority = 1;
      g_strlcpy (rc->foundation, "plain", NICE_CANDIDATE_MAX_FOUNDATION);
      if (!nice_address_set_from_string (&rc->addr, remote->address))
        {
          nice_candidate_free (rc);
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       _("the peer's media address '%s' is not an IP address"), remote->address);
          return FALSE;
        }
      nice_address_set_port (&rc->addr, port);
      rc->base_addr = rc->addr;
      /* set_selected_remote_candidate() puts the component in libnice's pre-ICE
       * fallback mode, which accepts media from any source (a peer behind NAT sends
       * from its public address, not its SDP one); set_selected_pair() then sends
       * from the candidate we advertised (relay, srflx base) rather than any host. */
      gboolean ok = nice_agent_set_selected_remote_candidate (self->agent, self->stream_id, c,
                                                              rc);
      nice_candidate_free (rc);
      if (!ok || !nice_agent_set_selected_pair (self->agent, self->stream_id, c,
                                                local->foundation, "plain"))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                       _("cannot send media to %s (no usable local candidate)"), target);
          return FALSE;
        }
    }
  g_free (self->fallback_address);
  self->fallback_address = g_steal_pointer (&target);
  return TRUE;
}

static void
drop_deferred (TrvIceTransport *self)
{
  g_clear_handle_id (&self->deferred_source, g_source_remove);
  for (guint c = 0; c < G_N_ELEMENTS (self->deferred); c++)
    g_slist_free_full (g_steal_pointer (&self->deferred[c]), (GDestroyNotify) nice_candidate_free);
}

static gboolean
on_deferred_hosts (gpointer data)
{
  TrvIceTransport *self = data;
  self->deferred_source = 0;
  if (self->agent && !self->ever_connected)
    for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
      if (self->deferred[c])
        nice_agent_set_remote_candidates (self->agent, self->stream_id, c, self->deferred[c]);
  drop_deferred (self);
  return G_SOURCE_REMOVE;
}

static void
drop_lagged (TrvIceTransport *self)
{
  g_clear_handle_id (&self->lagged_source, g_source_remove);
  for (guint c = 0; c < G_N_ELEMENTS (self->lagged); c++)
    g_slist_free_full (g_steal_pointer (&self->lagged[c]), (GDestroyNotify) nice_candidate_free);
}

static gboolean
on_lagged_relays (gpointer data)
{
  TrvIceTransport *self = data;
  self->lagged_source = 0;
  g_debug ("ICE %p: checking the peer's relayed candidates", (gpointer) self);
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    if (self->agent && self->lagged[c])
      nice_agent_set_remote_candidates (self->agent, self->stream_id, c, self->lagged[c]);
  drop_lagged (self);
  return G_SOURCE_REMOVE;
}

static gboolean
has_candidate (GSList *cands, NiceCandidateType type, const NiceAddress *addr)
{
  for (GSList *l = cands; l; l = l->next)
    {
      NiceCandidate *c = l->data;
      if (c->type == type && (addr == NULL || nice_address_equal_no_port (&c->addr, addr)))
        return TRUE;
    }
  return FALSE;
}

/* Behind a NAT that maps per destination (symmetric), our check from the host base to the
 * far peer's relay reaches that relay from a new port of our public address; the relay lets
 * it in only once the peer's own check towards our srflx address installed a permission for
 * that address (a CreatePermission round trip after the peer's checks start). Sent at once,
 * it loses that race, and libnice 0.1.21 retransmits a check only after 500 ms
 * (STUN_TIMER_DEFAULT_TIMEOUT); its regular nomination waits for a second valid pair, so
 * media waited those 500 ms. The controlling agent therefore checks the peer's relayed
 * candidates TRV_ICE_RELAY_LAG_MS after the others; direct pairs are not held back. */
static void
lag_far_relays (TrvIceTransport *self, GSList **lists)
{
  if (!self->controlling)
    return;
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    for (GSList *l = lists[c], *next; l; l = next)
      {
        next = l->next;
        if (((NiceCandidate *) l->data)->type != NICE_CANDIDATE_TYPE_RELAYED)
          continue;
        self->lagged[c] = g_slist_append (self->lagged[c], l->data);
        lists[c] = g_slist_delete_link (lists[c], l);
      }
  if (lists[TRV_COMPONENT_RTP] == NULL)
    {
      /* Nothing else to check: no reason to wait. */
      for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
        lists[c] = g_slist_concat (lists[c], g_steal_pointer (&self->lagged[c]));
      return;
    }
  if (self->lagged[TRV_COMPONENT_RTP] || self->lagged[TRV_COMPONENT_RTCP])
    {
      g_debug ("ICE %p: the peer is behind another NAT: its relayed candidates in %u ms",
               (gpointer) self, TRV_ICE_RELAY_LAG_MS);
      self->lagged_source = g_timeout_add (TRV_ICE_RELAY_LAG_MS, on_lagged_relays, self);
    }
}

/* A peer whose public (server-reflexive) address differs from ours is behind another NAT:
 * its private host addresses are almost never reachable, and libnice's regular nomination
 * waits for every pending pair to time out (seconds) before it nominates the pair that
 * works. Those host candidates are left out when a TURN relay (ours or the peer's) keeps a
 * path, else checked only if nothing works within TRV_ICE_DEFER_HOSTS_MS (adding them
 * later restarts that wait). Same public address (same LAN) or no srflx: all are checked. */
static void
defer_far_hosts (TrvIceTransport *self, GSList **lists)
{
  const NiceCandidateType srflx = NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE;
  GSList *ours = _trv_ice_transport_local_candidates (self, TRV_COMPONENT_RTP);
  GSList *theirs = lists[TRV_COMPONENT_RTP];
  gboolean far = has_candidate (ours, srflx, NULL) && has_candidate (theirs, srflx, NULL);
  for (GSList *l = theirs; far && l; l = l->next)
    {
      NiceCandidate *c = l->data;
      if (c->type == srflx && has_candidate (ours, srflx, &c->addr))
        far = FALSE;
    }
  gboolean relay = has_candidate (ours, NICE_CANDIDATE_TYPE_RELAYED, NULL) ||
                   has_candidate (theirs, NICE_CANDIDATE_TYPE_RELAYED, NULL);
  g_slist_free_full (ours, (GDestroyNotify) nice_candidate_free);
  if (!far)
    return;
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    for (GSList *l = lists[c], *next; l; l = next)
      {
        next = l->next;
        if (!_trv_ice_transport_defers_host (l->data))
          continue;
        self->deferred[c] = g_slist_append (self->deferred[c], l->data);
        lists[c] = g_slist_delete_link (lists[c], l);
      }
  if (relay)
    drop_deferred (self);
  else if (self->deferred[TRV_COMPONENT_RTP] || self->deferred[TRV_COMPONENT_RTCP])
    self->deferred_source = g_timeout_add (TRV_ICE_DEFER_HOSTS_MS, on_deferred_hosts, self);
  lag_far_relays (self, lists);
}

static gboolean
trv_ice_transport_set_remote (TrvMediaTransport *transport, const TrvMediaEndpoint *remote,
                              gboolean rtcp_mux, GError **error)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (transport);
  if (self->agent && self->prepare_task && self->old_stream_id)
    return TRUE;   /* our restart is gathering: its re-INVITE brings the peer's new side */
  if (self->agent == NULL || self->prepare_task != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("the ICE transport is not ready (state %s)"),
                   trv_enum_to_nick (TRV_TYPE_ICE_STATE, self->state));
      return FALSE;
    }
  if (self->checks_start_us == 0)
    self->checks_start_us = g_get_monotonic_time ();
  self->rtcp_mux = rtcp_mux;

  gboolean ice = remote->ice_ufrag && remote->ice_pwd && remote->ice_candidates &&
                 remote->ice_candidates->len > 0;
  if (!ice)
    {
      if (self->mode == TRV_NAT_MODE_TURN && !self->remote_set)
        _trv_ice_transport_warn (self, g_strdup (_("the peer does not do ICE: sending through the TURN "
                                                   "relay to its SDP address")));
      self->remote_set = TRUE;
      self->remote_is_ice = FALSE;
      return set_remote_plain (self, remote, error);
    }

  g_autofree gchar *ufrag = strip_crlf (remote->ice_ufrag);
  g_autofree gchar *pwd = strip_crlf (remote->ice_pwd);
  if (self->remote_set && self->remote_is_ice && g_strcmp0 (ufrag, self->remote_ufrag) == 0)
    return TRUE;   /* same ICE session: a re-INVITE for hold/resume */

  if (self->remote_set && self->remote_is_ice)
    {
      /* The peer restarted ICE. Our answer already carried our credentials, so
       * keep them across the restart (libnice would generate new ones). */
      g_autofree gchar *our_ufrag = NULL, *our_pwd = NULL;
      nice_agent_get_local_credentials (self->agent, self->stream_id, &our_ufrag, &our_pwd);
      g_debug ("ICE %p: the peer restarted ICE", (gpointer) self);
      nice_agent_restart_stream (self->agent, self->stream_id);
      nice_agent_set_local_credentials (self->agent, self->stream_id, our_ufrag, our_pwd);
      self->checks_start_us = g_get_monotonic_time ();
      self->checks_ms = -1;
      self->ever_connected = FALSE;
      self->consent_lost = FALSE;
      self->rtcp_connected = FALSE;
      self->rtcp_failed = FALSE;
      self->consent_silent_us = 0;
      g_clear_pointer (&self->pair_foundations[0], g_free);
      g_clear_pointer (&self->pair_foundations[1], g_free);
      g_clear_error (&self->error);
      if (self->state == TRV_ICE_STATE_FAILED)
        _trv_ice_transport_set_state (self, TRV_ICE_STATE_GATHERED);
    }

  if (remote->ice_lite && !self->controlling)
    {
      /* A lite peer never controls (RFC 8445 6.1.1). */
      self->controlling = TRUE;
      g_object_set (self->agent, "controlling-mode", TRUE, NULL);
    }

  GSList *lists[3] = { NULL, NULL, NULL };
  guint unreadable = 0;
  for (guint i = 0; i < remote->ice_candidates->len; i++)
    {
      NiceCandidate *c = parse_candidate (self, g_ptr_array_index (remote->ice_candidates, i));
      if (c == NULL)
        {
          unreadable++;
          continue;
        }
      if (c->component_id == TRV_COMPONENT_RTP ||
          (c->component_id == TRV_COMPONENT_RTCP && !rtcp_mux))
        lists[c->component_id] = g_slist_append (lists[c->component_id], c);
      else
        nice_candidate_free (c);
    }
  if (lists[TRV_COMPONENT_RTP] == NULL)
    {
      g_slist_free_full (lists[TRV_COMPONENT_RTCP], (GDestroyNotify) nice_candidate_free);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the peer's SDP has no usable ICE candidate for RTP (%u of %u unreadable)"),
                   unreadable, remote->ice_candidates->len);
      return FALSE;
    }
  if (!_trv_ice_transport_check_families (self, lists, error))
    return FALSE;
  if (unreadable > 0)
    _trv_ice_transport_warn (self, g_strdup_printf (_("%u of the peer's %u ICE candidates were unreadable "
                                                      "and skipped"), unreadable,
                                                    remote->ice_candidates->len));

  nice_agent_set_remote_credentials (self->agent, self->stream_id, ufrag, pwd);
  g_free (self->remote_ufrag);
  self->remote_ufrag = g_steal_pointer (&ufrag);
  self->remote_set = TRUE;
  self->remote_is_ice = TRUE;
  g_clear_pointer (&self->fallback_address, g_free);
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_CHECKING);
  drop_deferred (self);
  drop_lagged (self);
  defer_far_hosts (self, lists);

  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    if (lists[c])
      {
        if (nice_agent_set_remote_candidates (self->agent, self->stream_id, c, lists[c]) < 0)
          _trv_ice_transport_warn (self, g_strdup_printf (_("libnice refused the peer's candidates for "
                                                            "component %u"), c));
        g_slist_free_full (lists[c], (GDestroyNotify) nice_candidate_free);
      }
  return TRUE;
}

/* --- elements ------------------------------------------------------------------------- */

static GstElement *
make_element (TrvIceTransport *self, const char *factory, guint component)
{
  if (self->agent == NULL)
    return NULL;
  GstElement *e = gst_element_factory_make (factory, NULL);
  if (e == NULL)
    return NULL;   /* gstreamer1.0-nice missing: the media session reports it */
  g_object_set (e, "agent", self->agent, "stream", self->stream_id,
                "component", component, NULL);
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, e);
  g_ptr_array_add (self->elements, ref);
  return e;
}

static GstElement *
trv_ice_transport_create_src (TrvMediaTransport *transport, guint component)
{
  return make_element (TRV_ICE_TRANSPORT (transport), "nicesrc", component);
}

static GstElement *
trv_ice_transport_create_sink (TrvMediaTransport *transport, guint component)
{
  return _trv_ice_transport_make_sender (TRV_ICE_TRANSPORT (transport), component);
}

static gint64
trv_ice_transport_get_rtp_sent (TrvMediaTransport *transport)
{
  return g_atomic_int_get (&TRV_ICE_TRANSPORT (transport)->rtp_sent);
}

/* --- close ------------------------------------------------------------------------------ */


static void
trv_ice_transport_close (TrvMediaTransport *transport)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (transport);
  g_clear_handle_id (&self->gather_timeout, g_source_remove);
  drop_deferred (self);
  drop_lagged (self);
  if (self->prepare_task)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->prepare_task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("the ICE transport was closed while gathering"));
    }
  if (self->agent)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
        g_clear_signal_handler (&self->handlers[i], self->agent);
      /* Keep reading (the pipeline's nicesrc is gone): the TURN server's answers to the
       * releasing Refresh requests must be received for the close to complete. */
      _trv_ice_transport_attach_receivers (self);
      _trv_ice_release_agent (g_steal_pointer (&self->agent));
    }
  if (self->state != TRV_ICE_STATE_CLOSED)
    self->state_at_close = self->state;
  _trv_ice_transport_set_state (self, TRV_ICE_STATE_CLOSED);
}

/* --- accessors -------------------------------------------------------------------------- */

void
trv_ice_transport_set_controlling (TrvIceTransport *self, gboolean controlling)
{
  g_return_if_fail (TRV_IS_ICE_TRANSPORT (self));
  self->controlling = controlling;
  if (self->agent)
    g_object_set (self->agent, "controlling-mode", controlling, NULL);
}

TrvNatMode   trv_ice_transport_get_mode (TrvIceTransport *self) { return self->mode; }
TrvIceState  trv_ice_transport_get_state (TrvIceTransport *self) { return self->state; }

TrvIceState
trv_ice_transport_get_final_state (TrvIceTransport *self)
{
  return self->state == TRV_ICE_STATE_CLOSED ? self->state_at_close : self->state;
}
gint64       trv_ice_transport_get_gathering_ms (TrvIceTransport *self) { return self->gathering_ms; }
gint64       trv_ice_transport_get_checks_ms (TrvIceTransport *self) { return self->checks_ms; }
GPtrArray   *trv_ice_transport_get_warnings (TrvIceTransport *self)
{
  return trv_media_transport_get_warnings (TRV_MEDIA_TRANSPORT (self));
}
const GError *trv_ice_transport_get_error (TrvIceTransport *self) { return self->error; }
const TrvProxy *trv_ice_transport_get_proxy (TrvIceTransport *self) { return self->proxy; }
gboolean     trv_ice_transport_get_consent_lost (TrvIceTransport *self) { return self->consent_lost; }

static gboolean
has_relay (GSList *candidates)
{
  gboolean found = FALSE;
  for (GSList *l = candidates; l && !found; l = l->next)
    found = ((NiceCandidate *) l->data)->type == NICE_CANDIDATE_TYPE_RELAYED;
  g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  return found;
}

static TrvSilenceCause
trv_ice_transport_get_silence_cause (TrvMediaTransport *t)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (t);
  /* Connected: a pair works, so the silence has another cause. */
  if (self->state == TRV_ICE_STATE_CONNECTED)
    return TRV_SILENCE_CAUSE_UNKNOWN;
  /* Without a relay on either side only direct and reflexive pairs exist; checks that
   * found none of them working by now will not (symmetric NATs, UDP blocked). */
  if (self->agent && self->remote_set && self->remote_is_ice &&
      !has_relay (nice_agent_get_local_candidates (self->agent, self->stream_id,
                                                   TRV_COMPONENT_RTP)) &&
      !has_relay (nice_agent_get_remote_candidates (self->agent, self->stream_id,
                                                    TRV_COMPONENT_RTP)))
    return TRV_SILENCE_CAUSE_NO_RELAY;
  return TRV_SILENCE_CAUSE_NO_PATH;
}

void
trv_ice_transport_revoke_consent (TrvIceTransport *self)
{
  g_return_if_fail (TRV_IS_ICE_TRANSPORT (self));
  if (self->agent == NULL)
    return;
  for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
    nice_agent_consent_lost (self->agent, self->stream_id, c);
}

/* --- construction ------------------------------------------------------------------------ */

TrvMediaTransport *
trv_ice_transport_new (TrvNatMode mode, const TrvNatConfig *nat, const char *local_address,
                       const char *domain)
{
  /* The desktop initializes GStreamer on a thread (src/ui/main.c): wait for it. */
  gst_init (NULL, NULL);
  TrvIceTransport *self = g_object_new (TRV_TYPE_ICE_TRANSPORT, NULL);
  self->mode = mode;
  self->nat = nat ? trv_nat_config_copy (nat) : trv_nat_config_new ();
  trv_log_add_secret (self->nat->turn_password);
  self->turn_transport = self->nat->turn_transport;
  self->local_address = g_strdup (local_address);
  self->domain = g_strdup (domain);
  return TRV_MEDIA_TRANSPORT (self);
}

static void
weak_ref_free (gpointer ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
trv_ice_transport_dispose (GObject *object)
{
  trv_ice_transport_close (TRV_MEDIA_TRANSPORT (object));
  G_OBJECT_CLASS (trv_ice_transport_parent_class)->dispose (object);
}

static void
trv_ice_transport_finalize (GObject *object)
{
  TrvIceTransport *self = TRV_ICE_TRANSPORT (object);
  g_clear_pointer (&self->nat, trv_nat_config_free);
  g_free (self->local_address);
  g_free (self->domain);
  g_free (self->stun_host);
  g_free (self->turn_host);
  g_free (self->stun_name);
  g_free (self->stun_ip);
  g_free (self->turn_name);
  g_free (self->turn_ip);
  g_clear_pointer (&self->proxy, trv_proxy_free);
  g_free (self->remote_ufrag);
  g_free (self->fallback_address);
  g_free (self->pair_foundations[0]);
  g_free (self->pair_foundations[1]);
  g_ptr_array_unref (self->elements);
  g_clear_error (&self->error);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (trv_ice_transport_parent_class)->finalize (object);
}

static void
trv_ice_transport_class_init (TrvIceTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TrvMediaTransportClass *transport_class = TRV_MEDIA_TRANSPORT_CLASS (klass);
  object_class->dispose = trv_ice_transport_dispose;
  object_class->finalize = trv_ice_transport_finalize;
  transport_class->prepare_async = _trv_ice_transport_prepare_async;
  transport_class->prepare_finish = _trv_ice_transport_prepare_finish;
  transport_class->describe = trv_ice_transport_describe;
  transport_class->set_remote = trv_ice_transport_set_remote;
  transport_class->create_src = trv_ice_transport_create_src;
  transport_class->create_sink = trv_ice_transport_create_sink;
  transport_class->close = trv_ice_transport_close;
  transport_class->get_silence_cause = trv_ice_transport_get_silence_cause;
  transport_class->get_rtp_sent = trv_ice_transport_get_rtp_sent;

  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_CONSENT_DOUBTFUL] =
    g_signal_new ("consent-doubtful", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
trv_ice_transport_init (TrvIceTransport *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->elements = g_ptr_array_new_with_free_func (weak_ref_free);
  self->gathering_ms = -1;
  self->checks_ms = -1;
}
