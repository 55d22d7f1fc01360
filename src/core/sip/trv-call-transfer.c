/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-transfer.c: transfer (RFC 3515 REFER, RFC 5589). As transferor the call
 * sends REFER and follows the NOTIFYs (message/sipfrag) until the target answered, then
 * ends with BYE; as transferee it accepts a REFER, reports the new call's progress in
 * NOTIFYs and waits for the transferor's BYE. What only attended transfer adds (Replaces)
 * is in trv-call-attended.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "trv-call-private.h"
#include "trv-error.h"
#include "trv-sip-auth.h"

/* RFC 5589 6.1: the transferor hangs up after a successful NOTIFY; a transferor that
 * does not is hung up on after this many seconds. */
#define TRANSFEREE_BYE_WAIT_S 5

enum {
  SIGNAL_TRANSFERRED,
  SIGNAL_TRANSFER_FAILED,
  SIGNAL_REPLACED,
  N_TRANSFER_SIGNALS
};

static guint transfer_signals[N_TRANSFER_SIGNALS];

void
_trv_call_class_init_transfer (GObjectClass *klass)
{
  transfer_signals[SIGNAL_TRANSFERRED] =
    g_signal_new ("transferred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, TRV_TYPE_CALL);
  transfer_signals[SIGNAL_TRANSFER_FAILED] =
    g_signal_new ("transfer-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  transfer_signals[SIGNAL_REPLACED] =
    g_signal_new ("replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
}

void
_trv_call_emit_replaced (TrvCall *self, TrvCall *next)
{
  g_signal_emit (self, transfer_signals[SIGNAL_REPLACED], 0, next);
}

void
_trv_call_transfer_stop (TrvCall *self)
{
  g_clear_handle_id (&self->transfer_source, g_source_remove);
  if (self->transfer_call)
    g_signal_handlers_disconnect_by_data (self->transfer_call, self);
  g_clear_object (&self->transfer_call);
  g_clear_pointer (&self->refer_event, g_free);
}

void
_trv_call_transfer_dispose (TrvCall *self)
{
  _trv_call_transfer_stop (self);
  g_clear_pointer (&self->transfer_target, g_free);
  g_clear_pointer (&self->transferred_to, g_free);
  _trv_call_attended_dispose (self);
}

const char *
trv_call_get_transferred_to (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), NULL);
  return self->transferred_to;
}

gboolean
_trv_call_is_established (TrvCall *self)
{
  return self->nh != NULL && !self->bye_done &&
         (self->state == TRV_CALL_STATE_ACTIVE || self->state == TRV_CALL_STATE_HELD);
}

/* sip:, sips: or tel: with something to call: what a transfer may point at. */
static gboolean
is_callable_url (const url_t *url)
{
  /* sofia keeps a tel: number in url_user, a SIP host in url_host. */
  const char *part = url->url_type == url_tel ? url->url_user : url->url_host;
  return (url->url_type == url_sip || url->url_type == url_sips || url->url_type == url_tel) &&
         part != NULL && *part != '\0';
}

/* --- transferor ------------------------------------------------------------------- */

gboolean
_trv_call_check_transfer (TrvCall *self, GError **error)
{
  if (!_trv_call_is_established (self))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("cannot transfer: the call is not established"));
      return FALSE;
    }
  if (self->transfer_target != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("cannot transfer: a transfer is already under way"));
      return FALSE;
    }
  return TRUE;
}

void
_trv_call_send_refer (TrvCall *self, const char *target, const char *refer_to)
{
  g_debug ("call %s: REFER to %s", self->remote_uri, refer_to);
  self->transfer_target = g_strdup (target);
  self->auth_attempts = 0;
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
}

gboolean
trv_call_transfer (TrvCall *self, const char *target, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  if (!_trv_call_check_transfer (self, error))
    return FALSE;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = url_make (home, target);
  gboolean callable = url != NULL && is_callable_url (url);
  su_home_deinit (home);
  if (!callable)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("cannot transfer to %s: not a sip:, sips: or tel: address"), target);
      return FALSE;
    }
  _trv_call_send_refer (self, target, target);
  return TRUE;
}

static void
transfer_failed (TrvCall *self, GError *error)
{
  g_debug ("call %s: transfer failed: %s", self->remote_uri, error->message);
  g_clear_pointer (&self->transfer_target, g_free);
  self->attended = FALSE;
  g_signal_emit (self, transfer_signals[SIGNAL_TRANSFER_FAILED], 0, error);
  g_error_free (error);
}

void
_trv_call_on_r_refer (TrvCall *self, int status, const char *phrase, const sip_t *sip)
{
  if (self->transfer_target == NULL)
    return;
  if (status == 401 || status == 407)
    {
      g_autoptr(GError) error = NULL;
      if (trv_sip_auth_respond (self->account, self->nh, sip, &self->auth_attempts, &error))
        return;
      transfer_failed (self, g_steal_pointer (&error));
      return;
    }
  if (status < 300)
    {
      g_debug ("call %s: REFER answered %d", self->remote_uri, status);
      return;
    }
  transfer_failed (self, g_error_new (TRV_ERROR, TRV_ERROR_REJECTED,
                                      _("%s refused the transfer to %s (SIP %d %s)"),
                                      self->remote_uri, self->transfer_target, status,
                                      phrase ? phrase : ""));
}

/* The status line of a message/sipfrag body ("SIP/2.0 200 OK"): its code, 0 if none. */
static guint
sipfrag_status (const sip_t *sip, gchar **phrase)
{
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return 0;
  g_autofree gchar *body = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
  g_auto(GStrv) words = g_strsplit_set (body, " \r\n", 3);
  guint64 status = 0;
  if (g_strv_length (words) < 2 || !g_str_has_prefix (words[0], "SIP/") ||
      !g_ascii_string_to_unsigned (words[1], 10, 100, 699, &status, NULL))
    return 0;
  *phrase = g_strdup (words[2] ? g_strstrip (g_strdelimit (words[2], "\r\n", '\0')) : "");
  return (guint) status;
}

/* A NOTIFY of the REFER's implicit subscription (answered by @nua's current request). */
void
_trv_call_on_notify (TrvCall *self, nua_t *nua, int status, const sip_t *sip, tagi_t tags[])
{
  if (status < 200)
    nua_respond (self->nh, SIP_200_OK, NUTAG_WITH_CURRENT (nua), TAG_END ());
  if (self->transfer_target == NULL)
    return;
  g_autofree gchar *phrase = NULL;
  guint frag = sipfrag_status (sip, &phrase);
  int substate = nua_substate_active;
  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
  g_debug ("call %s: transfer NOTIFY %u %s", self->remote_uri, frag, phrase ? phrase : "");
  if (frag < 200 && substate == nua_substate_terminated)
    {
      /* The subscription ended without an outcome: nothing more will come. */
      transfer_failed (self, g_error_new (TRV_ERROR, TRV_ERROR_REJECTED,
                                          _("the transfer to %s ended without a result"),
                                          self->transfer_target));
      return;
    }
  if (frag < 200)
    return;
  if (frag >= 300)
    {
      transfer_failed (self, g_error_new (TRV_ERROR, TRV_ERROR_REJECTED,
                                          _("the transfer to %s failed (SIP %u %s)"),
                                          self->transfer_target, frag, phrase));
      return;
    }
  g_free (self->transferred_to);
  self->transferred_to = g_strdup (self->transfer_target);
  g_signal_emit (self, transfer_signals[SIGNAL_TRANSFERRED], 0, self->transferred_to, NULL);
  /* RFC 5589 6.1: the transferee talks to the target now; our part ends. */
  _trv_call_attended_done (self);
  trv_call_hangup (self);
}

/* --- transferee ------------------------------------------------------------------- */

static void
send_sipfrag (TrvCall *self, guint status, gboolean final)
{
  if (self->refer_event == NULL || self->nh == NULL)
    return;
  const char *phrase = sip_status_phrase ((int) status);
  g_autofree gchar *frag = g_strdup_printf ("SIP/2.0 %u %s\r\n", status, phrase ? phrase : "");
  g_debug ("call %s: transfer NOTIFY %u%s", self->remote_uri, status, final ? " (final)" : "");
  nua_notify (self->nh,
              SIPTAG_EVENT_STR (self->refer_event),
              NUTAG_SUBSTATE (final ? nua_substate_terminated : nua_substate_active),
              SIPTAG_CONTENT_TYPE_STR ("message/sipfrag;version=2.0"),
              SIPTAG_PAYLOAD_STR (frag),
              TAG_END ());
  if (final)
    g_clear_pointer (&self->refer_event, g_free);
}

static void
refuse_refer (TrvCall *self, nua_t *nua, int status, const char *phrase, const char *why)
{
  g_debug ("call %s: REFER refused with %d: %s", self->remote_uri, status, why);
  nua_respond (self->nh, status, phrase, NUTAG_WITH_CURRENT (nua), TAG_END ());
}

gchar *
_trv_call_accept_refer (TrvCall *self, nua_t *nua, int status, const sip_t *sip,
                        tagi_t tags[], gchar **replaces)
{
  *replaces = NULL;
  if (status >= 200)
    return NULL;      /* sofia answered it already */
  if (!_trv_call_is_established (self))
    {
      refuse_refer (self, nua, SIP_403_FORBIDDEN, "not in an established call");
      return NULL;
    }
  if (self->transfer_call != NULL || self->refer_event != NULL || self->transfer_target)
    {
      refuse_refer (self, nua, SIP_491_REQUEST_PENDING, "a transfer is under way");
      return NULL;
    }
  const sip_refer_to_t *to = sip ? sip->sip_refer_to : NULL;
  if (to == NULL || to->r_url->url_type == url_invalid ||
      (to->r_url->url_type == url_unknown && to->r_url->url_scheme == NULL))
    {
      refuse_refer (self, nua, 400, "Bad Refer-To", "no usable Refer-To");
      return NULL;
    }
  if (to->r_url->url_type != url_sip && to->r_url->url_type != url_sips &&
      to->r_url->url_type != url_tel)
    {
      refuse_refer (self, nua, 403, "Forbidden Transfer Target", "not sip:, sips: or tel:");
      return NULL;
    }
  if (!is_callable_url (to->r_url))
    {
      refuse_refer (self, nua, 400, "Bad Refer-To", "no host or number");
      return NULL;
    }
  g_autofree gchar *replacing = NULL;
  if (!_trv_uri_replaces (to->r_url, &replacing))
    {
      refuse_refer (self, nua, 400, "Bad Replaces", "a malformed Replaces in Refer-To");
      return NULL;
    }
  sip_event_t const *event = NULL;
  tl_gets (tags, NUTAG_REFER_EVENT_REF (event), TAG_END ());
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = url_hdup (home, to->r_url);
  url->url_headers = NULL;
  gchar *target = g_strdup (url_as_string (home, url));
  char *event_text = event ? sip_header_as_string (home, (sip_header_t const *) event) : NULL;
  self->refer_event = g_strdup (event_text ? event_text : "refer");
  su_home_deinit (home);

  g_debug ("call %s: REFER to %s accepted%s%s", self->remote_uri, target,
           replacing ? ", replacing " : "", replacing ? replacing : "");
  *replaces = g_steal_pointer (&replacing);
  nua_respond (self->nh, SIP_202_ACCEPTED, NUTAG_WITH_CURRENT (nua), TAG_END ());
  send_sipfrag (self, 100, FALSE);
  return target;
}

static gboolean
on_bye_wait_over (gpointer data)
{
  TrvCall *self = data;
  self->transfer_source = 0;
  g_debug ("call %s: the transferor did not hang up: BYE", self->remote_uri);
  trv_call_hangup (self);
  return G_SOURCE_REMOVE;
}

static void
on_transfer_call_state (TrvCall *next, TrvCallState old_state, TrvCall *self)
{
  /* Only 100 and the final status are reported (RFC 5589 6.1); ringing is no news to
   * the transferor, which waits for the outcome. */
  TrvCallState state = trv_call_get_state (next);
  if (state == TRV_CALL_STATE_ACTIVE || state == TRV_CALL_STATE_HELD)
    {
      send_sipfrag (self, 200, TRUE);
      g_free (self->transferred_to);
      self->transferred_to = g_strdup (self->transfer_target);
      g_signal_handlers_disconnect_by_data (next, self);
      if (self->state != TRV_CALL_STATE_ENDED && self->transfer_source == 0)
        self->transfer_source = g_timeout_add_seconds (TRANSFEREE_BYE_WAIT_S,
                                                       on_bye_wait_over, self);
    }
  else if (state == TRV_CALL_STATE_ENDED)
    {
      guint status = trv_call_get_sip_status (next);
      send_sipfrag (self, status >= 300 ? status : 503, TRUE);
      g_signal_handlers_disconnect_by_data (next, self);
      g_clear_object (&self->transfer_call);
      g_clear_pointer (&self->transfer_target, g_free);
    }
}

void
_trv_call_follow_transfer (TrvCall *self, const char *target, TrvCall *next,
                           const GError *error)
{
  if (next == NULL)
    {
      g_debug ("call %s: cannot call the transfer target %s: %s", self->remote_uri, target,
               error ? error->message : "?");
      send_sipfrag (self, 503, TRUE);
      return;
    }
  self->transfer_target = g_strdup (target);
  self->transfer_call = g_object_ref (next);
  g_signal_connect (next, "state-changed", G_CALLBACK (on_transfer_call_state), self);
  g_signal_emit (self, transfer_signals[SIGNAL_TRANSFERRED], 0, target, next);
}
