/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-report.h: what a NAT probe found (TrvNatReport, a boxed type the UI can show),
 * the conclusion drawn from it and its JSON form. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "trv-nat-config.h"

G_BEGIN_DECLS

/* GTypes and nicks (as in the report's JSON) in trv-nat-enums.h. */
typedef enum {
  TRV_NAT_MAPPING_UNKNOWN,              /* not measured (no reply, or no second server address) */
  TRV_NAT_MAPPING_NO_NAT,               /*< nick=none >*/ /* mapped address == local address */
  TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT, /* same public port towards every destination */
  TRV_NAT_MAPPING_ENDPOINT_DEPENDENT,   /* a new public port per destination: "symmetric" */
} TrvNatMapping;

typedef enum {
  TRV_TURN_CHECK_NOT_TRIED,   /* no TURN server or no credentials */
  TRV_TURN_CHECK_OK,          /* an allocation was granted (and released again) */
  TRV_TURN_CHECK_AUTH_FAILED, /* the server refused the username/password */
  TRV_TURN_CHECK_UNREACHABLE, /* no answer / connection refused */
  TRV_TURN_CHECK_FAILED,      /* any other error response */
  TRV_TURN_CHECK_TLS_FAILED,  /* TLS: the handshake failed or the certificate was refused */
} TrvTurnCheck;

typedef struct {
  TrvTurnCheck result;
  gchar *relay_address;      /* "ip:port" when OK */
  gchar *error;              /* plain words when not OK; NULL otherwise */
} TrvTurnCheckResult;

#define TRV_TYPE_NAT_REPORT (trv_nat_report_get_type ())

typedef struct {
  /* STUN */
  gchar *stun_server;        /* "ip:port" probed; NULL when none was configured or found */
  gchar *stun_source;        /* "config", "srv" or "turn-server" */
  gboolean stun_reachable;
  gchar *local_address;      /* our socket, "ip:port" */
  gchar *mapped_address;     /* as seen by the server, "ip:port" */
  gchar *other_server;       /* second server address used for the mapping test */
  gchar *other_mapped_address;
  gboolean behind_nat;
  TrvNatMapping mapping;
  gboolean udp_blocked;      /* no STUN reply over UDP, but TURN answered over TCP */
  /* TURN */
  gchar *turn_server;        /* "ip:port"; NULL when none */
  TrvTurnCheckResult turn_udp;
  TrvTurnCheckResult turn_tcp;
  gchar *turn_tls_server;    /* "host:port" checked over TLS; NULL when none */
  TrvTurnCheckResult turn_tls;
  /* HTTP proxy (calls send TURN over TCP/TLS through it): the TCP and TLS checks again,
   * through it */
  gchar *proxy;              /* "host:port" (never credentials); NULL: none */
  gchar *proxy_source;       /* "config" (nat.http-proxy) or "system"; NULL: none */
  TrvTurnCheckResult proxy_turn_tcp;
  TrvTurnCheckResult proxy_turn_tls;
  /* IPv6 */
  gchar *ipv6_global_address;  /* a global IPv6 address of this device; NULL: none */
  gchar *ipv6_stun_server;     /* the STUN server's IPv6 "[ip]:port"; NULL: it has none */
  gboolean ipv6_stun_tested;   /* a Binding request went to it over IPv6 */
  gboolean ipv6_stun_reachable;
  gchar *ipv6_mapped_address;  /* as the server saw us over IPv6 */
  /* Conclusion */
  TrvNatMode recommended_mode;
  TrvTurnTransport recommended_turn_transport;
  gboolean usable;           /* FALSE: no server answered at all */
  gchar *verdict;            /* plain words for the user */
  GPtrArray *warnings;       /* gchar*, e.g. missing SRV records */
  gdouble duration_ms;
} TrvNatReport;

GType         trv_nat_report_get_type       (void) G_GNUC_CONST;
TrvNatReport *trv_nat_report_new            (void);
TrvNatReport *trv_nat_report_copy           (const TrvNatReport *self);
void          trv_nat_report_free           (TrvNatReport *self);
JsonNode     *trv_nat_report_to_json        (const TrvNatReport *self);
gchar        *trv_nat_report_to_json_string (const TrvNatReport *self);

/* From the measured facts: usable, udp_blocked, the recommended mode and TURN transport,
 * the plain-words verdict (and a warning when TURN refused the credentials). */
void          trv_nat_report_conclude       (TrvNatReport *self);

/* The proxy's part in plain words ("HTTP proxy host:port (from ...): TURN over TCP works
 * through it."); NULL when no proxy was in the way. */
gchar        *trv_nat_report_describe_proxy (const TrvNatReport *self);

/* nat.mode = auto: the mode (and TURN transport) calls use. `report` is the probe's,
 * NULL when the probe failed. Without a usable report: ICE with the configured servers and
 * `configured_transport` (it uses whatever answers, local addresses at worst). Returns
 * TRUE when the report's recommendation was taken, FALSE for that fallback. */
gboolean      trv_nat_report_choose_auto_mode (const TrvNatReport *report,
                                               TrvTurnTransport configured_transport,
                                               TrvNatMode *mode,
                                               TrvTurnTransport *transport);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvNatReport, trv_nat_report_free)

G_END_DECLS
