/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-log.h: what the debug log may show (no passwords) and a bounded record of it for
 * bug reports. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A password the process holds (account, TURN): trv_log_scrub() hides it from then on.
 * Empty or NULL is ignored; the same secret twice is kept once. Thread-safe. */
void     trv_log_add_secret   (const char *secret);
/* Takes text (g_malloc'ed) and returns it, or a replacement after freeing it, with every
 * known secret replaced by "***". Lines where sofia-sip shows a digest's A1
 * (user:realm:password, or its hash, which authenticates as well) lose their arguments. */
gchar   *trv_log_scrub        (gchar *text);
/* Whether a debug message of log_domain goes anywhere: G_MESSAGES_DEBUG names it, or the
 * record (trv_log_record_start) keeps every message. Cheap: callers ask it before formatting
 * text that may be dropped. */
gboolean trv_log_wants_debug  (const char *log_domain);

/* Installs (once; later calls do nothing) the process's GLib log writer: each message that
 * is shown or recorded first loses the known secrets, then goes to g_log_writer_default,
 * which decides as always what reaches stderr. For programs only (GLib allows one writer),
 * before they log: trv_process_init() calls it. */
void     trv_log_writer_install (void);
/* From now on keeps the last max_lines messages of every level, debug included (scrubbed),
 * for a bug report. Installs the writer if needed. */
void     trv_log_record_start   (guint max_lines);
/* The recorded lines, oldest first, one a line ("HH:MM:SS.mmm Domain-LEVEL: message");
 * an empty string when nothing was recorded. */
gchar   *trv_log_record_get_text (void);

G_END_DECLS
