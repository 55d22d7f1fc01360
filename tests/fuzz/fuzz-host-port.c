/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-host-port.c: the host[:port] / [v6]:port parser every server setting goes through. */
#include <glib.h>

#include "fuzz-common.h"
#include <stdint.h>
#include <string.h>

#include "trv-host-port.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree gchar *text = g_strndup ((const char *) data, size);
  g_autofree gchar *host = NULL;
  guint16 port = 0;
  g_autoptr(GError) error = NULL;
  if (trv_parse_host_port (text, 3478, "fuzz.server", &host, &port, &error))
    {
      /* What passes must be a usable host and port: never empty, never port 0. */
      g_assert_nonnull (host);
      g_assert_cmpuint (strlen (host), >, 0);
      g_assert_cmpuint (port, >, 0);
    }
  else
    g_assert_nonnull (error);
  return 0;
}
