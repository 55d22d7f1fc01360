/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-negotiation.c: the value types offer/answer produces and transport and media consume:
 * media directions, a media endpoint, a negotiation result. */
#include "config.h"

#include "trv-negotiation.h"

#include <string.h>

/* --- directions ------------------------------------------------------------------------ */

gboolean
trv_direction_can_send (TrvDirection d)
{
  return d == TRV_DIRECTION_SENDRECV || d == TRV_DIRECTION_SENDONLY;
}

gboolean
trv_direction_can_receive (TrvDirection d)
{
  return d == TRV_DIRECTION_SENDRECV || d == TRV_DIRECTION_RECVONLY;
}

static TrvDirection
direction_from_flags (gboolean send, gboolean recv)
{
  if (send && recv)
    return TRV_DIRECTION_SENDRECV;
  if (send)
    return TRV_DIRECTION_SENDONLY;
  if (recv)
    return TRV_DIRECTION_RECVONLY;
  return TRV_DIRECTION_INACTIVE;
}

/* We may send only what the other side is willing to receive, and the reverse. */
TrvDirection
trv_direction_answer (TrvDirection offered, TrvDirection wanted)
{
  return direction_from_flags (trv_direction_can_receive (offered) && trv_direction_can_send (wanted),
                               trv_direction_can_send (offered) && trv_direction_can_receive (wanted));
}

/* --- boxed-ish structs ----------------------------------------------------------------- */

TrvMediaEndpoint *
trv_media_endpoint_new (void)
{
  return g_new0 (TrvMediaEndpoint, 1);
}

void
trv_media_endpoint_free (TrvMediaEndpoint *ep)
{
  if (ep == NULL)
    return;
  g_free (ep->address);
  g_free (ep->ice_ufrag);
  g_free (ep->ice_pwd);
  g_clear_pointer (&ep->ice_candidates, g_ptr_array_unref);
  g_free (ep->crypto_suite);
  g_free (ep->crypto_key);
  g_free (ep);
}

static gpointer
copy_string (gconstpointer src, gpointer data)
{
  return g_strdup (src);
}

TrvMediaEndpoint *
trv_media_endpoint_copy (const TrvMediaEndpoint *ep)
{
  if (ep == NULL)
    return NULL;
  TrvMediaEndpoint *copy = g_new0 (TrvMediaEndpoint, 1);
  *copy = *ep;
  copy->address = g_strdup (ep->address);
  copy->ice_ufrag = g_strdup (ep->ice_ufrag);
  copy->ice_pwd = g_strdup (ep->ice_pwd);
  if (ep->ice_candidates)
    {
      copy->ice_candidates = g_ptr_array_copy (ep->ice_candidates, copy_string, NULL);
      g_ptr_array_set_free_func (copy->ice_candidates, g_free);
    }
  copy->crypto_suite = g_strdup (ep->crypto_suite);
  copy->crypto_key = g_strdup (ep->crypto_key);
  return copy;
}

TrvNegotiation *
trv_negotiation_new (void)
{
  TrvNegotiation *n = g_new0 (TrvNegotiation, 1);
  n->send_dtmf_pt = -1;
  n->recv_dtmf_pt = -1;
  n->ptime = TRV_SDP_PTIME;
  n->direction = TRV_DIRECTION_SENDRECV;
  n->remote = trv_media_endpoint_new ();
  return n;
}

void
trv_negotiation_free (TrvNegotiation *n)
{
  if (n == NULL)
    return;
  g_free (n->send_fmtp);
  trv_media_endpoint_free (n->remote);
  g_free (n->local_crypto_key);
  g_free (n);
}

TrvNegotiation *
trv_negotiation_copy (const TrvNegotiation *n)
{
  if (n == NULL)
    return NULL;
  TrvNegotiation *copy = g_new0 (TrvNegotiation, 1);
  *copy = *n;
  copy->send_fmtp = g_strdup (n->send_fmtp);
  copy->remote = trv_media_endpoint_copy (n->remote);
  copy->local_crypto_key = g_strdup (n->local_crypto_key);
  return copy;
}
