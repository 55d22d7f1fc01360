/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-tls.c: GIO TLS client connections with Traverse's trusted CAs and plain-words
 * certificate errors. */
#include "config.h"

#include "trv-tls.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

#define FLAGS_KEY "trv-tls-flags"
#define EXTRA_DB_KEY "trv-tls-extra-db"

const char *
trv_tls_system_ca_bundle (void)
{
  const char *env = g_getenv ("SSL_CERT_FILE");
  return env && env[0] ? env : TRV_CA_BUNDLE;
}

gchar *
trv_tls_describe_certificate_flags (GTlsCertificateFlags flags)
{
  g_autoptr(GString) s = g_string_new (NULL);
  struct { GTlsCertificateFlags flag; const char *text; } reasons[] = {
    /* Translators: why a server certificate was refused; "it" is the certificate. */
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a trusted certificate authority "
                                       "(set account.ca-file to trust a private CA)") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it does not name this server") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("it could not be checked") },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (flags & reasons[i].flag)
      {
        if (s->len)
          g_string_append (s, "; ");
        g_string_append (s, _(reasons[i].text));
      }
  if (s->len == 0)
    g_string_append (s, _("it was refused"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The system store refused the chain: it may still be signed by the extra CA. */
static gboolean
on_accept_certificate (GTlsConnection *conn, GTlsCertificate *cert,
                       GTlsCertificateFlags errors, gpointer data)
{
  GTlsDatabase *extra = g_object_get_data (G_OBJECT (conn), EXTRA_DB_KEY);
  if (extra && (errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
    {
      GSocketConnectable *identity =
        g_tls_client_connection_get_server_identity (G_TLS_CLIENT_CONNECTION (conn));
      errors = g_tls_database_verify_chain (extra, cert, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                            identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL,
                                            NULL);
    }
  g_object_set_data (G_OBJECT (conn), FLAGS_KEY, GUINT_TO_POINTER (errors));
  return errors == 0;   /* never accept what verification refused */
}

GIOStream *
trv_tls_client_new (GIOStream *base, const char *host, guint16 port, const char *extra_ca_file,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (host, port);
  g_autoptr(GIOStream) tls = g_tls_client_connection_new (base, identity, &local_error);
  if (tls == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_TLS,
                   _("TLS is not available (glib-networking missing?): %s"),
                   local_error->message);
      return NULL;
    }
  /* Without a readable bundle the TLS backend's own system store is used. */
  g_autoptr(GTlsDatabase) db = g_tls_file_database_new (trv_tls_system_ca_bundle (), NULL);
  if (db)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
  if (extra_ca_file)
    {
      GTlsDatabase *extra = g_tls_file_database_new (extra_ca_file, &local_error);
      if (extra == NULL)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_TLS, _("cannot read the trusted CAs: %s"),
                       local_error->message);
          return NULL;
        }
      g_object_set_data_full (G_OBJECT (tls), EXTRA_DB_KEY, extra, g_object_unref);
    }
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  return g_steal_pointer (&tls);
}

GError *
trv_tls_handshake_error (GIOStream *tls, const char *host, guint16 port, const GError *error)
{
  GTlsCertificateFlags flags =
    GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (tls), FLAGS_KEY));
  if (flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_autofree gchar *why = trv_tls_describe_certificate_flags (flags);
      return g_error_new (TRV_ERROR, TRV_ERROR_TLS,
                          _("TLS connection to %s:%u refused: the server certificate was "
                            "not accepted: %s"), host, port, why);
    }
  return g_error_new (TRV_ERROR, TRV_ERROR_TLS, _("TLS handshake with %s:%u failed: %s"), host,
                      port, error->message);
}
