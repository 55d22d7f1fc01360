/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent.c: sofia-sip's nua on the GLib main loop and the agent's lifecycle
 * (calls live in trv-user-agent-calls.c, registration in trv-user-agent-register.c). */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-ice-transport.h"
#include "trv-media-preload.h"
#include "trv-host-port.h"
#include "trv-log.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-sip-enums.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define SHUTDOWN_GRACE_MS       4000
#define TURN_RELEASE_WAIT_MS    1000

G_DEFINE_FINAL_TYPE (TrvUserAgent, trv_user_agent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRATION_STATE,
  PROP_VOICEMAIL_NEW,
  PROP_VOICEMAIL_OLD,
  PROP_VOICEMAIL_ACCOUNT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REGISTRATION_CHANGED,
  SIGNAL_INCOMING_CALL,
  SIGNAL_CALL_ADDED,
  SIGNAL_STARTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static guint su_init_count;

/* --- own signals, for the agent's other files ------------------------------ */

void
_trv_user_agent_emit_call_added (TrvUserAgent *self, TrvCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
}

void
_trv_user_agent_emit_incoming_call (TrvUserAgent *self, TrvCall *call)
{
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
}

void
_trv_user_agent_emit_started (TrvUserAgent *self, const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_STARTED], 0, error);
}

/* --- registration state ------------------------------------------------ */

void
_trv_user_agent_set_reg_state (TrvUserAgent *self, TrvRegistrationState state, GError *error)
{
  g_clear_error (&self->reg_error);
  self->reg_error = error;
  if (self->account)
    g_debug ("registration of %s@%s: %s -> %s%s%s", self->account->user, self->account->domain,
             trv_enum_to_nick (TRV_TYPE_REGISTRATION_STATE, self->reg_state),
             trv_enum_to_nick (TRV_TYPE_REGISTRATION_STATE, state), error ? ": " : "",
             error ? error->message : "");
  self->reg_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_STATE]);
  g_signal_emit (self, signals[SIGNAL_REGISTRATION_CHANGED], 0);
}

void
_trv_user_agent_set_voicemail (TrvUserAgent *self, gint new_messages, gint old_messages,
                               const char *account)
{
  g_debug ("voicemail: %d new, %d old%s%s", new_messages, old_messages,
           account ? ", account " : "", account ? account : "");
  g_object_freeze_notify (G_OBJECT (self));
  if (new_messages != self->voicemail_new)
    {
      self->voicemail_new = new_messages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICEMAIL_NEW]);
    }
  if (old_messages != self->voicemail_old)
    {
      self->voicemail_old = old_messages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICEMAIL_OLD]);
    }
  if (account && g_strcmp0 (account, self->voicemail_account) != 0)
    {
      g_free (self->voicemail_account);
      self->voicemail_account = g_strdup (account);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICEMAIL_ACCOUNT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- network changes -------------------------------------------------------- */

/* Interfaces and routes change in bursts (Wi-Fi to LTE, VPN up): act once it settles. */
#define NETWORK_SETTLE_MS 1000

static gboolean
on_network_settled (gpointer data)
{
  TrvUserAgent *self = data;
  self->netmon_settle = 0;
  /* ICE restart gathers fresh candidates on the new addresses and re-INVITEs. */
  for (GList *l = self->calls; l; l = l->next)
    _trv_call_restart_ice (l->data, "the network changed");
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, TrvUserAgent *self)
{
  g_clear_handle_id (&self->netmon_settle, g_source_remove);
  if (available && self->calls != NULL)
    self->netmon_settle = g_timeout_add (NETWORK_SETTLE_MS, on_network_settled, self);
}

/* --- the nua callback ----------------------------------------------------- */

static void finish_shutdown (TrvUserAgent *self);

static void
on_nua_event (nua_event_t event, int status, char const *phrase, nua_t *nua,
              void *magic, nua_handle_t *nh, void *hmagic, sip_t const *sip,
              tagi_t tags[])
{
  TrvUserAgent *self = magic;

  g_debug ("nua event %s status %d %s", nua_event_name (event), status, phrase ? phrase : "");

  switch (event)
    {
    case nua_r_register:
    case nua_r_unregister:
      _trv_user_agent_handle_register_response (self, event, status, phrase, nh, sip);
      if (event == nua_r_register && status >= 200 && status < 300)
        {
          _trv_user_agent_resolve_provider (self);
          _trv_user_agent_subscribe_voicemail (self);
        }
      if (event == nua_r_unregister && status >= 200 && self->shutting_down)
        nua_shutdown (self->nua);
      return;

    case nua_r_shutdown:
      if (status >= 200)
        {
          self->nua_shut_down = TRUE;
          finish_shutdown (self);
        }
      return;

    case nua_i_invite:
      if (hmagic == NULL)
        {
          _trv_user_agent_handle_incoming_invite (self, nh, sip);
          return;
        }
      break;

    case nua_i_outbound:
      _trv_user_agent_handle_keepalive (self, event, status, phrase, nh, sip);
      return;

    case nua_r_options:
      if (_trv_user_agent_handle_keepalive (self, event, status, phrase, nh, sip))
        return;
      break;

    case nua_i_info:
      if (hmagic == NULL || !TRV_IS_CALL (hmagic))
        {
          /* INFO belongs to an INVITE dialog (RFC 6086 4.2.1); sofia answers one for
           * an unknown dialog itself, this one came without any. */
          g_debug ("INFO outside a call: 481");
          nua_respond (nh, 481, "No Call For This INFO", NUTAG_WITH_CURRENT (nua), TAG_END ());
          nua_handle_destroy (nh);
          return;
        }
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_CURRENT (nua), TAG_END ());
      break;

    case nua_i_update:
      if (hmagic == NULL || !TRV_IS_CALL (hmagic))
        {
          /* sofia answers an UPDATE for no dialog itself (481). */
          if (status < 200)
            nua_respond (nh, 481, "No Call For This UPDATE", NUTAG_WITH_CURRENT (nua), TAG_END ());
          if (hmagic == NULL && nh != self->reg_handle && nh != self->ka_handle)
            nua_handle_destroy (nh);
          return;
        }
      _trv_call_on_update (TRV_CALL (hmagic), nua, status, sip);
      return;

    case nua_i_refer:
    case nua_r_refer:
      _trv_user_agent_handle_transfer (self, nua, event, status, phrase, nh, hmagic, sip, tags);
      return;

    case nua_r_subscribe:
    case nua_i_notify:
      if (_trv_user_agent_handle_transfer (self, nua, event, status, phrase, nh, hmagic, sip,
                                           tags))
        return;
      if (_trv_user_agent_handle_voicemail (self, nua, event, status, phrase, nh,
                                            hmagic != NULL, sip, tags))
        return;
      break;

    case nua_i_options:
    case nua_r_get_params:
    case nua_r_set_params:
    case nua_r_notifier:
      return;

    default:
      break;
    }

  if (hmagic != NULL && TRV_IS_CALL (hmagic))
    {
      g_autoptr(TrvCall) call = g_object_ref (TRV_CALL (hmagic));
      _trv_call_handle_event (call, event, status, phrase, nh, sip, tags);
      return;
    }

  /* Requests outside any call we know: sofia answers most by itself. */
  if (event == nua_i_state || event == nua_i_terminated)
    return;
  if (nh != NULL && nh != self->reg_handle && hmagic == NULL &&
      (event == nua_i_bye || event == nua_i_cancel))
    nua_handle_destroy (nh);
}

/* --- lifecycle --------------------------------------------------------------- */

void
trv_user_agent_resolve_auto_mode (TrvUserAgent *self, TrvNatMode mode,
                                  TrvTurnTransport turn_transport)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  g_return_if_fail (mode != TRV_NAT_MODE_AUTO);
  if (self->nat == NULL || self->nat->mode != TRV_NAT_MODE_AUTO)
    return;
  self->auto_mode = mode;
  /* The probe found e.g. UDP blocked: TURN over TCP is what works here. */
  self->nat->turn_transport = turn_transport;
}

gboolean
trv_user_agent_start (TrvUserAgent *self, const char *listen_address, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);

  if (self->nat && self->nat->mode == TRV_NAT_MODE_AUTO &&
      self->auto_mode == TRV_NAT_MODE_AUTO)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("nat.mode: 'auto' needs a NAT probe's recommendation before the agent "
                     "starts (trv_user_agent_resolve_auto_mode)"));
      return FALSE;
    }
  if (self->preload == NULL)
    {
      gboolean srtp = self->account && self->account->srtp != TRV_SRTP_OFF &&
                      (self->account->transport == TRV_SIP_TRANSPORT_TLS ||
                       self->account->srtp_over_insecure);
      self->preload = trv_media_preload_start (self->media, self->options, srtp);
    }
  if (self->account && self->srv_domain == NULL)
    self->srv_domain = trv_host_port_dup_host (self->account->domain);

  if (self->account)
    {
      g_clear_pointer (&self->registrar_host, g_free);
      if (!_trv_user_agent_resolve_registrar (self, &self->registrar_host, error))
        return FALSE;
      if (self->account->transport == TRV_SIP_TRANSPORT_TLS && self->tls_dir == NULL &&
          !_trv_user_agent_prepare_tls_dir (self, error))
        return FALSE;
    }
  if (self->account && listen_address == NULL && !trv_net_is_ip_literal (self->registrar_host))
    {
      /* A slow resolver must not freeze the app: the stack starts once the registrar's
       * (or, without registration, the domain's) name is looked up; "started" follows.
       * For a registering account a failure is a registration failure, retried with
       * backoff. */
      _trv_user_agent_lookup_registrar (self);
      return TRUE;
    }
  return _trv_user_agent_start_stack (self, listen_address, error);
}

gboolean
_trv_user_agent_start_stack (TrvUserAgent *self, const char *listen_address, GError **error)
{
  TrvSipTransport transport = self->account ? self->account->transport : TRV_SIP_TRANSPORT_UDP;
  g_autofree gchar *bind = NULL;
  guint16 port = 0;
  if (!_trv_user_agent_choose_listen_address (self, listen_address, transport, &bind, &port,
                                              error))
    return FALSE;
  g_autofree gchar *h = strchr (bind, ':') ? g_strdup_printf ("[%s]", bind) : g_strdup (bind);
  g_autofree gchar *url = NULL;
  g_autofree gchar *sips_url = NULL;
  switch (transport)
    {
    case TRV_SIP_TRANSPORT_TLS:
      sips_url = g_strdup_printf ("sips:%s:%u", h, port);
      break;
    case TRV_SIP_TRANSPORT_TCP:
      url = g_strdup_printf ("sip:%s:%u;transport=tcp", h, port);
      break;
    default:
      url = g_strdup_printf ("sip:%s:%u;transport=udp", h, port);
      break;
    }

  if (self->root == NULL)    /* set already when an earlier attempt failed below */
    {
      if (su_init_count++ == 0)
        su_init ();
      self->root = su_glib_root_create (self);
      /* The nua stack on this thread too, as sofia's own GLib binding runs it: otherwise
       * su_clone_start() gives it a thread of its own (ASan caught its timer walking a
       * freed dialog usage after the torture suite, under load), and every nua_handle_*
       * accessor we call would race with it. */
      su_root_threading (self->root, 0);
      /* su_glib_root_gsource() returns the port's own source without a reference; take
       * one, since destroy_nua() drops ours before the root (freeing the port under it). */
      self->source = g_source_ref (su_glib_root_gsource (self->root));
      g_source_attach (self->source, NULL);
    }

  self->nua = nua_create (self->root, on_nua_event, self,
                          TAG_IF (url, NUTAG_URL (url)),
                          TAG_IF (sips_url, NUTAG_SIPS_URL (sips_url)),
                          TAG_IF (self->proxy_uri, NUTAG_PROXY (self->proxy_uri)),
                          /* RFC 5626 validation OPTIONS went to the AoR's domain on port
                           * 5060, not through the registrar: not wanted. */
                          NUTAG_OUTBOUND ("no-validate"),
                          TAG_IF (self->tls_dir, NUTAG_CERTIFICATE_DIR (self->tls_dir)),
                          TAG_IF (self->tls_dir, TPTAG_TLS_VERIFY_POLICY (TPTLS_VERIFY_OUT)),
                          NUTAG_MEDIA_ENABLE (0),
                          NUTAG_AUTOANSWER (0),
                          NUTAG_AUTOACK (1),
                          NUTAG_ENABLEINVITE (1),
                          /* SIPTAG_ALLOW replaces sofia's default list (NUTAG_ALLOW adds
                           * to it): MESSAGE, REFER, SUBSCRIBE... would otherwise get
                           * 200/202 from the stack and then nothing would happen.
                           * NOTIFY: message waiting (RFC 3842) and transfer progress;
                           * REFER: transfer inside a call (RFC 5589). */
                          SIPTAG_ALLOW_STR ("INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, "
                                            "NOTIFY, REFER"),
                          NUTAG_ENABLEMESSAGE (0),
                          /* INFO is answered by us: only inside a call does it mean DTMF.
                           * UPDATE too: sofia (without its media) would 200 an offer in it
                           * with no answer. NOTIFY outside our subscription: sofia
                           * would 481 the unsolicited message-summary of PBXs. REFER:
                           * sofia would 202 any, even one without a usable Refer-To. */
                          NUTAG_APPL_METHOD ("INFO, UPDATE, NOTIFY, REFER"),
                          /* Added to sofia's "timer, 100rel": an INVITE that requires
                           * Replaces (RFC 3891) is ours to judge, not a 420. */
                          NUTAG_SUPPORTED ("replaces"),
                          /* Session timers (RFC 4028): ask for them, accept the RFC's
                           * 90 s floor, and refresh by UPDATE without a body. sofia's
                           * re-INVITE refresh would resend an old offer (or none) past
                           * our own offer/answer. */
                          NUTAG_SESSION_TIMER (TRV_SESSION_EXPIRES),
                          NUTAG_MIN_SE (TRV_MIN_SE),
                          NUTAG_UPDATE_REFRESH (1),
                          NTATAG_SIP_T1X64 (TRANSACTION_TIMEOUT_MS),
                          SIPTAG_USER_AGENT_STR ("Traverse/" PACKAGE_VERSION),
                          TAG_END ());
  if (self->nua == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_UNREACHABLE,
                   _("cannot listen for SIP on %s port %u (%s): address in use or not local"),
                   bind, port, trv_enum_to_nick (TRV_TYPE_SIP_TRANSPORT, transport));
      return FALSE;
    }
  self->local_address = g_steal_pointer (&bind);
  if (self->netmon == NULL)
    self->netmon = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->netmon, "network-changed", G_CALLBACK (on_network_changed), self);
  self->local_port = port;
  self->contact_uri = _trv_user_agent_contact_uri_on (self, self->local_address);
  g_debug ("SIP agent %p: listening on %s, contact %s", (gpointer) self, url ? url : sips_url,
           self->contact_uri);

  _trv_user_agent_start_admission (self);
  if (self->account && self->account->do_register)
    _trv_user_agent_begin_registration (self);
  else
    _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_DISABLED, NULL);
  return TRUE;
}

static void
destroy_nua (TrvUserAgent *self)
{
  _trv_user_agent_stop_keepalive (self);
  if (self->reg_handle)
    nua_handle_destroy (g_steal_pointer (&self->reg_handle));
  _trv_user_agent_drop_voicemail (self);
  if (self->nua && !self->nua_shut_down)
    {
      /* Disposed without shutdown_async: nua_destroy() asserts on a live stack, so shut
       * it down here, bounded (this blocks; front ends call shutdown_async instead). */
      nua_shutdown (self->nua);
      gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      while (!self->nua_shut_down && g_get_monotonic_time () < deadline)
        su_root_step (self->root, 50);
    }
  if (self->nua)
    nua_destroy (g_steal_pointer (&self->nua));
  if (self->source)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  if (self->root)
    {
      su_root_destroy (g_steal_pointer (&self->root));
      if (--su_init_count == 0)
        su_deinit ();
    }
  _trv_user_agent_remove_tls_dir (self);
}

static void
on_turn_released (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
complete_shutdown (gpointer data)
{
  /* Hung-up calls give their TURN allocations back while the main loop runs: let that
   * finish (bounded) before the owner may exit, or they linger on the server. */
  trv_ice_transport_wait_released_async (TURN_RELEASE_WAIT_MS, NULL, on_turn_released, data);
  return G_SOURCE_REMOVE;
}

static void
finish_shutdown (TrvUserAgent *self)
{
  g_clear_handle_id (&self->shutdown_timeout, g_source_remove);
  GTask *task = g_steal_pointer (&self->shutdown_task);
  /* Complete from an idle: the owner may drop the agent, and nua_destroy() must not
   * run inside nua's own callback. */
  if (task != NULL)
    g_idle_add (complete_shutdown, task);
}

static gboolean
on_shutdown_timeout (gpointer data)
{
  TrvUserAgent *self = data;
  self->shutdown_timeout = 0;
  GTask *task = g_steal_pointer (&self->shutdown_task);
  if (task != NULL)
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_TIMEOUT,
                               _("the SIP agent did not shut down in time"));
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
begin_nua_shutdown (gpointer data)
{
  TrvUserAgent *self = data;
  /* Destroying the handle unsubscribes (Expires: 0) without waiting for the answer. */
  _trv_user_agent_drop_voicemail (self);
  if (self->reg_handle && self->reg_state == TRV_REGISTRATION_REGISTERED)
    nua_unregister (self->reg_handle, TAG_END ());
  else
    {
      /* A failed registration left nothing to remove; a live handle would make nua's
       * shutdown retry the REGISTER (and its challenge) until its own 30 s timeout. */
      if (self->reg_handle)
        nua_handle_destroy (g_steal_pointer (&self->reg_handle));
      nua_shutdown (self->nua);
    }
  return G_SOURCE_REMOVE;
}

void
trv_user_agent_shutdown_async (TrvUserAgent *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_user_agent_shutdown_async);
  if (self->nua == NULL)
    {
      /* Still looking up the registrar (or never started): nothing was sent. */
      self->shutting_down = TRUE;
      g_cancellable_cancel (self->lookup_cancel);
      g_clear_handle_id (&self->retry_source, g_source_remove);
    }
  if (self->nua == NULL || self->shutdown_task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  self->shutting_down = TRUE;
  g_cancellable_cancel (self->tls_check_cancel);
  _trv_user_agent_stop_keepalive (self);
  self->shutdown_task = task;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  GList *calls = g_list_copy_deep (self->calls, (GCopyFunc) g_object_ref, NULL);
  for (GList *l = calls; l; l = l->next)
    trv_call_hangup (l->data);
  g_list_free_full (calls, g_object_unref);
  /* Give the BYEs a moment to leave before the stack goes down. */
  g_timeout_add (self->calls ? 300 : 0, begin_nua_shutdown, self);
  self->shutdown_timeout = g_timeout_add (SHUTDOWN_GRACE_MS, on_shutdown_timeout, self);
}

gboolean
trv_user_agent_shutdown_finish (TrvUserAgent *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- accessors ----------------------------------------------------------------- */

void
trv_user_agent_set_media_options (TrvUserAgent *self, const TrvMediaOptions *options)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  g_clear_pointer (&self->options, trv_media_options_free);
  self->options = options ? trv_media_options_copy (options) : trv_media_options_new ();
  if (self->options->jitter_ms == 0 && self->media)
    self->options->jitter_ms = self->media->jitter_ms;
}

void
trv_user_agent_set_network_monitor (TrvUserAgent *self, GNetworkMonitor *monitor)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  g_return_if_fail (self->nua == NULL);
  g_set_object (&self->netmon, monitor);
}

void
trv_user_agent_set_auto_answer (TrvUserAgent *self, gboolean auto_answer)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  self->auto_answer = auto_answer;
}

const char *
trv_user_agent_get_contact_uri (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  return self->contact_uri;
}

void
trv_user_agent_set_preferred_port (TrvUserAgent *self, guint16 port)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  self->preferred_port = port;
}

guint16
trv_user_agent_get_local_port (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), 0);
  return self->nua != NULL ? self->local_port : 0;
}

gchar *
trv_user_agent_dup_direct_uri (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  if (!_trv_user_agent_takes_direct_calls (self))
    return NULL;   /* an address that would only answer 403 */
  if (self->contact_uri == NULL || g_strcmp0 (self->local_address, "0.0.0.0") != 0)
    return g_strdup (self->contact_uri);
  /* Listening on every address: the one others on the network would use. The
   * documentation address is never contacted: connect() on UDP only picks a route. */
  g_autofree gchar *local = trv_net_local_address_for ("192.0.2.1", NULL);
  return _trv_user_agent_contact_uri_on (self, local ? local : "127.0.0.1");
}

TrvRegistrationState
trv_user_agent_get_registration_state (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), TRV_REGISTRATION_DISABLED);
  return self->reg_state;
}

const GError *
trv_user_agent_get_registration_error (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  return self->reg_error;
}

guint
trv_user_agent_get_registration_status (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), 0);
  return self->reg_status;
}

GList *
trv_user_agent_get_calls (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  return self->calls;
}

/* --- GObject ---------------------------------------------------------------------- */

TrvUserAgent *
trv_user_agent_new (const TrvAccountConfig *account, const TrvNatConfig *nat,
                    const TrvMediaConfig *media)
{
  TrvUserAgent *self = g_object_new (TRV_TYPE_USER_AGENT, NULL);
  self->account = account ? trv_account_config_copy (account) : NULL;
  self->nat = nat ? trv_nat_config_copy (nat) : trv_nat_config_new ();
  /* TURN over TLS trusts the same extra CA as SIP over TLS. */
  if (self->nat->ca_file == NULL && account && account->ca_file && account->ca_file[0])
    self->nat->ca_file = g_strdup (account->ca_file);
  self->media = media ? trv_media_config_copy (media) : trv_media_config_new ();
  /* sofia's debug log may print what it is given; neither password may reach a log. */
  trv_log_add_secret (self->account ? self->account->password : NULL);
  trv_log_add_secret (self->nat->turn_password);
  trv_user_agent_set_media_options (self, NULL);
  self->reg_state = (account && account->do_register) ? TRV_REGISTRATION_UNREGISTERED
                                                      : TRV_REGISTRATION_DISABLED;
  return self;
}

static void
trv_user_agent_dispose (GObject *object)
{
  TrvUserAgent *self = TRV_USER_AGENT (object);
  g_cancellable_cancel (self->lookup_cancel);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->shutdown_timeout, g_source_remove);
  g_clear_handle_id (&self->netmon_settle, g_source_remove);
  if (self->netmon)
    g_signal_handlers_disconnect_by_data (self->netmon, self);
  g_clear_object (&self->netmon);
  for (GList *l = self->calls; l; l = l->next)
    {
      g_signal_handlers_disconnect_by_data (l->data, self);
      _trv_call_terminate (l->data, TRV_CALL_END_LOCAL_HANGUP);
    }
  g_list_free_full (g_steal_pointer (&self->calls), g_object_unref);
  destroy_nua (self);
  _trv_user_agent_stop_admission (self);
  G_OBJECT_CLASS (trv_user_agent_parent_class)->dispose (object);
}

static void
trv_user_agent_finalize (GObject *object)
{
  TrvUserAgent *self = TRV_USER_AGENT (object);
  if (self->preload)
    g_thread_join (self->preload);
  g_clear_pointer (&self->account, trv_account_config_free);
  g_clear_pointer (&self->nat, trv_nat_config_free);
  g_free (self->srv_domain);
  g_clear_pointer (&self->media, trv_media_config_free);
  g_clear_pointer (&self->options, trv_media_options_free);
  g_clear_error (&self->reg_error);
  g_free (self->local_address);
  g_free (self->contact_uri);
  g_free (self->registrar_uri);
  g_free (self->registrar_host);
  g_free (self->registrar_ip);
  g_clear_object (&self->lookup_cancel);
  g_clear_object (&self->tls_check_cancel);
  g_free (self->proxy_uri);
  g_free (self->voicemail_account);
  G_OBJECT_CLASS (trv_user_agent_parent_class)->finalize (object);
}

static void
trv_user_agent_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TrvUserAgent *self = TRV_USER_AGENT (object);
  switch (prop_id)
    {
    case PROP_REGISTRATION_STATE:
      g_value_set_enum (value, self->reg_state);
      break;
    case PROP_VOICEMAIL_NEW:
      g_value_set_int (value, self->voicemail_new);
      break;
    case PROP_VOICEMAIL_OLD:
      g_value_set_int (value, self->voicemail_old);
      break;
    case PROP_VOICEMAIL_ACCOUNT:
      g_value_set_string (value, self->voicemail_account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_user_agent_class_init (TrvUserAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_user_agent_dispose;
  object_class->finalize = trv_user_agent_finalize;
  object_class->get_property = trv_user_agent_get_property;

  properties[PROP_REGISTRATION_STATE] =
    g_param_spec_enum ("registration-state", NULL, NULL, TRV_TYPE_REGISTRATION_STATE,
                       TRV_REGISTRATION_DISABLED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Message waiting (RFC 3842): voice messages new and old, -1 until a server said. */
  properties[PROP_VOICEMAIL_NEW] =
    g_param_spec_int ("voicemail-new", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOICEMAIL_OLD] =
    g_param_spec_int ("voicemail-old", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The mailbox's URI (Message-Account), NULL until a server named one. */
  properties[PROP_VOICEMAIL_ACCOUNT] =
    g_param_spec_string ("voicemail-account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REGISTRATION_CHANGED] =
    g_signal_new ("registration-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
  signals[SIGNAL_CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
trv_user_agent_init (TrvUserAgent *self)
{
  self->auto_mode = TRV_NAT_MODE_AUTO;   /* unresolved until a NAT probe ran */
  self->voicemail_new = self->voicemail_old = -1;
}
