/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-tls-check.h: verifies a SIP server's TLS certificate before SIP uses the connection.
 *
 * sofia-sip closes a TLS connection whose certificate fails verification without telling the
 * transaction, so a REGISTER to an untrusted server only times out (408). This check does one
 * TLS handshake with GIO against the same CA bundle and says precisely why it was refused. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ca_bundle: PEM file of trusted CAs (NULL: the system store). Errors: TRV_ERROR_TLS with
 * the reason (unknown CA, wrong host name, expired, ...), TRV_ERROR_UNREACHABLE when no
 * connection could be made. Bounded by timeout_s. */
void     trv_tls_check_async  (const char *host, guint16 port, const char *ca_bundle,
                               guint timeout_s, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
gboolean trv_tls_check_finish (GAsyncResult *result, GError **error);

G_END_DECLS
