/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-account-row.h: a row of the main window for one account after the first: its address,
 * its registration in words, an icon, and a Retry button. */
#pragma once

#include <adwaita.h>

#include "trv-user-agent.h"

G_BEGIN_DECLS

#define TRV_TYPE_ACCOUNT_ROW (trv_account_row_get_type ())
G_DECLARE_FINAL_TYPE (TrvAccountRow, trv_account_row, TRV, ACCOUNT_ROW, AdwActionRow)

/* @index: the account's place among the accounts after the first. */
GtkWidget *trv_account_row_new       (guint index);
guint      trv_account_row_get_index (TrvAccountRow *self);
/* The subtitle is the row's accessible description too (GTK 4.8 does not expose it).
 * @agent (may be NULL): the account's, whose voice messages (RFC 3842) the row adds to
 * the subtitle as they change. */
void       trv_account_row_show      (TrvAccountRow *self, const char *address,
                                      const char *subtitle, const char *icon_name,
                                      gboolean can_retry, TrvUserAgent *agent);
/* Remembers the registration state now shown (-1: no agent); TRUE when it differs from the
 * one shown before. */
gboolean   trv_account_row_set_state (TrvAccountRow *self, gint state);

/* Signal "retry" (): the Retry button was clicked. */

G_END_DECLS
