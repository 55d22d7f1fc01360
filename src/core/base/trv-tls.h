/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-tls.h: TLS client connections that check the server certificate against the
 * trusted CAs Traverse uses everywhere (system store plus an optional extra CA file), and
 * errors that say in plain words why a certificate was refused. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The system's trusted CAs: OpenSSL's SSL_CERT_FILE when set, else the bundle the build
 * was configured with (meson option ca_bundle). */
const char *trv_tls_system_ca_bundle           (void);
/* "it is not signed by a trusted certificate authority ...; it has expired", translated. */
gchar      *trv_tls_describe_certificate_flags (GTlsCertificateFlags flags);
/* A TLS client over `base` for `host` (SNI and the certificate name check), trusting the
 * system CAs and the certificates in `extra_ca_file` (PEM; NULL: none). Errors:
 * TRV_ERROR_TLS (no TLS backend, unreadable CA file). */
GIOStream  *trv_tls_client_new                 (GIOStream *base, const char *host, guint16 port,
                                                const char *extra_ca_file, GError **error);
/* The TRV_ERROR_TLS error for a failed handshake of a trv_tls_client_new() stream: names
 * the certificate's problem when verification refused it. */
GError     *trv_tls_handshake_error            (GIOStream *tls, const char *host, guint16 port,
                                                const GError *error);

G_END_DECLS
