/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-auth.h: the answer to a digest challenge (401/407) with an account's
 * credentials, for REGISTER (the agent) and INVITE (a call) alike. */
#pragma once

#include "trv-sofia.h"
#include "trv-account-config.h"

G_BEGIN_DECLS

/* Answers the challenge in `sip` on `nh` (nua_authenticate) with `account`'s user and
 * password. `attempts` counts the answers given on this request: a second challenge
 * after one answer means a wrong password. FALSE with TRV_ERROR_AUTH_FAILED (no realm,
 * wrong password) or TRV_ERROR_UNKNOWN_REALM (no account or no password). */
gboolean trv_sip_auth_respond (const TrvAccountConfig *account,
                               nua_handle_t *nh,
                               const sip_t *sip,
                               guint *attempts,
                               GError **error);

G_END_DECLS
