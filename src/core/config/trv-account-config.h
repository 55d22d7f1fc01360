/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-account-config.h: one SIP account's validated, immutable settings. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The enums' nicks ("udp", "optional", ...) are the words of the configs and GSettings:
 * trv-config-enums.h has their GTypes, trv-enum.h converts. */
typedef enum {
  TRV_SIP_TRANSPORT_UDP,
  TRV_SIP_TRANSPORT_TCP,
  TRV_SIP_TRANSPORT_TLS,
} TrvSipTransport;

typedef enum {
  TRV_SRTP_OFF,
  TRV_SRTP_OPTIONAL,
  TRV_SRTP_MANDATORY,
} TrvSrtpPolicy;

#define TRV_TYPE_ACCOUNT_CONFIG (trv_account_config_get_type ())

typedef struct {
  gchar *address;        /* "sip:alice@example.org" (always with scheme) */
  gchar *user;           /* "alice" (derived from address) */
  gchar *domain;         /* "example.org" (derived from address): host[:port] as written
                          * there, so "example.org:5080" or "[2001:db8::1]" keep port and
                          * brackets; use trv_parse_host_port() for the bare host (SRV). */
  gchar *display_name;   /* may be NULL */
  gchar *password;       /* may be NULL (no auth) */
  gchar *registrar;      /* host[:port]; NULL means the address' domain */
  gchar *proxy;          /* host[:port] outbound proxy; may be NULL */
  TrvSipTransport transport;
  gboolean do_register;
  gchar *ca_file;        /* extra CA (PEM) trusted for TLS; may be NULL */
  guint16 local_port;    /* 0: any */
  TrvSrtpPolicy srtp;    /* encrypted media: default optional (used when keys may be sent) */
  gboolean srtp_over_insecure; /* SDES keys also over UDP/TCP signalling (default: TLS only) */
  gboolean allow_direct_calls; /* with a registrar or proxy, also take INVITEs that bypass it
                                * (from any host, to any user); default FALSE */
  gchar *voicemail;      /* number or SIP URI of the voicemail box; NULL: only what the
                          * server names (Message-Account, RFC 3842) */
} TrvAccountConfig;

GType             trv_account_config_get_type  (void) G_GNUC_CONST;
TrvAccountConfig *trv_account_config_new       (void);
TrvAccountConfig *trv_account_config_copy      (const TrvAccountConfig *self);
void              trv_account_config_free      (TrvAccountConfig *self);
/* Checks every field and fills the derived ones (user, domain). The error
 * (TRV_ERROR_INVALID_CONFIG) names the key, e.g. "account.address: ...". */
gboolean          trv_account_config_validate  (TrvAccountConfig *self,
                                                GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvAccountConfig, trv_account_config_free)

G_END_DECLS
