/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-calls.c: the agent's calls: dialling (targets, phone numbers, the media
 * address and NAT context of a new call) and incoming INVITEs. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-host-port.h"
#include "trv-tls-check.h"
#include "trv-offer-answer.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, TrvUserAgent *self)
{
  if (trv_call_get_state (call) != TRV_CALL_STATE_ENDED)
    return;
  GList *link = g_list_find (self->calls, call);
  if (link == NULL)
    return;
  self->calls = g_list_delete_link (self->calls, link);
  g_signal_handlers_disconnect_by_data (call, self);
  g_object_unref (call);
}

static void
add_call (TrvUserAgent *self, TrvCall *call)
{
  self->calls = g_list_append (self->calls, call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state_changed), self);
  _trv_user_agent_emit_call_added (self, call);
}

/* Local media address toward a host: the route's source address, or our SIP address.
 * Never looks a name up, which would block the main loop: `host` is an IP literal or the
 * registrar, whose address start() found; for any other name the SIP address (chosen
 * toward the registrar) or the default route's address stands in. */
static gchar *
media_address_for (TrvUserAgent *self, const char *host)
{
  const char *ip = NULL;
  if (host != NULL && trv_net_is_ip_literal (host))
    ip = host;
  else if (host != NULL && self->registrar_ip != NULL &&
           g_strcmp0 (host, self->registrar_host) == 0)
    ip = self->registrar_ip;
  if (ip != NULL)
    {
      gchar *local = trv_net_local_address_for (ip, NULL);
      if (local != NULL)
        return local;
    }
  if (self->local_address && g_strcmp0 (self->local_address, "0.0.0.0") != 0)
    return g_strdup (self->local_address);
  if (host != NULL && ip == NULL)
    {
      /* The documentation address is never contacted: connect() on UDP picks a route. */
      gchar *local = trv_net_local_address_for ("192.0.2.1", NULL);
      if (local != NULL)
        return local;
    }
  return g_strdup ("127.0.0.1");
}

/* Whether an offer's media address `offered` may be answered from a socket of its own
 * family instead of `ours`' (the one toward the signalling): only when the families differ
 * and both are loopback or neither is. A call signalled on this machine never sends its
 * media off it, whatever routes the machine has. */
static gboolean
other_family_usable (const char *offered, const char *ours)
{
  g_autoptr(GInetAddress) o = g_inet_address_new_from_string (offered);
  g_autoptr(GInetAddress) m = ours ? g_inet_address_new_from_string (ours) : NULL;
  if (o == NULL || m == NULL || g_inet_address_get_is_any (o) ||
      g_inet_address_get_family (o) == g_inet_address_get_family (m))
    return FALSE;
  return g_inet_address_get_is_loopback (o) == g_inet_address_get_is_loopback (m);
}

/* The concrete mode calls use: `auto` maps to self->auto_mode, which
 * trv_user_agent_resolve_auto_mode() sets from a NAT probe's report before start()
 * accepts auto; until then start() refuses it. */
static TrvNatMode
call_nat_mode (TrvUserAgent *self)
{
  if (self->nat == NULL)
    return TRV_NAT_MODE_NONE;
  return self->nat->mode == TRV_NAT_MODE_AUTO ? self->auto_mode : self->nat->mode;
}

static void
fill_call_context (TrvUserAgent *self, TrvCallContext *ctx, const char *media_address)
{
  ctx->account = self->account;
  ctx->media = self->media;
  ctx->options = self->options;
  ctx->media_address = media_address;
  ctx->advertised_address = self->nat ? self->nat->public_address : NULL;
  ctx->nat_mode = call_nat_mode (self);
  ctx->nat = self->nat;
  ctx->domain = self->srv_domain;
  ctx->srtp.policy = self->account ? self->account->srtp : TRV_SRTP_OFF;
  ctx->srtp.allow_insecure = self->account && self->account->srtp_over_insecure;
  ctx->srtp.secure_signalling = self->account &&
                                self->account->transport == TRV_SIP_TRANSPORT_TLS;
}

/* A phone number as people write it: digits, '+', '*', '#' and the visual separators of
 * RFC 3966 ('-', '.', '(', ')') or spaces, with at least one digit. */
static gboolean
looks_like_phone_number (const char *s, const char *end)
{
  gboolean digit = FALSE;
  for (const char *p = s; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (!strchr ("+*#-.() ", *p))
        return FALSE;
    }
  return digit;
}

/* The number without its visual separators ("+1 (555) 123-4567" -> "+15551234567"); anything
 * else is returned as it is. */
static gchar *
strip_visual_separators (const char *number, gsize len)
{
  if (!looks_like_phone_number (number, number + len))
    return g_strndup (number, len);
  GString *out = g_string_new (NULL);
  for (const char *p = number; p < number + len; p++)
    if (!strchr ("-.() ", *p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* "bob" -> sip:bob@domain; "tel:+1555" -> sip:+1555@domain;user=phone; a number loses its
 * visual separators ("tel:+1 (555) 123-4567" -> sip:+15551234567@domain;user=phone). The
 * parameters of a tel: link (";phone-context=...", ";ext=...") are dropped: the number goes
 * to the account's own provider, and sofia cannot parse them inside a SIP user part. */
gchar *
_trv_user_agent_normalize_target (TrvUserAgent *self, const char *target, GError **error)
{
  g_autofree gchar *t = g_strstrip (g_strdup (target));
  if (*t == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED, _("nothing to call: the address is empty"));
      return NULL;
    }
  /* URI schemes are case-insensitive (RFC 3986): "SIP:", "Tel:" as links may carry them. */
  for (const char *const *scheme = (const char *const[]) { "sip:", "sips:", "tel:", NULL };
       *scheme; scheme++)
    if (g_ascii_strncasecmp (t, *scheme, strlen (*scheme)) == 0)
      memcpy (t, *scheme, strlen (*scheme));
  if (g_str_has_prefix (t, "sip:") || g_str_has_prefix (t, "sips:"))
    {
      url_t url[1];
      g_autofree gchar *copy = g_strdup (t);
      if (url_d (url, copy) < 0 || url->url_host == NULL)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED, _("'%s' is not a valid SIP URI"), t);
          return NULL;
        }
      return g_steal_pointer (&t);
    }
  gboolean phone = g_str_has_prefix (t, "tel:");
  const char *written = phone ? t + 4 : t;
  if (strchr (written, '@') != NULL)
    return g_strconcat ("sip:", written, NULL);
  gsize len = phone ? strcspn (written, ";") : strlen (written);
  g_autofree gchar *number = strip_visual_separators (written, len);
  const char *user = number;
  for (const char *p = user; *p; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == '"')
      {
        g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED, _("'%s' is not a number or SIP address"), t);
        return NULL;
      }
  if (self->account == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("'%s' needs an account to call through; use a full address like sip:%s@host"),
                   t, user);
      return NULL;
    }
  return g_strdup_printf ("sip:%s@%s%s", user, self->account->domain, phone ? ";user=phone" : "");
}

/* The host and port a call's INVITE goes to first over TLS (the outbound proxy, else the
 * target), when its certificate has not been checked yet; FALSE when no check is due. */
static gboolean
tls_hop_to_check (TrvUserAgent *self, const char *uri, gchar **host_out, guint16 *port_out)
{
  if (self->tls_dir == NULL || self->account == NULL ||
      self->account->transport != TRV_SIP_TRANSPORT_TLS)
    return FALSE;
  const char *hop = self->proxy_uri ? self->proxy_uri : uri;
  if (self->tls_checked && g_strcmp0 (hop, self->registrar_uri) == 0)
    return FALSE;
  url_t url[1];
  g_autofree gchar *copy = g_strdup (hop);
  if (url_d (url, copy) < 0 || url->url_host == NULL)
    return FALSE;
  g_autofree gchar *host = g_strdup (url->url_host);
  if (host[0] == '[')
    {
      memmove (host, host + 1, strlen (host));
      host[strcspn (host, "]")] = '\0';
    }
  *port_out = url->url_port ? (guint16) atoi (url->url_port) : 5061;
  *host_out = g_steal_pointer (&host);
  return TRUE;
}

static void
on_call_tls_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvCall) call = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = trv_tls_check_finish (result, &error);
  if (trv_call_get_state (call) == TRV_CALL_STATE_ENDED)
    return;
  if (!ok && g_error_matches (error, TRV_ERROR, TRV_ERROR_TLS))
    {
      g_debug ("call to %s: the server certificate was refused: %s",
               trv_call_get_remote_uri (call), error->message);
      _trv_call_end (call, TRV_CALL_END_FAILED, g_steal_pointer (&error));
      return;
    }
  /* Verified, or not reachable at all: the INVITE itself reports the latter. */
  _trv_call_start_outgoing (call);
}

/* `local`: straight to the URI's host, without the account (see trv_user_agent_dial_local()). */
static TrvCall *
dial_uri (TrvUserAgent *self, const char *uri, gboolean local, GError **error)
{
  url_t url[1];
  g_autofree gchar *copy = g_strdup (uri);
  url_d (url, copy);
  /* Through a registrar/proxy the media route follows the signalling route. */
  const char *route_host = url->url_host;
  g_autofree gchar *via_host = NULL;
  if (!local && self->account && (self->account->proxy || self->account->do_register))
    {
      const char *hp = self->account->proxy ? self->account->proxy
                       : self->account->registrar ? self->account->registrar
                       : self->account->domain;
      guint16 port;
      trv_parse_host_port (g_str_has_prefix (hp, "sip:") ? hp + 4 : hp, 5060, "proxy",
                           &via_host, &port, NULL);
      if (via_host)
        route_host = via_host;
    }
  g_autofree gchar *media_address = media_address_for (self, route_host);

  const char *from = self->account && !local ? self->account->address : NULL;
  nua_handle_t *nh = nua_handle (self->nua, NULL, SIPTAG_TO_STR (uri),
                                 TAG_IF (from, SIPTAG_FROM_STR (from)), TAG_END ());
  if (nh == NULL)
    {
      /* sofia could not parse it as a To header: without this the call would wait forever
       * for an answer to an INVITE that was never sent. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED, _("'%s' is not a valid SIP address"),
                   uri);
      return NULL;
    }
  TrvCallContext ctx;
  fill_call_context (self, &ctx, media_address);
  if (local)
    {
      /* The target as this handle's only hop: its proxy replaces the agent's (the
       * account's registrar or proxy) for the INVITE, ACK and BYE, and no Service-Route
       * is added. Handle parameters of the nta namespace are dropped when given to
       * nua_handle(); nua_set_hparams() is queued ahead of the INVITE. */
      nua_set_hparams (nh, NUTAG_PROXY (uri), NUTAG_SERVICE_ROUTE_ENABLE (0), TAG_END ());
      /* No credentials, no SRTP policy: the account's settings are for its provider. */
      ctx.account = NULL;
      ctx.srtp.policy = TRV_SRTP_OFF;
      ctx.srtp.allow_insecure = FALSE;
      ctx.srtp.secure_signalling = FALSE;
    }
  g_debug ("dialling %s%s", uri, local ? " directly (local endpoint, no account)" : "");
  TrvCall *call = _trv_call_new_outgoing (&ctx, nh, uri);
  nua_handle_bind (nh, call);
  add_call (self, call);
  g_autofree gchar *tls_host = NULL;
  guint16 tls_port = 0;
  if (!local && tls_hop_to_check (self, uri, &tls_host, &tls_port))
    {
      /* sofia drops a connection whose certificate it refuses without failing the INVITE,
       * which then only times out: check the certificate first, as registration does. */
      g_autofree gchar *bundle = g_build_filename (self->tls_dir, "cafile.pem", NULL);
      g_debug ("call to %s: checking the certificate of %s port %u", uri, tls_host, tls_port);
      trv_tls_check_async (tls_host, tls_port, bundle, TRANSACTION_TIMEOUT_MS / 1000, NULL,
                           on_call_tls_checked, g_object_ref (call));
    }
  else
    _trv_call_start_outgoing (call);
  return call;
}

static gboolean
check_running (TrvUserAgent *self, GError **error)
{
  if (self->nua == NULL || self->shutting_down)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("the SIP agent is not running"));
      return FALSE;
    }
  return TRUE;
}

TrvCall *
trv_user_agent_dial (TrvUserAgent *self, const char *target, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  if (!check_running (self, error))
    return NULL;
  g_autofree gchar *uri = _trv_user_agent_normalize_target (self, target, error);
  if (uri == NULL)
    return NULL;
  return dial_uri (self, uri, FALSE, error);
}

TrvCall *
trv_user_agent_dial_local (TrvUserAgent *self, const char *uri, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  if (!check_running (self, error))
    return NULL;
  return dial_uri (self, uri, TRUE, error);
}

void
_trv_user_agent_handle_incoming_invite (TrvUserAgent *self, nua_handle_t *nh, const sip_t *sip)
{
  if (!_trv_user_agent_admit_invite (self, nh, sip))
    return;
  if (sip && sip->sip_request && sip->sip_request->rq_url->url_headers)
    {
      /* Headers escaped into a Request-URI belong in a request only a proxy builds
       * from a URI (RFC 3261 19.1.5); one that reached us is malformed (RFC 4475
       * 3.1.2.11). */
      g_debug ("INVITE with headers in its Request-URI: 400");
      nua_respond (nh, 400, "Headers In Request-URI", TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  TrvCall *replaced = NULL;
  if (!_trv_user_agent_find_replaced (self, nh, sip, &replaced))
    return;
  const char *peer_host = NULL;
  if (sip && sip->sip_via)
    peer_host = sip->sip_via->v_received ? sip->sip_via->v_received : sip->sip_via->v_host;
  g_autofree gchar *media_address = media_address_for (self, peer_host);
  TrvCallContext ctx;
  fill_call_context (self, &ctx, media_address);
  g_autofree gchar *offered = NULL;
  if (sip && sip->sip_payload)
    {
      g_autofree gchar *body = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
      offered = trv_offer_answer_dup_media_address (body);
    }
  if (offered && other_family_usable (offered, media_address))
    {
      /* Plain RTP has one socket of one family, and with ICE our answer's c= (the
       * default candidate, which a peer without ICE sends to) follows the media address's
       * family: take the offer's family where this device has a route of it (an IPv6
       * offer over IPv4 signalling, say). */
      g_autofree gchar *toward = media_address_for (self, offered);
      g_debug ("offer's media address %s: media from %s", offered, toward);
      g_free (media_address);
      media_address = g_steal_pointer (&toward);
      ctx.media_address = media_address;
    }
  TrvCall *call = _trv_call_new_incoming (&ctx, nh, sip);
  nua_handle_bind (nh, call);
  add_call (self, call);
  /* The call answers the INVITE itself (ringing, or an error for a bad offer). */
  _trv_call_handle_event (call, nua_i_invite, 0, NULL, nh, sip, NULL);
  if (trv_call_get_state (call) != TRV_CALL_STATE_INCOMING)
    return;
  if (replaced != NULL)
    {
      _trv_user_agent_replace_call (self, replaced, call);
      return;
    }
  _trv_user_agent_mark_waiting (self, call);
  _trv_user_agent_emit_incoming_call (self, call);
  if (self->auto_answer && trv_call_get_state (call) == TRV_CALL_STATE_INCOMING)
    {
      g_autoptr(GError) error = NULL;
      if (!trv_call_answer (call, &error))
        g_warning ("auto-answer failed: %s", error->message);
    }
}
