/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: included once by every harness. A CRITICAL is a bug the input found: the
 * writer aborts on it, so that libFuzzer (which catches SIGABRT, not GLib's breakpoint trap)
 * keeps the input; everything else is dropped to keep the fuzzer fast. */
#pragma once

#include <glib.h>
#include <stdlib.h>

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (level, fields, n_fields, data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

__attribute__((constructor)) static void
fuzz_log_init (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
