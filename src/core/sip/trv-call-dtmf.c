/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-dtmf.c: sending DTMF on a call: RFC 4733 in the media, SIP INFO otherwise. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "trv-call-private.h"   /* first: it sets sofia's magic types */
#include "trv-error.h"

gboolean
trv_call_send_dtmf (TrvCall *self, const char *digits, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  /* Early media carries RFC 4733 events like the call does (an IVR before the answer);
   * SIP INFO waits for the dialog. */
  gboolean early = self->state == TRV_CALL_STATE_RINGING && self->early_answer != NULL &&
                   self->media != NULL && trv_media_session_can_send_dtmf (self->media);
  if (self->state != TRV_CALL_STATE_ACTIVE && self->state != TRV_CALL_STATE_HELD && !early)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("DTMF needs an established call, or early media with RFC 4733 "
                     "telephone-events"));
      return FALSE;
    }
  for (const char *p = digits; *p; p++)
    if (trv_dtmf_event_of (*p) < 0)
      {
        g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                     _("'%c' is not a DTMF digit (0-9, *, #, A-D)"), *p);
        return FALSE;
      }
  if (self->media && trv_media_session_can_send_dtmf (self->media))
    return trv_media_session_send_dtmf (self->media, digits, error);
  /* The peer offered no telephone-event: fall back to SIP INFO. */
  for (const char *p = digits; *p; p++)
    g_string_append_c (self->info_queue, g_ascii_toupper (*p));
  _trv_call_send_next_info (self);
  return TRUE;
}
