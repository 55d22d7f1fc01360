/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-message-summary.c: the message-summary body (RFC 3842) of NOTIFYs anyone may send. */
#include <glib.h>

#include "fuzz-common.h"
#include <stdint.h>
#include <string.h>

#include "trv-message-summary.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  TrvMessageSummary summary;
  g_autoptr(GError) error = NULL;
  if (trv_message_summary_parse ((const char *) data, size, &summary, &error))
    {
      /* What passes is within the bounds the reader promises. */
      g_assert_no_error (error);
      g_assert_cmpuint (size, <=, TRV_MESSAGE_SUMMARY_MAX_LENGTH);
      g_assert_cmpint (summary.voice_new, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
      g_assert_cmpint (summary.voice_old, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
      g_assert_cmpint (summary.voice_new_urgent, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
      g_assert_cmpint (summary.voice_old_urgent, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
      g_assert_true (summary.account == NULL || strchr (summary.account, ' ') == NULL);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_null (summary.account);
    }
  trv_message_summary_clear (&summary);
  return 0;
}
