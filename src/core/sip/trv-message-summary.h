/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-message-summary.h: the body of a message-summary NOTIFY (RFC 3842,
 * application/simple-message-summary): whether messages wait, where to fetch them and the
 * voice message counts. A strict reader: anything outside the RFC's grammar is refused. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Counts larger than this are refused (no mailbox holds a million messages). */
#define TRV_MESSAGE_SUMMARY_MAX_COUNT 999999
/* Bodies longer than this are refused. */
#define TRV_MESSAGE_SUMMARY_MAX_LENGTH 8192

typedef struct {
  gboolean waiting;             /* Messages-Waiting: yes */
  gchar *account;               /* Message-Account (a sip:, sips: or tel: URI), or NULL */
  gint voice_new;               /* Voice-Message: new/old (urgent new/urgent old); */
  gint voice_old;               /* -1 when the body has no Voice-Message line */
  gint voice_new_urgent;
  gint voice_old_urgent;
} TrvMessageSummary;

/* Reads `length` bytes of `body` (not NUL-terminated). On error (TRV_ERROR_FAILED, the
 * message says what is wrong) `summary` is left cleared. Free with
 * trv_message_summary_clear(). */
gboolean trv_message_summary_parse (const char *body, gsize length,
                                    TrvMessageSummary *summary, GError **error);
void     trv_message_summary_clear (TrvMessageSummary *summary);

G_END_DECLS
