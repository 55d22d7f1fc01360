/* trv-process.h: process-wide set-up that every front end (app, CLI) does first. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Silences sofia-sip's per-module stderr logs unless the user set them (errors reach people
 * as our own messages), and works around a sofia-sip 1.12.11 exit-time bug (see the .c). */
void trv_process_init (void);

G_END_DECLS
