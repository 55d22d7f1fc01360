/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TrvIceTransport and address families: IPv6 on ::1 (describe, checks, media-ready pair),
 * and the plain verdicts when our candidates and the peer's share no family. */
#include <gst/gst.h>
#include <string.h>

#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-test-util.h"

#define WAIT_LIMIT_MS 15000

static gboolean
have_ipv6_loopback (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                       G_SOCKET_PROTOCOL_UDP, NULL);
  if (s == NULL)
    return FALSE;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (lo, 0);
  return g_socket_bind (s, sa, FALSE, NULL);
}

static void
endpoint_clear (TrvMediaEndpoint *ep)
{
  g_free (ep->address);
  g_free (ep->ice_ufrag);
  g_free (ep->ice_pwd);
  g_clear_pointer (&ep->ice_candidates, g_ptr_array_unref);
}

static TrvMediaTransport *
prepared (const char *address)
{
  TrvMediaTransport *t = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, address, NULL);
  trv_test_prepare (t, WAIT_LIMIT_MS);
  return t;
}

static gboolean
is_connected (gpointer data)
{
  return trv_ice_transport_get_state (data) == TRV_ICE_STATE_CONNECTED;
}

/* Two agents on ::1: IPv6 default candidate (c=IN IP6), checks succeed, the path is IPv6. */
static void
test_ipv6_loopback (void)
{
  if (!have_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 on loopback here");
      return;
    }
  g_autoptr(TrvMediaTransport) a = prepared ("::1");
  g_autoptr(TrvMediaTransport) b = prepared ("::1");
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_assert_cmpstr (da.address, ==, "::1");
  g_assert_cmpstr (db.address, ==, "::1");
  g_assert_cmpuint (da.ice_candidates->len, >, 0);

  g_autoptr(GError) error = NULL;
  g_assert_true (trv_media_transport_set_remote (a, &db, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_transport_set_remote (b, &da, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (is_connected, a, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (is_connected, b, WAIT_LIMIT_MS));
  g_assert_true (g_str_has_prefix (trv_media_transport_get_local_address (a), "[::1]:"));
  g_assert_true (g_str_has_prefix (trv_media_transport_get_remote_address (a), "[::1]:"));
  trv_media_transport_close (a);
  trv_media_transport_close (b);
  endpoint_clear (&da);
  endpoint_clear (&db);
}

/* Candidates of one family only against the other family: refused at once, in words. */
static void
test_no_common_family (void)
{
  g_autoptr(TrvMediaTransport) a = prepared ("127.0.0.1");
  TrvMediaEndpoint remote = { 0 };
  remote.address = g_strdup ("2001:db8::7");
  remote.port = 40000;
  remote.ice_ufrag = g_strdup ("abcd");
  remote.ice_pwd = g_strdup ("0123456789012345678901");
  remote.ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (remote.ice_candidates,
                   g_strdup ("candidate:1 1 UDP 2130706431 2001:db8::7 40000 typ host"));
  g_autoptr(GError) error = NULL;
  g_assert_false (trv_media_transport_set_remote (a, &remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_PATH);
  g_assert_nonnull (strstr (error->message, "only IPv6 addresses and this device only IPv4"));
  trv_media_transport_close (a);
  endpoint_clear (&remote);
}

/* A peer without ICE whose media address is of a family we have no candidate in. */
static void
test_plain_other_family (void)
{
  g_autoptr(TrvMediaTransport) a = prepared ("127.0.0.1");
  TrvMediaEndpoint remote = { 0 };
  remote.address = g_strdup ("2001:db8::7");
  remote.port = 40000;
  g_autoptr(GError) error = NULL;
  g_assert_false (trv_media_transport_set_remote (a, &remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_PATH);
  g_assert_nonnull (strstr (error->message, "2001:db8::7 is IPv6, and this device has no IPv6"));
  trv_media_transport_close (a);
  endpoint_clear (&remote);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ice-family/ipv6-loopback", test_ipv6_loopback);
  g_test_add_func ("/ice-family/no-common-family", test_no_common_family);
  g_test_add_func ("/ice-family/plain-other-family", test_plain_other_family);
  return g_test_run ();
}
