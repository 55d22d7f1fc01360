/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-config-file.h: loads the three configs from a GLib key file (traverse-cli). */
#pragma once

#include "trv-account-config.h"
#include "trv-nat-config.h"
#include "trv-media-config.h"

G_BEGIN_DECLS

/* Groups and keys:
 *  [account] address, password | password-file, registrar, proxy, transport (udp|tcp|tls),
 *            register (bool, default true), ca-file, local-port, display-name
 *  [nat]     mode (none|stun|turn|ice|auto), stun-server, turn-server,
 *            turn-transport (udp|tcp), turn-username, turn-password, public-address
 *  [media]   codecs (list, order = preference), jitter-ms
 * A missing [account] group gives *account = NULL (direct calls only).
 * Unknown groups or keys are errors (a typo must not be silently ignored).
 * Every error is TRV_ERROR_INVALID_CONFIG and names "group.key" and why. */
gboolean trv_config_file_load      (const char *path,
                                    TrvAccountConfig **account,
                                    TrvNatConfig **nat,
                                    TrvMediaConfig **media,
                                    GError **error);
gboolean trv_config_file_load_data (const char *data,
                                    const char *base_dir,   /* for relative file paths */
                                    TrvAccountConfig **account,
                                    TrvNatConfig **nat,
                                    TrvMediaConfig **media,
                                    GError **error);

G_END_DECLS
