/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-register.c: the account's registration: REGISTER with digest auth,
 * refresh, keep-alives, failures in words and retries with capped exponential backoff. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-error.h"
#include "trv-sip-auth.h"
#include "trv-tls-check.h"
#include <glib/gi18n-lib.h>

#define REGISTER_EXPIRES        300

static void do_register (TrvUserAgent *self);

static gboolean
on_retry_timeout (gpointer data)
{
  TrvUserAgent *self = data;
  self->retry_source = 0;
  _trv_user_agent_begin_registration (self);
  return G_SOURCE_REMOVE;
}

/* A live registration that was lost (keep-alive unanswered, flow broken) is retried at
 * the first backoff step for this long: the registrar is most likely restarting, and
 * until we are registered again nobody can call us. */
#define RECOVERY_WINDOW_S 60

/* Call before reporting the failure: "registration-changed" handlers read retry_after_s. */
static void
schedule_retry (TrvUserAgent *self, const sip_t *sip)
{
  if (self->shutting_down)
    return;
  /* A refresh that failed (sofia also refreshes at once when the registration's TCP/TLS
   * connection closes) lost a live registration as well. */
  if (self->reg_state == TRV_REGISTRATION_REGISTERED && self->lost_at == 0)
    self->lost_at = g_get_monotonic_time ();
  guint retry_after = sip && sip->sip_retry_after ? sip->sip_retry_after->af_delta : 0;
  if (self->lost_at != 0 && retry_after == 0 &&
      g_get_monotonic_time () - self->lost_at < RECOVERY_WINDOW_S * G_USEC_PER_SEC)
    self->backoff_s = 0;
  guint delay = _trv_registration_backoff_next (&self->backoff_s, retry_after);
  self->retry_after_s = retry_after ? delay : 0;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add_seconds (delay, on_retry_timeout, self);
  g_debug ("registration retry in %u s", delay);
}

guint
_trv_registration_backoff_next (guint *backoff_s, guint retry_after_s)
{
  guint delay = *backoff_s ? *backoff_s : TRV_REGISTRATION_BACKOFF_FIRST_S;
  if (retry_after_s > delay)
    delay = MIN (retry_after_s, TRV_REGISTRATION_BACKOFF_MAX_S);
  *backoff_s = MIN (delay * 2, TRV_REGISTRATION_BACKOFF_MAX_S);
  return delay;
}

/* Turns a failed REGISTER response into an error a person understands. */
static GError *
registration_error_message (TrvUserAgent *self, int status, const char *phrase)
{
  const char *registrar = self->registrar_uri;

  switch (status)
    {
    case 401:
    case 407:
    case 403:
      return g_error_new (TRV_ERROR, TRV_ERROR_AUTH_FAILED,
                          _("authentication failed: %s refused the credentials for %s "
                            "(wrong password?) (SIP %d %s)"),
                          registrar, self->account->address, status, phrase);
    case 408:
      return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                          _("registrar %s is unreachable: no response (SIP 408 %s)"),
                          registrar, phrase);
    case 503:
      /* Not a certificate problem: sofia drops a connection whose certificate it refuses
       * without a response, so _trv_user_agent_begin_registration checks the certificate
       * itself first (TRV_ERROR_TLS from the GIO handshake, trv-tls-check.c). */
      return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                          _("registrar %s is unreachable (SIP 503 %s)"), registrar, phrase);
    default:
      return g_error_new (TRV_ERROR, TRV_ERROR_REGISTRATION,
                          _("registration at %s failed: SIP %d %s"), registrar, status, phrase);
    }
}

/* The same, with the status and the registrar as data (for a front end's detail). */
static GError *
registration_error (TrvUserAgent *self, int status, const char *phrase)
{
  return trv_error_set_sip (registration_error_message (self, status, phrase), status,
                            self->registrar_uri);
}

/* After a final failure sofia's registration usage on the handle is gone, and a later
 * nua_register() on the same handle after a refused challenge sends nothing at all: the
 * retry starts from a fresh handle. */
static void
drop_reg_handle (TrvUserAgent *self)
{
  if (self->reg_handle)
    nua_handle_destroy (g_steal_pointer (&self->reg_handle));
}

/* --- keep-alive --------------------------------------------------------------- */

/* Under the 30 s UDP timeout of many NATs, with room for one lost keep-alive. */
#define KEEPALIVE_MS 12000

/* sofia's own keep-alive (NUTAG_OUTBOUND "options-keepalive") is an OPTIONS to our own
 * AoR with Max-Forwards: 0 through the registrar, which a registrar answers 483 without
 * looking at the flow; it runs only when sofia saw a NAT, and stops after its first
 * failure. Ours asks the registrar itself (or the outbound proxy on the way), on every
 * transport, and any answer at all proves the flow. */
static gboolean
on_keepalive_tick (gpointer data)
{
  TrvUserAgent *self = data;
  if (self->ka_pending || self->nua == NULL || self->shutting_down)
    return G_SOURCE_CONTINUE;
  if (self->ka_handle == NULL)
    self->ka_handle = nua_handle (self->nua, NULL,
                                  SIPTAG_TO_STR (self->registrar_uri),
                                  SIPTAG_FROM_STR (self->account->address),
                                  TAG_END ());
  self->ka_pending = TRUE;
  nua_options (self->ka_handle, NUTAG_URL (self->registrar_uri), TAG_END ());
  return G_SOURCE_CONTINUE;
}

static void
start_keepalive (TrvUserAgent *self)
{
  if (self->ka_source == 0)
    self->ka_source = g_timeout_add (KEEPALIVE_MS, on_keepalive_tick, self);
}

void
_trv_user_agent_stop_keepalive (TrvUserAgent *self)
{
  g_clear_handle_id (&self->ka_source, g_source_remove);
  if (self->ka_handle)
    nua_handle_destroy (g_steal_pointer (&self->ka_handle));
  self->ka_pending = FALSE;
}

/* The flow to the registrar broke while registered: the registrar may have lost our
 * binding (a restart), so register again now rather than at the next refresh. */
static void
registration_flow_lost (TrvUserAgent *self, int status, const char *phrase)
{
  _trv_user_agent_stop_keepalive (self);
  if (self->reg_state != TRV_REGISTRATION_REGISTERED || self->shutting_down)
    return;
  g_debug ("flow to the registrar %s lost (%d %s): registering again", self->registrar_uri,
           status, phrase ? phrase : "");
  self->lost_at = g_get_monotonic_time ();
  self->backoff_s = 0;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  _trv_user_agent_begin_registration (self);
}

gboolean
_trv_user_agent_handle_keepalive (TrvUserAgent *self, nua_event_t event, int status,
                                  const char *phrase, nua_handle_t *nh, const sip_t *sip)
{
  if (event == nua_i_outbound)
    {
      /* 101/102: sofia saw a NAT (binding); >= 300: its keep-alive or probe failed. */
      g_debug ("outbound: %d %s", status, phrase ? phrase : "");
      if (status >= 300 && nh == self->reg_handle)
        registration_flow_lost (self, status, phrase);
      return TRUE;
    }
  if (event != nua_r_options || nh == NULL || nh != self->ka_handle)
    return FALSE;
  if (status < 200)
    return TRUE;
  self->ka_pending = FALSE;
  /* Any response, even a challenge, came over the flow; no response (sofia's own 408,
   * or 503 for a transport error such as ICMP port unreachable) means it is gone. */
  if (sip == NULL || status == 408 || (status == 503 && sip->sip_retry_after == NULL))
    registration_flow_lost (self, status, phrase);
  else
    g_debug ("keep-alive to %s answered %d", self->registrar_uri, status);
  return TRUE;
}

void
_trv_user_agent_handle_register_response (TrvUserAgent *self, nua_event_t event, int status,
                                          const char *phrase, nua_handle_t *nh, const sip_t *sip)
{
  /* A 5xx with Retry-After < 32 s is retried by sofia itself, which reports only a 100
   * "Retry After N" carrying the refusal: say now why we are waiting. */
  if (status < 200 && event == nua_r_register && sip && sip->sip_status &&
      sip->sip_status->st_status >= 500 && sip->sip_retry_after)
    {
      self->reg_status = sip->sip_status->st_status;
      self->retry_after_s = MIN (sip->sip_retry_after->af_delta, TRV_REGISTRATION_BACKOFF_MAX_S);
      _trv_user_agent_stop_keepalive (self);
      _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_FAILED,
                                     registration_error (self, sip->sip_status->st_status,
                                                         sip->sip_status->st_phrase));
      return;
    }
  if (status < 200)
    return;
  self->reg_status = status;

  if (event == nua_r_unregister)
    {
      _trv_user_agent_stop_keepalive (self);
      _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_UNREGISTERED, NULL);
      return;
    }

  if (status == 401 || status == 407)
    {
      g_autoptr(GError) error = NULL;
      if (trv_sip_auth_respond (self->account, nh, sip, &self->reg_auth_attempts, &error))
        return;
      if (error->code == TRV_ERROR_AUTH_FAILED)
        {
          g_clear_error (&error);
          error = registration_error (self, status, phrase);
        }
      else
        trv_error_set_sip (error, status, self->registrar_uri);
      _trv_user_agent_stop_keepalive (self);
      drop_reg_handle (self);
      schedule_retry (self, sip);
      _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_FAILED, g_steal_pointer (&error));
      return;
    }

  if (status >= 200 && status < 300)
    {
      self->reg_auth_attempts = 0;
      self->backoff_s = 0;
      self->retry_after_s = 0;
      self->lost_at = 0;
      start_keepalive (self);
      _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_REGISTERED, NULL);
      return;
    }

  self->reg_auth_attempts = 0;
  _trv_user_agent_stop_keepalive (self);
  drop_reg_handle (self);
  schedule_retry (self, sip);
  _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_FAILED, registration_error (self, status, phrase));
}

static void
do_register (TrvUserAgent *self)
{
  if (self->nua == NULL || self->shutting_down)
    return;
  self->reg_auth_attempts = 0;
  if (self->reg_handle == NULL)
    self->reg_handle = nua_handle (self->nua, NULL,
                                   SIPTAG_TO_STR (self->account->address),
                                   SIPTAG_FROM_STR (self->account->address),
                                   TAG_END ());
  _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_REGISTERING, NULL);
  nua_register (self->reg_handle,
                NUTAG_REGISTRAR (self->registrar_uri),
                NUTAG_M_USERNAME (self->account->user),
                TAG_IF (self->account->display_name,
                        NUTAG_M_DISPLAY (self->account->display_name)),
                SIPTAG_EXPIRES_STR (G_STRINGIFY (REGISTER_EXPIRES)),
                /* sofia still rewrites the Contact from Via received/rport behind a
                 * NAT; the keep-alive that holds the mapping open is ours (see
                 * on_keepalive_tick). */
                NUTAG_OUTBOUND ("no-validate no-options-keepalive"),
                TAG_END ());
}

guint
trv_user_agent_get_registration_retry_after (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), 0);
  return self->reg_state == TRV_REGISTRATION_FAILED ? self->retry_after_s : 0;
}

void
trv_user_agent_retry_registration (TrvUserAgent *self)
{
  g_return_if_fail (TRV_IS_USER_AGENT (self));
  if (self->account == NULL || !self->account->do_register)
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->backoff_s = 0;
  _trv_user_agent_begin_registration (self);
}

static void
on_tls_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvUserAgent) self = data;
  g_autoptr(GError) error = NULL;
  if (trv_tls_check_finish (result, &error))
    self->tls_checked = TRUE;
  if (self->shutting_down || self->nua == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->tls_check_cancel);
  if (g_error_matches (error, TRV_ERROR, TRV_ERROR_TLS))
    {
      schedule_retry (self, NULL);
      _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_FAILED, g_steal_pointer (&error));
      return;
    }
  /* Verified, or not reachable at all: the REGISTER itself reports the latter. */
  do_register (self);
}

/* Over TLS, first check the server certificate ourselves: sofia drops a connection whose
 * certificate it refuses without telling the REGISTER, which then only times out. */
void
_trv_user_agent_registration_failed (TrvUserAgent *self, GError *error)
{
  schedule_retry (self, NULL);
  _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_FAILED, error);
}

void
_trv_user_agent_begin_registration (TrvUserAgent *self)
{
  if (self->shutting_down)
    return;
  if (self->nua == NULL)
    {
      /* The registrar's name did not resolve (or the stack did not start): again. */
      if (self->registrar_host != NULL)
        _trv_user_agent_lookup_registrar (self);
      return;
    }
  if (self->account->transport != TRV_SIP_TRANSPORT_TLS || self->tls_checked)
    {
      do_register (self);
      return;
    }
  url_t url[1];
  g_autofree gchar *uri = g_strdup (self->proxy_uri ? self->proxy_uri : self->registrar_uri);
  if (url_d (url, uri) < 0 || url->url_host == NULL)
    {
      do_register (self);
      return;
    }
  g_autofree gchar *host = g_strdup (url->url_host);
  if (host[0] == '[')
    {
      memmove (host, host + 1, strlen (host));
      host[strcspn (host, "]")] = '\0';
    }
  guint16 port = url->url_port ? (guint16) atoi (url->url_port) : 5061;
  g_autofree gchar *bundle = g_build_filename (self->tls_dir, "cafile.pem", NULL);
  _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_REGISTERING, NULL);
  g_cancellable_cancel (self->tls_check_cancel);
  g_clear_object (&self->tls_check_cancel);
  self->tls_check_cancel = g_cancellable_new ();
  trv_tls_check_async (host, port, bundle, TRANSACTION_TIMEOUT_MS / 1000,
                       self->tls_check_cancel, on_tls_checked, g_object_ref (self));
}
