/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-resources: a process short of file descriptors is told so (TRV_ERROR_NO_RESOURCES,
 * "too many open files"), not "no free pair of UDP ports" (issue 13, item 6). */
#include "config.h"

#include "trv-test-util.h"
#include "trv-udp-transport.h"
#include "trv-error.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define WAIT_LIMIT_MS 5000

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;
  g_assert_false (trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result,
                                                      error));
  g_assert_nonnull (*error);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* Prepares a UDP transport with `spare` descriptors left below the soft limit: 0 fails
 * on the RTP socket, 1 on the RTCP socket (the path that used to say "no free pair"). */
static void
test_short_of_files (gconstpointer data)
{
  guint spare = GPOINTER_TO_UINT (data);
  /* A first transport, prepared with the limit as it is, opens what GLib opens once (the
   * main context's wakeup descriptor): the low limit below then hits only our sockets. */
  g_autoptr(TrvMediaTransport) before = trv_test_udp_transport (WAIT_LIMIT_MS);
  trv_media_transport_close (before);
  g_autoptr(TrvMediaTransport) t = trv_udp_transport_new ("127.0.0.1", NULL);
  struct rlimit saved;
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  /* The lowest free descriptor: new ones are numbered from there, and the limit counts
   * numbers, so a limit of lowest + spare leaves exactly `spare` of them. */
  int probe = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (probe, >=, 0);
  close (probe);
  struct rlimit low = { (rlim_t) probe + spare, saved.rlim_max };
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);

  g_autoptr(GError) error = NULL;
  trv_media_transport_prepare_async (t, NULL, on_prepared, &error);
  gboolean done = trv_test_wait_for (error_set, &error, WAIT_LIMIT_MS);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);

  g_assert_true (done);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_RESOURCES);
  g_assert_nonnull (strstr (error->message, "too many open files"));
  g_assert_null (strstr (error->message, "no free pair"));

  /* With the limit back, the same kind of transport opens its ports. */
  g_autoptr(TrvMediaTransport) ok = trv_test_udp_transport (WAIT_LIMIT_MS);
  g_assert_nonnull (ok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/resources/udp-transport/no-fd-for-rtp", GUINT_TO_POINTER (0),
                        test_short_of_files);
  g_test_add_data_func ("/resources/udp-transport/no-fd-for-rtcp", GUINT_TO_POINTER (1),
                        test_short_of_files);
  return g_test_run ();
}
