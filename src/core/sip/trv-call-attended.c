/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-attended.c: what attended transfer (RFC 5589 7) adds to a blind one: the
 * transferor's REFER names the consulted call's dialog in Replaces (RFC 3891), and the
 * transferee's INVITE to the target carries it. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-call-private.h"
#include "trv-error.h"

/* --- transferor ------------------------------------------------------------------- */

void
_trv_call_set_consultation (TrvCall *self, TrvCall *consultation)
{
  g_set_object (&self->consultation, consultation);
  consultation->is_consultation = TRUE;
  g_debug ("call %s: consulting %s", self->remote_uri, consultation->remote_uri);
}

TrvCall *
trv_call_get_consultation (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), NULL);
  if (self->consultation == NULL || self->consultation->state == TRV_CALL_STATE_ENDED)
    return NULL;
  return self->consultation;
}

gboolean
trv_call_is_consultation (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  return self->is_consultation;
}

gboolean
trv_call_transfer_to_call (TrvCall *self, TrvCall *target_call, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  g_return_val_if_fail (TRV_IS_CALL (target_call), FALSE);
  if (!_trv_call_check_transfer (self, error))
    return FALSE;
  if (target_call == self || !_trv_call_is_established (target_call))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("cannot transfer: the call to the target is not established"));
      return FALSE;
    }
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_replaces_t *rp = nua_handle_make_replaces (target_call->nh, home, 0);
  url_t *url = url_make (home, target_call->remote_uri);
  if (rp == NULL || url == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED,
                   _("cannot transfer: the call to the target has no dialog to replace"));
      return FALSE;
    }
  /* <target?Replaces=call-id%3Bfrom-tag%3D...>: the dialog as we see it; the target
   * reads our tag as the from-tag (RFC 3891 3). */
  url->url_headers = sip_headers_as_url_query (home, SIPTAG_REPLACES (rp), TAG_END ());
  g_autofree gchar *refer_to = g_strdup_printf ("<%s>", url_as_string (home, url));
  su_home_deinit (home);
  if (self->consultation != target_call)
    g_set_object (&self->consultation, target_call);
  self->attended = TRUE;
  _trv_call_send_refer (self, target_call->remote_uri, refer_to);
  return TRUE;
}

gboolean
trv_call_complete_transfer (TrvCall *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  TrvCall *consultation = trv_call_get_consultation (self);
  if (consultation == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("cannot complete the transfer: there is no call to the target"));
      return FALSE;
    }
  return trv_call_transfer_to_call (self, consultation, error);
}

void
_trv_call_attended_done (TrvCall *self)
{
  /* The target ends the replaced call itself (RFC 3891 3); one that does not would
   * leave us in a call nobody speaks in. */
  if (!self->attended || self->consultation == NULL ||
      self->consultation->state == TRV_CALL_STATE_ENDED)
    return;
  g_debug ("call %s: transferred, ending the consultation with %s", self->remote_uri,
           self->consultation->remote_uri);
  trv_call_hangup (self->consultation);
}

void
_trv_call_attended_dispose (TrvCall *self)
{
  g_clear_object (&self->consultation);
  g_clear_pointer (&self->replaces, g_free);
}

/* --- transferee ------------------------------------------------------------------- */

gboolean
_trv_uri_replaces (const url_t *url, gchar **value)
{
  *value = NULL;
  if (url->url_headers == NULL)
    return TRUE;
  g_auto(GStrv) fields = g_strsplit (url->url_headers, "&", -1);
  for (guint i = 0; fields[i]; i++)
    {
      gchar *eq = strchr (fields[i], '=');
      if (eq == NULL || (gsize) (eq - fields[i]) != strlen ("Replaces") ||
          g_ascii_strncasecmp (fields[i], "Replaces", strlen ("Replaces")) != 0)
        continue;
      gchar *text = eq + 1;
      url_unescape (text, text);
      su_home_t home[1] = { SU_HOME_INIT (home) };
      sip_replaces_t *rp = sip_replaces_make (home, text);
      gboolean ok = rp != NULL && rp->rp_call_id && *rp->rp_call_id &&
                    rp->rp_from_tag && rp->rp_to_tag;
      su_home_deinit (home);
      if (!ok)
        return FALSE;
      *value = g_strdup (text);
      return TRUE;
    }
  return TRUE;
}

void
_trv_call_set_replaces (TrvCall *self, const char *replaces)
{
  g_free (self->replaces);
  self->replaces = g_strdup (replaces);
}
