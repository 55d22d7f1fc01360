/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-process.h: process-wide set-up that every front end (app, CLI) does first. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Installs the log writer that keeps passwords out of every message (trv-log.h), sends
 * sofia-sip's logs, which went to stderr, to g_debug under the domain "Traverse-Sofia" (errors
 * reach people as our own messages; G_MESSAGES_DEBUG shows sofia's story), and works around a
 * sofia-sip 1.12.11 exit-time bug (see the .c). */
void trv_process_init (void);

G_END_DECLS
