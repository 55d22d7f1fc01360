/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-candidates.c: the ICE intake. The input is a peer's SDP answer; what offer/answer
 * accepts goes on to the ICE transport as remote credentials and candidates, the way a call
 * hands them over. The transport gathers on 127.0.0.1 only and is closed before the main
 * context runs again, so no connectivity check is ever sent, let alone off this machine
 * (a socket bound to loopback cannot reach another address anyway). */
#include <glib.h>

#include "fuzz-common.h"
#include <stdint.h>

#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-offer-answer.h"

typedef struct {
  gboolean done;
  gboolean ok;
} Prepared;

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  Prepared *p = data;
  p->ok = trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, NULL);
  p->done = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static TrvMediaConfig *media;
  if (media == NULL)
    media = trv_media_config_new ();
  g_autofree gchar *text = g_strndup ((const char *) data, size);

  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_ICE, NULL, "127.0.0.1",
                                                          NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (t), TRUE);
  Prepared p = { 0 };
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add (5000, on_timeout, &timed_out);
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  while (!p.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timer);
  g_assert_true (p.done && p.ok);

  g_autoptr(TrvMediaEndpoint) local = trv_media_endpoint_new ();
  trv_media_transport_describe (t, local);
  g_autofree gchar *offer = trv_offer_answer_create_offer (media, local, TRV_DIRECTION_SENDRECV,
                                                           1, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNegotiation) n = trv_offer_answer_parse_answer (offer, text, &error);
  if (n != NULL)
    {
      g_autoptr(GError) remote_error = NULL;
      if (!trv_media_transport_set_remote (t, n->remote, n->remote->rtcp_mux, &remote_error))
        g_assert_true (remote_error != NULL && remote_error->domain == TRV_ERROR);
    }
  trv_media_transport_close (t);
  return 0;
}
