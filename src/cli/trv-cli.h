/* trv-cli.h: what the pieces of traverse-cli share: exit codes and the output helpers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
  EXIT_REGISTRATION = 3,
  EXIT_UNREACHABLE = 3,   /* probe: no STUN/TURN server answered */
  EXIT_CALL = 4,
  EXIT_NO_MEDIA = 5,
};

/* One line on stderr, prefixed "traverse-cli: ". */
void trv_cli_fail_line (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* One line on stdout, flushed at once (scripts read it while we run). */
void trv_cli_say       (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
