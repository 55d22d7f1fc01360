/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TrvIceTransport on loopback: two in-process agents run real ICE checks. */
#include <gst/gst.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-udp-transport.h"
#include "trv-net.h"
#include "trv-fake-resolver.h"
#include "trv-test-util.h"

#define WAIT_LIMIT_MS 15000

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} Prepared;

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  Prepared *p = data;
  p->ok = trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &p->error);
  p->done = TRUE;
}

static void
on_restarted (GObject *source, GAsyncResult *result, gpointer data)
{
  Prepared *p = data;
  p->ok = trv_ice_transport_restart_finish (TRV_ICE_TRANSPORT (source), result, &p->error);
  p->done = TRUE;
}

static gboolean
prepared_done (gpointer data)
{
  return ((Prepared *) data)->done;
}

/* Prepares and returns the error (NULL on success). */
static GError *
prepare (TrvMediaTransport *t)
{
  Prepared p = { 0 };
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  g_assert_true (trv_test_wait_for (prepared_done, &p, WAIT_LIMIT_MS));
  g_assert_true (p.ok == (p.error == NULL));
  return p.error;
}

static void
endpoint_clear (TrvMediaEndpoint *ep)
{
  g_free (ep->address);
  g_free (ep->ice_ufrag);
  g_free (ep->ice_pwd);
  if (ep->ice_candidates)
    g_ptr_array_unref (ep->ice_candidates);
  memset (ep, 0, sizeof *ep);
}

/* SIP bodies end lines with CRLF: a sloppy SDP reader leaves the \r on values. */
static void
add_crlf_leftovers (TrvMediaEndpoint *ep)
{
  gchar *u = g_strconcat (ep->ice_ufrag, "\r", NULL);
  g_free (ep->ice_ufrag);
  ep->ice_ufrag = u;
  for (guint i = 0; i < ep->ice_candidates->len; i++)
    {
      gchar *c = g_strconcat (ep->ice_candidates->pdata[i], "\r\n", NULL);
      g_free (ep->ice_candidates->pdata[i]);
      ep->ice_candidates->pdata[i] = c;
    }
}

static gboolean
has_path (gpointer t)
{
  return trv_media_transport_get_local_type (t) != TRV_PATH_UNKNOWN;
}

/* Sends RTP-sized packets through `sink_t` and counts what arrives at `src_t`. */
typedef struct {
  GstElement *tx;
  GstElement *rx;
  guint received;
  guint pushed;     /* handed to the sender */
} Media;

static GstPadProbeReturn
on_pushed (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  g_atomic_int_inc (&((Media *) data)->pushed);
  return GST_PAD_PROBE_OK;
}

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, Media *m)
{
  g_atomic_int_inc (&m->received);
}

static void
media_start (Media *m, TrvMediaTransport *from, TrvMediaTransport *to)
{
  g_autoptr(GError) error = NULL;
  m->tx = gst_parse_launch ("audiotestsrc is-live=true samplesperbuffer=160 ! "
                            "audio/x-raw,rate=8000,channels=1 ! mulawenc ! "
                            "rtppcmupay name=pay", &error);
  g_assert_no_error (error);
  GstElement *sink = trv_media_transport_create_sink (from, TRV_COMPONENT_RTP);
  g_assert_nonnull (sink);
  gst_bin_add (GST_BIN (m->tx), sink);
  g_autoptr(GstElement) pay = gst_bin_get_by_name (GST_BIN (m->tx), "pay");
  g_assert_true (gst_element_link (pay, sink));
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_pushed, m, NULL);

  m->rx = gst_pipeline_new (NULL);
  GstElement *src = trv_media_transport_create_src (to, TRV_COMPONENT_RTP);
  g_assert_nonnull (src);
  GstElement *fake = gst_element_factory_make ("fakesink", NULL);
  g_object_set (fake, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE, NULL);
  g_signal_connect (fake, "handoff", G_CALLBACK (on_handoff), m);
  gst_bin_add_many (GST_BIN (m->rx), src, fake, NULL);
  g_assert_true (gst_element_link (src, fake));
  g_assert_cmpint (gst_element_set_state (m->rx, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_element_set_state (m->tx, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
}

static void
media_stop (Media *m)
{
  gst_element_set_state (m->tx, GST_STATE_NULL);
  gst_element_set_state (m->rx, GST_STATE_NULL);
  g_clear_object (&m->tx);
  g_clear_object (&m->rx);
}

typedef struct {
  Media *m;
  guint want;
} Progress;

static gboolean
media_flowed_more (gpointer data)
{
  Progress *p = data;
  return (guint) g_atomic_int_get (&p->m->received) >= p->want;
}

static gboolean
media_flowed (gpointer data)
{
  return g_atomic_int_get (&((Media *) data)->received) >= 25;
}

static void
test_loopback_checks (void)
{
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_ICE, NULL, "127.0.0.1", NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_ICE, NULL, "127.0.0.1", NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  g_assert_no_error (prepare (b));

  /* ICE mode without servers still works; the missing servers are reported. */
  GPtrArray *warnings = trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (a));
  g_assert_cmpuint (warnings->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, warnings->len - 1), "STUN"));
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_GATHERED);
  g_assert_cmpint (trv_ice_transport_get_gathering_ms (TRV_ICE_TRANSPORT (a)), >=, 0);

  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_assert_cmpstr (da.address, ==, "127.0.0.1");
  g_assert_cmpuint (da.port, >, 0);
  g_assert_true (da.rtcp_mux);
  g_assert_nonnull (da.ice_ufrag);
  g_assert_nonnull (da.ice_pwd);
  /* One host candidate per component, no "a=" prefix. */
  g_assert_cmpuint (da.ice_candidates->len, ==, 2);
  for (guint i = 0; i < da.ice_candidates->len; i++)
    {
      const char *c = da.ice_candidates->pdata[i];
      g_assert_true (g_str_has_prefix (c, "candidate:"));
      g_assert_nonnull (strstr (c, "typ host"));
    }

  add_crlf_leftovers (&da);
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_transport_set_remote (b, &da, TRUE, &error));
  g_assert_no_error (error);

  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (has_path, b, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_media_transport_get_local_type (a), ==, TRV_PATH_HOST);
  g_assert_cmpint (trv_media_transport_get_remote_type (a), ==, TRV_PATH_HOST);
  g_assert_cmpint (trv_media_transport_get_local_type (b), ==, TRV_PATH_HOST);
  g_autofree gchar *a_addr = g_strdup_printf ("127.0.0.1:%u", da.port);
  g_autofree gchar *b_addr = g_strdup_printf ("127.0.0.1:%u", db.port);
  g_assert_cmpstr (trv_media_transport_get_local_address (a), ==, a_addr);
  g_assert_cmpstr (trv_media_transport_get_remote_address (a), ==, b_addr);
  g_assert_cmpstr (trv_media_transport_get_protocol (a), ==, "udp");
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_CONNECTED);
  g_assert_cmpint (trv_ice_transport_get_checks_ms (TRV_ICE_TRANSPORT (a)), >=, 0);

  /* A re-INVITE with the same credentials (hold) changes nothing. */
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_CONNECTED);

  /* Media both ways over nicesink -> nicesrc. */
  Media ab = { 0 }, ba = { 0 };
  media_start (&ab, a, b);
  media_start (&ba, b, a);
  g_assert_true (trv_test_wait_for (media_flowed, &ab, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (media_flowed, &ba, WAIT_LIMIT_MS));
  media_stop (&ba);
  /* What libnice took is counted as sent: at least what arrived. */
  g_assert_cmpint (trv_media_transport_get_rtp_sent (b), >=, ba.received);

  /* Restart: while the new stream gathers, describe() still gives the session in use
   * (a re-INVITE from the peer in that window is answered consistently) and the
   * peer's unchanged side is accepted; then the new credentials and sockets. */
  TrvMediaEndpoint cur = { 0 }, mid = { 0 }, fresh = { 0 };
  trv_media_transport_describe (a, &cur);
  Prepared r = { 0 };
  trv_ice_transport_restart_async (TRV_ICE_TRANSPORT (a), NULL, on_restarted, &r);
  trv_media_transport_describe (a, &mid);
  g_assert_cmpstr (mid.ice_ufrag, ==, cur.ice_ufrag);
  g_assert_cmpuint (mid.port, ==, cur.port);
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (prepared_done, &r, WAIT_LIMIT_MS));
  g_assert_true (r.ok);
  /* The new stream has no pair (b never learns a's new credentials here): a goes on
   * sending over the old one, which still works. */
  guint at_switch = (guint) g_atomic_int_get (&ab.received);
  Media *abp = &ab;
  g_assert_true (trv_test_wait_for (media_flowed_more, &(Progress) { abp, at_switch + 25 },
                                    WAIT_LIMIT_MS));
  media_stop (&ab);
  g_assert_cmpint (trv_media_transport_get_rtp_sent (a), >=, ab.received);
  trv_media_transport_describe (a, &fresh);
  g_assert_cmpstr (fresh.ice_ufrag, !=, cur.ice_ufrag);
  g_assert_cmpuint (fresh.port, !=, cur.port);
  endpoint_clear (&cur);
  endpoint_clear (&mid);
  endpoint_clear (&fresh);

  trv_media_transport_close (a);
  trv_media_transport_close (a);   /* idempotent */
  trv_media_transport_close (b);
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_CLOSED);
  endpoint_clear (&da);
  endpoint_clear (&db);
}

/* Receives one datagram while the main loop runs (libnice works on it, e.g. TURN
 * permissions before relayed data leaves). */
static gssize
receive_iterating (GSocket *socket, gchar *buf, gsize size)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      gssize n = g_socket_receive_with_blocking (socket, buf, size, FALSE, NULL, NULL);
      if (n > 0)
        return n;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return -1;
}

/* A peer without ICE attributes (plain RTP, e.g. an old phone): media goes to its
 * m=/c= address and comes back to our default candidate. */
static void
plain_peer_exchange (TrvMediaTransport *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) peer = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (peer, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (peer, &error);
  guint16 peer_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  TrvMediaEndpoint da = { 0 };
  trv_media_transport_describe (a, &da);
  TrvMediaEndpoint plain = { 0 };
  plain.address = g_strdup ("127.0.0.1");
  plain.port = peer_port;
  g_assert_true (trv_media_transport_set_remote (a, &plain, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_autofree gchar *peer_addr = g_strdup_printf ("127.0.0.1:%u", peer_port);
  g_assert_cmpstr (trv_media_transport_get_remote_address (a), ==, peer_addr);

  /* Our RTP reaches the plain peer... */
  Media m = { 0 };
  g_autoptr(GError) perr = NULL;
  m.tx = gst_parse_launch ("audiotestsrc is-live=true samplesperbuffer=160 ! "
                           "audio/x-raw,rate=8000,channels=1 ! mulawenc ! "
                           "rtppcmupay name=pay", &perr);
  g_assert_no_error (perr);
  GstElement *sink = trv_media_transport_create_sink (a, TRV_COMPONENT_RTP);
  gst_bin_add (GST_BIN (m.tx), sink);
  g_autoptr(GstElement) pay = gst_bin_get_by_name (GST_BIN (m.tx), "pay");
  g_assert_true (gst_element_link (pay, sink));
  m.rx = gst_pipeline_new (NULL);
  GstElement *src = trv_media_transport_create_src (a, TRV_COMPONENT_RTP);
  GstElement *fake = gst_element_factory_make ("fakesink", NULL);
  g_object_set (fake, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE, NULL);
  g_signal_connect (fake, "handoff", G_CALLBACK (on_handoff), &m);
  gst_bin_add_many (GST_BIN (m.rx), src, fake, NULL);
  g_assert_true (gst_element_link (src, fake));
  gst_element_set_state (m.rx, GST_STATE_PLAYING);
  gst_element_set_state (m.tx, GST_STATE_PLAYING);

  gchar buf[1500];
  gssize n = receive_iterating (peer, buf, sizeof buf);
  g_assert_cmpint (n, ==, 12 + 160);
  g_assert_cmpint ((guchar) buf[0] >> 6, ==, 2);   /* RTP version 2 */

  /* ...and what it sends to our m=/c= address arrives at nicesrc, also from another
   * port than its SDP says (a peer behind NAT): pre-ICE SIP accepts any source. */
  g_autoptr(GSocket) natted = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_true (g_socket_bind (natted, any, FALSE, &error));
  g_autoptr(GInetAddress) ours = g_inet_address_new_from_string (da.address);
  g_autoptr(GSocketAddress) dest = g_inet_socket_address_new (ours, da.port);
  for (guint i = 0; i < 40; i++)
    {
      g_assert_cmpint (g_socket_send_to (natted, dest, buf, n, NULL, &error), ==, n);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_true (trv_test_wait_for (media_flowed, &m, WAIT_LIMIT_MS));
  media_stop (&m);
  endpoint_clear (&da);
  endpoint_clear (&plain);
}

static void
test_plain_peer (void)
{
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_STUN, NULL, "127.0.0.1",
                                                          "127.0.0.1");
  g_assert_no_error (prepare (a));
  plain_peer_exchange (a);
  g_assert_cmpint (trv_media_transport_get_local_type (a), ==, TRV_PATH_HOST);
  trv_media_transport_close (a);
}

static void
on_failed (TrvIceTransport *t, GError *error, GError **out)
{
  g_assert_null (*out);
  *out = g_error_copy (error);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* Checks toward a candidate that never answers end in a specific error. */
static void
test_checks_fail (void)
{
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  GError *failed = NULL;
  g_signal_connect (a, "failed", G_CALLBACK (on_failed), &failed);

  /* A UDP port that is bound (so no ICMP error) but never answers STUN. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) mute = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (mute, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (mute, &error);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  TrvMediaEndpoint remote = { 0 };
  remote.address = g_strdup ("127.0.0.1");
  remote.port = port;
  remote.ice_ufrag = g_strdup ("abcd");
  remote.ice_pwd = g_strdup ("0123456789012345678901");
  remote.ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (remote.ice_candidates,
                   g_strdup_printf ("candidate:1 1 UDP 2013266431 127.0.0.1 %u typ host", port));
  /* An unreadable candidate is skipped with a warning, not fatal. */
  g_ptr_array_add (remote.ice_candidates, g_strdup ("candidate:garbage"));
  g_assert_true (trv_media_transport_set_remote (a, &remote, TRUE, &error));
  g_assert_no_error (error);
  GPtrArray *warnings = trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (a));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, warnings->len - 1), "unreadable"));

  g_assert_true (trv_test_wait_for (error_set, &failed, 40000));
  g_assert_error (failed, TRV_ERROR, TRV_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (failed->message, "no media path: ICE connectivity checks failed"));
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_FAILED);
  g_clear_error (&failed);
  trv_media_transport_close (a);
  endpoint_clear (&remote);
}

static void
test_bad_remote (void)
{
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  g_autoptr(GError) error = NULL;
  TrvMediaEndpoint remote = { 0 };
  remote.address = g_strdup ("127.0.0.1");
  remote.port = 4000;

  /* Before prepare: a state error, not a crash. */
  g_assert_false (trv_media_transport_set_remote (a, &remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_no_error (prepare (a));
  remote.ice_ufrag = g_strdup ("abcd");
  remote.ice_pwd = g_strdup ("0123456789012345678901");
  remote.ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (remote.ice_candidates, g_strdup ("candidate:nonsense here"));
  g_assert_false (trv_media_transport_set_remote (a, &remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  g_clear_error (&error);

  /* Plain peer with an address that is no IP literal. */
  TrvMediaEndpoint plain = { 0 };
  plain.address = g_strdup ("not-an-ip");
  plain.port = 4000;
  g_assert_false (trv_media_transport_set_remote (a, &plain, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  endpoint_clear (&remote);
  endpoint_clear (&plain);
}

static void
test_mode_errors (void)
{
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();

  /* turn without credentials */
  nat->turn_server = g_strdup ("127.0.0.1:3478");
  g_autoptr(TrvMediaTransport) t1 = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1", NULL);
  GError *error = prepare (t1);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "nat.turn-username"));
  g_clear_error (&error);

  /* turn with credentials but no server and nothing to discover from */
  g_clear_pointer (&nat->turn_server, g_free);
  nat->turn_username = g_strdup ("u");
  nat->turn_password = g_strdup ("p");
  g_autoptr(TrvMediaTransport) t2 = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                           "127.0.0.1");
  error = prepare (t2);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (error->message, "TURN server"));
  g_clear_error (&error);

  /* auto needs a probe first */
  g_autoptr(TrvMediaTransport) t3 = trv_ice_transport_new (TRV_NAT_MODE_AUTO, nat, "127.0.0.1", NULL);
  error = prepare (t3);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  /* preparing twice */
  g_autoptr(TrvMediaTransport) t4 = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  g_assert_no_error (prepare (t4));
  error = prepare (t4);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);
  g_clear_error (&error);
}

/* --- TURN against a coturn the test starts on loopback --------------------------- */

typedef struct {
  GSubprocess *server;
  guint16 port;
  guint min_port;   /* relay ports: min_port .. min_port + 99 */
  gchar *log;       /* coturn's log file */
  gchar *address;   /* "127.0.0.1:port" */
} Turn;

static gboolean
turn_listening (gpointer data)
{
  Turn *t = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn =
    g_socket_client_connect_to_host (client, "127.0.0.1", t->port, NULL, NULL);
  if (conn == NULL)
    g_usleep (20000);
  return conn != NULL;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* FALSE (test skipped) when coturn is not installed. */
static gboolean
turn_start (Turn *t)
{
  g_autofree gchar *prog = g_find_program_in_path ("turnserver");
  if (prog == NULL)
    {
      g_test_skip ("coturn (turnserver) is not installed");
      return FALSE;
    }
  g_autoptr(GError) error = NULL;
  t->port = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  t->address = g_strdup_printf ("127.0.0.1:%u", t->port);
  /* Relay ports from a range of our own; loopback peers are what this test relays to. */
  guint min_port = t->min_port = 20000 + g_random_int_range (0, 200) * 100;
  g_autofree gchar *port = g_strdup_printf ("%u", t->port);
  g_autofree gchar *min = g_strdup_printf ("%u", min_port);
  g_autofree gchar *max = g_strdup_printf ("%u", min_port + 99);
  g_autofree gchar *dir = g_dir_make_tmp ("trv-turn-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *pidfile = g_build_filename (dir, "turnserver.pid", NULL);
  t->log = g_build_filename (dir, "turnserver.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* If an assertion aborts this test, the server must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  t->server = g_subprocess_launcher_spawn (launcher, &error,
                                           prog, "-n", "--listening-ip", "127.0.0.1",
                                           "--relay-ip", "127.0.0.1", "--listening-port", port,
                                           "--lt-cred-mech", "--user", "alice:secret",
                                           "--realm", "traverse.test", "--allow-loopback-peers",
                                           "--no-cli", "--no-tls", "--no-dtls",
                                           "--min-port", min, "--max-port", max,
                                           "--pidfile", pidfile, "--log-file", t->log,
                                           "--simple-log", "--verbose", NULL);
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (turn_listening, t, 5000));
  return TRUE;
}

static void
turn_stop (Turn *t)
{
  if (t->server)
    {
      g_subprocess_force_exit (t->server);
      g_subprocess_wait (t->server, NULL, NULL);
      g_clear_object (&t->server);
    }
  g_clear_pointer (&t->address, g_free);
  if (t->log)
    {
      g_autofree gchar *dir = g_path_get_dirname (t->log);
      g_autofree gchar *pidfile = g_build_filename (dir, "turnserver.pid", NULL);
      g_unlink (t->log);
      g_unlink (pidfile);
      g_rmdir (dir);
      g_clear_pointer (&t->log, g_free);
    }
}

/* Allocations coturn saw released (a Refresh with lifetime 0, RFC 8656 7.1). */
static guint
turn_released (Turn *t)
{
  g_autofree gchar *text = NULL;
  if (!g_file_get_contents (t->log, &text, NULL, NULL))
    return 0;
  guint n = 0;
  for (const char *p = text; (p = strstr (p, "refreshed, realm")) != NULL; p++)
    if (strncmp (strstr (p, "lifetime=") ? strstr (p, "lifetime=") : "", "lifetime=0\n", 11) == 0)
      n++;
  return n;
}

static gboolean
turn_both_released (gpointer data)
{
  return turn_released (data) >= 2;
}

static TrvNatConfig *
turn_config (Turn *t, TrvTurnTransport transport, const char *password)
{
  TrvNatConfig *nat = trv_nat_config_new ();
  nat->turn_server = g_strdup (t->address);
  nat->turn_transport = transport;
  nat->turn_username = g_strdup ("alice");
  nat->turn_password = g_strdup (password);
  return nat;
}

/* turn mode: only relayed candidates are offered and the path is the relay. */
static void
run_turn_only (TrvTurnTransport transport)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = turn_config (&turn, transport, "secret");
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1", NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  g_assert_no_error (prepare (b));

  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_assert_cmpuint (da.ice_candidates->len, ==, 2);
  for (guint i = 0; i < da.ice_candidates->len; i++)
    g_assert_nonnull (strstr (da.ice_candidates->pdata[i], "typ relay"));
  /* The default candidate (m=/c=) is the relay, not our host address. */
  g_assert_cmpstr (da.address, ==, "127.0.0.1");
  g_assert_cmpuint (da.port, >=, turn.min_port);
  g_assert_cmpuint (da.port, <=, turn.min_port + 99);

  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_true (trv_media_transport_set_remote (b, &da, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_media_transport_get_local_type (a), ==, TRV_PATH_RELAY);
  g_assert_cmpstr (trv_media_transport_get_protocol (a), ==,
                   transport == TRV_TURN_TRANSPORT_TCP ? "tcp" : "udp");
  g_autofree gchar *relay = g_strdup_printf ("127.0.0.1:%u", da.port);
  g_assert_cmpstr (trv_media_transport_get_local_address (a), ==, relay);

  Media ab = { 0 }, ba = { 0 };
  media_start (&ab, a, b);
  media_start (&ba, b, a);
  g_assert_true (trv_test_wait_for (media_flowed, &ab, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (media_flowed, &ba, WAIT_LIMIT_MS));
  media_stop (&ab);
  media_stop (&ba);
  g_assert_cmpuint (turn_released (&turn), ==, 0);
  trv_media_transport_close (a);
  trv_media_transport_close (b);
  /* Both components' allocations are given back at hang-up, not left to expire. */
  g_assert_true (trv_test_wait_for (turn_both_released, &turn, 3000));
  endpoint_clear (&da);
  endpoint_clear (&db);
  turn_stop (&turn);
}

static void
test_turn_udp (void)
{
  run_turn_only (TRV_TURN_TRANSPORT_UDP);
}

static void
test_turn_tcp (void)
{
  run_turn_only (TRV_TURN_TRANSPORT_TCP);
}

/* A wrong password: turn mode fails with a specific error; ice mode goes on with
 * a warning and the direct path. */
static void
test_turn_wrong_password (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = turn_config (&turn, TRV_TURN_TRANSPORT_UDP, "wrong");
  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1", NULL);
  GError *error = prepare (t);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, turn.address));
  g_assert_nonnull (strstr (error->message, "nat.turn-password"));
  g_clear_error (&error);

  /* The same server for STUN: libnice 0.1.21 ignores its binding answers while TURN
   * is configured on that socket, so the transport gathers again without TURN; the
   * STUN server must then be seen answering (no "did not answer"), quickly. */
  nat->stun_server = g_strdup (turn.address);
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_ICE, nat, "127.0.0.1", NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  g_assert_no_error (prepare (b));
  GPtrArray *warnings = trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (a));
  gboolean named = FALSE;
  for (guint i = 0; i < warnings->len; i++)
    {
      g_test_message ("warning: %s", (const char *) warnings->pdata[i]);
      if (strstr (warnings->pdata[i], "refused the allocation") &&
          strstr (warnings->pdata[i], "nat.turn-password"))
        named = TRUE;
      g_assert_null (strstr (warnings->pdata[i], "did not answer"));
    }
  g_assert_true (named);
  g_assert_cmpint (trv_ice_transport_get_gathering_ms (TRV_ICE_TRANSPORT (a)), <, 2000);
  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_autoptr(GError) err = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &err));
  g_assert_true (trv_media_transport_set_remote (b, &da, TRUE, &err));
  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_media_transport_get_local_type (a), ==, TRV_PATH_HOST);
  endpoint_clear (&da);
  endpoint_clear (&db);
  turn_stop (&turn);
}

/* turn mode and a peer without ICE: media still goes through the relay, both ways. */
static void
test_turn_plain_peer (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = turn_config (&turn, TRV_TURN_TRANSPORT_UDP, "secret");
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1", NULL);
  g_assert_no_error (prepare (a));
  plain_peer_exchange (a);
  g_assert_cmpint (trv_media_transport_get_local_type (a), ==, TRV_PATH_RELAY);
  trv_media_transport_close (a);
  turn_stop (&turn);
}

/* No TURN server configured: it is found through _turn._udp.<domain> (answered by a
 * test resolver: no DNS packet leaves), resolved, and the relay works. */
static void
test_turn_discovered (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  GResolver *previous;
  TrvFakeResolver *fake = trv_fake_resolver_install (&previous);
  g_hash_table_insert (fake->srv, g_strdup ("_turn._udp.example.test"),
                       g_strdup_printf ("turn.example.test:%u", turn.port));
  g_hash_table_insert (fake->names, g_strdup ("turn.example.test"), g_strdup ("127.0.0.1"));

  g_autoptr(TrvNatConfig) nat = turn_config (&turn, TRV_TURN_TRANSPORT_UDP, "secret");
  g_clear_pointer (&nat->turn_server, g_free);
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                          "example.test");
  g_assert_no_error (prepare (a));
  g_assert_cmpuint (fake->srv_queries, ==, 1);
  TrvMediaEndpoint da = { 0 };
  trv_media_transport_describe (a, &da);
  g_assert_cmpuint (da.ice_candidates->len, ==, 2);
  g_assert_nonnull (strstr (da.ice_candidates->pdata[0], "typ relay"));
  g_assert_cmpuint (da.port, >=, turn.min_port);
  g_assert_cmpuint (da.port, <=, turn.min_port + 99);
  trv_media_transport_close (a);
  endpoint_clear (&da);
  trv_fake_resolver_uninstall (fake, previous);
  turn_stop (&turn);
}

static void
count_warning (TrvMediaTransport *t, const char *message, guint *count)
{
  (*count)++;
}

/* What front ends read without knowing the transport's kind: why no audio may arrive,
 * and the warnings (kept by the base class, announced with "warning"). */
static void
test_silence_cause_and_warnings (void)
{
  g_autoptr(TrvMediaTransport) udp = trv_test_udp_transport (WAIT_LIMIT_MS);
  g_assert_cmpint (trv_media_transport_get_silence_cause (udp), ==,
                   TRV_SILENCE_CAUSE_LOCAL_ONLY);
  g_assert_cmpuint (trv_media_transport_get_warnings (udp)->len, ==, 0);

  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_ICE, NULL, "127.0.0.1", NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_ICE, NULL, "127.0.0.1", NULL);
  guint announced = 0;
  g_signal_connect (a, "warning", G_CALLBACK (count_warning), &announced);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  g_assert_no_error (prepare (b));
  /* No STUN server configured: reported, announced, and the same list either way. */
  GPtrArray *warnings = trv_media_transport_get_warnings (a);
  g_assert_cmpuint (warnings->len, >=, 1);
  g_assert_cmpuint (announced, ==, warnings->len);
  g_assert_true (warnings == trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (a)));
  g_assert_cmpint (trv_media_transport_get_silence_cause (a), ==, TRV_SILENCE_CAUSE_NO_PATH);

  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_true (trv_media_transport_set_remote (b, &da, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (a)), ==,
                   TRV_ICE_STATE_CONNECTED);
  g_assert_cmpint (trv_media_transport_get_silence_cause (a), ==, TRV_SILENCE_CAUSE_UNKNOWN);
  endpoint_clear (&da);
  endpoint_clear (&db);
  trv_media_transport_close (a);
  trv_media_transport_close (b);
  trv_media_transport_close (udp);
}

/* The causes on which the call's no-path verdict ends a call that never heard audio:
 * both sides private without ICE (nat.mode = none across NATs), or ICE without a
 * relay on either side; a relay offered means a path may still come. */
static TrvMediaEndpoint
ice_endpoint (guint16 port, const char *type)
{
  TrvMediaEndpoint remote = { 0 };
  remote.address = g_strdup ("127.0.0.1");
  remote.port = port;
  remote.ice_ufrag = g_strdup ("abcd");
  remote.ice_pwd = g_strdup ("0123456789012345678901");
  remote.ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (remote.ice_candidates,
                   g_strdup_printf ("candidate:1 1 UDP 2013266431 127.0.0.1 %u typ host", port));
  if (type)
    g_ptr_array_add (remote.ice_candidates,
                     g_strdup_printf ("candidate:2 1 UDP 16777215 127.0.0.1 %u typ %s raddr "
                                      "127.0.0.1 rport %u", port + 1, type, port));
  return remote;
}

static void
test_no_path_causes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaTransport) udp = trv_udp_transport_new ("127.0.0.1", "10.1.0.11");
  trv_test_prepare (udp, WAIT_LIMIT_MS);
  TrvMediaEndpoint plain = { 0 };
  plain.address = g_strdup ("10.2.0.11");
  plain.port = 40000;
  g_assert_true (trv_media_transport_set_remote (udp, &plain, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (trv_media_transport_get_silence_cause (udp), ==,
                   TRV_SILENCE_CAUSE_BEHIND_NATS);
  /* A public peer might still reach us through our NAT (symmetric RTP). */
  g_free (plain.address);
  plain.address = g_strdup ("203.0.113.7");
  g_assert_true (trv_media_transport_set_remote (udp, &plain, TRUE, &error));
  g_assert_cmpint (trv_media_transport_get_silence_cause (udp), ==,
                   TRV_SILENCE_CAUSE_LOCAL_ONLY);
  endpoint_clear (&plain);
  trv_media_transport_close (udp);

  /* Ports nothing listens on: the checks stay unanswered while we look. */
  const char *remote_types[] = { NULL, "srflx", "relay" };
  TrvSilenceCause want[] = { TRV_SILENCE_CAUSE_NO_RELAY, TRV_SILENCE_CAUSE_NO_RELAY,
                             TRV_SILENCE_CAUSE_NO_PATH };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_STUN, NULL,
                                                              "127.0.0.1", NULL);
      trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
      g_assert_no_error (prepare (a));
      g_assert_cmpint (trv_media_transport_get_silence_cause (a), ==, TRV_SILENCE_CAUSE_NO_PATH);
      TrvMediaEndpoint remote = ice_endpoint (trv_net_free_port ("127.0.0.1",
                                                                 G_SOCKET_PROTOCOL_UDP, NULL),
                                              remote_types[i]);
      g_assert_true (trv_media_transport_set_remote (a, &remote, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (trv_media_transport_get_silence_cause (a), ==, want[i]);
      if (i == 0)
        {
          /* No pair works: libnice refuses every packet and none counts as sent. */
          Media m = { 0 };
          media_start (&m, a, a);
          g_usleep (300 * G_TIME_SPAN_MILLISECOND);
          media_stop (&m);
          g_assert_cmpuint (m.pushed, >, 0);
          g_assert_cmpint (trv_media_transport_get_rtp_sent (a), ==, 0);
        }
      endpoint_clear (&remote);
      trv_media_transport_close (a);
    }
}

/* The peer goes silent (no answers to consent checks) on a path without rtcp-mux.
 * RFC 7675: consent is lost after 30 s, not libnice 0.1.21's 10 s; before that the
 * transport says consent is in doubt (time to restart ICE) and keeps sending. RTCP
 * failing along with RTP is the path going, not "ICE found no path for RTCP ... audio
 * continues", which must not be said as audio stops. */
static void
on_doubtful (TrvIceTransport *t, gint64 *when)
{
  if (*when == 0)
    *when = g_get_monotonic_time ();
}

static void
test_consent_timeout (void)
{
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1", NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  g_assert_no_error (prepare (a));
  g_assert_no_error (prepare (b));
  GError *failed = NULL;
  gint64 doubted = 0;
  g_signal_connect (a, "failed", G_CALLBACK (on_failed), &failed);
  g_signal_connect (a, "consent-doubtful", G_CALLBACK (on_doubtful), &doubted);
  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, FALSE, &error));
  g_assert_true (trv_media_transport_set_remote (b, &da, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (has_path, a, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (has_path, b, WAIT_LIMIT_MS));
  Media m = { 0 };
  media_start (&m, a, b);
  g_assert_true (trv_test_wait_for (media_flowed, &m, WAIT_LIMIT_MS));
  guint before = trv_media_transport_get_warnings (a)->len;

  /* The peer's agent goes away: nothing answers a's consent checks any more. */
  gst_element_set_state (m.rx, GST_STATE_NULL);
  g_clear_object (&m.rx);   /* its nicesrc holds b's agent, which would go on answering */
  trv_media_transport_close (b);
  gint64 gone = g_get_monotonic_time ();
  g_assert_true (trv_test_wait_for (error_set, &failed, 45000));
  gint64 lost_after = g_get_monotonic_time () - gone;
  g_assert_true (trv_ice_transport_get_consent_lost (TRV_ICE_TRANSPORT (a)));
  g_assert_cmpint (doubted, >, gone);
  g_assert_cmpint (doubted - gone, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (lost_after, >=, 28 * G_USEC_PER_SEC);
  gint64 sent_at_loss = trv_media_transport_get_rtp_sent (a);
  gst_element_set_state (m.tx, GST_STATE_NULL);
  g_clear_object (&m.tx);

  /* While in doubt it kept sending: libnice took packets well after its own 10 s
   * (50 packets a second; the last answer came at most a check interval before). */
  g_assert_cmpint (sent_at_loss, >, 50 * 20);
  /* Let the RTCP component's failure arrive too (its consent check runs apart). */
  gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  GPtrArray *warnings = trv_media_transport_get_warnings (a);
  for (guint i = before; i < warnings->len; i++)
    g_assert_null (strstr (warnings->pdata[i], "RTCP"));
  g_clear_error (&failed);
  endpoint_clear (&da);
  endpoint_clear (&db);
  trv_media_transport_close (a);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ice-transport/loopback-checks", test_loopback_checks);
  g_test_add_func ("/ice-transport/silence-cause-warnings", test_silence_cause_and_warnings);
  g_test_add_func ("/ice-transport/no-path-causes", test_no_path_causes);
  g_test_add_func ("/ice-transport/plain-peer", test_plain_peer);
  g_test_add_func ("/ice-transport/checks-fail", test_checks_fail);
  g_test_add_func ("/ice-transport/consent-timeout", test_consent_timeout);
  g_test_add_func ("/ice-transport/bad-remote", test_bad_remote);
  g_test_add_func ("/ice-transport/mode-errors", test_mode_errors);
  g_test_add_func ("/ice-transport/turn-udp", test_turn_udp);
  g_test_add_func ("/ice-transport/turn-tcp", test_turn_tcp);
  g_test_add_func ("/ice-transport/turn-wrong-password", test_turn_wrong_password);
  g_test_add_func ("/ice-transport/turn-discovered", test_turn_discovered);
  g_test_add_func ("/ice-transport/turn-plain-peer", test_turn_plain_peer);
  return g_test_run ();
}
