/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-config.c: the key-file configuration reader of traverse-cli, with every validator. */
#include <glib.h>

#include "fuzz-common.h"
#include <stdint.h>

#include "trv-config-file.h"
#include "trv-error.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree gchar *text = g_strndup ((const char *) data, size);
  g_autoptr(TrvAccountConfig) account = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  g_autoptr(GError) error = NULL;
  /* Relative file names (password-file, ca-file) resolve inside a directory that does not
   * exist, so the harness never reads a real file. */
  if (!trv_config_file_load_data (text, "/nonexistent-traverse-fuzz", &account, &nat, &media,
                                  &error))
    g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  else
    g_assert_true (nat != NULL && media != NULL);
  return 0;
}
