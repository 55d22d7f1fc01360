/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-report.c: the NAT probe's findings, the conclusion drawn from them (recommended
 * mode and a verdict in plain words) and their JSON form. */
#include "config.h"

#include "trv-nat-report.h"
#include "trv-enum.h"
#include "trv-config-enums.h"
#include "trv-nat-enums.h"
#include <glib/gi18n-lib.h>

/* --- enums and the report ---------------------------------------------------------- */

TrvNatReport *
trv_nat_report_new (void)
{
  TrvNatReport *r = g_new0 (TrvNatReport, 1);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  r->recommended_mode = TRV_NAT_MODE_ICE;
  return r;
}

static void
turn_result_copy (TrvTurnCheckResult *dst, const TrvTurnCheckResult *src)
{
  dst->result = src->result;
  dst->relay_address = g_strdup (src->relay_address);
  dst->error = g_strdup (src->error);
}

static void
turn_result_clear (TrvTurnCheckResult *r)
{
  g_clear_pointer (&r->relay_address, g_free);
  g_clear_pointer (&r->error, g_free);
}

TrvNatReport *
trv_nat_report_copy (const TrvNatReport *self)
{
  TrvNatReport *r = trv_nat_report_new ();
  r->stun_server = g_strdup (self->stun_server);
  r->stun_source = g_strdup (self->stun_source);
  r->stun_reachable = self->stun_reachable;
  r->local_address = g_strdup (self->local_address);
  r->mapped_address = g_strdup (self->mapped_address);
  r->other_server = g_strdup (self->other_server);
  r->other_mapped_address = g_strdup (self->other_mapped_address);
  r->behind_nat = self->behind_nat;
  r->mapping = self->mapping;
  r->udp_blocked = self->udp_blocked;
  r->turn_server = g_strdup (self->turn_server);
  turn_result_copy (&r->turn_udp, &self->turn_udp);
  turn_result_copy (&r->turn_tcp, &self->turn_tcp);
  r->turn_tls_server = g_strdup (self->turn_tls_server);
  turn_result_copy (&r->turn_tls, &self->turn_tls);
  r->proxy = g_strdup (self->proxy);
  r->proxy_source = g_strdup (self->proxy_source);
  turn_result_copy (&r->proxy_turn_tcp, &self->proxy_turn_tcp);
  turn_result_copy (&r->proxy_turn_tls, &self->proxy_turn_tls);
  r->ipv6_global_address = g_strdup (self->ipv6_global_address);
  r->ipv6_stun_server = g_strdup (self->ipv6_stun_server);
  r->ipv6_stun_tested = self->ipv6_stun_tested;
  r->ipv6_stun_reachable = self->ipv6_stun_reachable;
  r->ipv6_mapped_address = g_strdup (self->ipv6_mapped_address);
  r->recommended_mode = self->recommended_mode;
  r->recommended_turn_transport = self->recommended_turn_transport;
  r->usable = self->usable;
  r->verdict = g_strdup (self->verdict);
  for (guint i = 0; i < self->warnings->len; i++)
    g_ptr_array_add (r->warnings, g_strdup (self->warnings->pdata[i]));
  r->duration_ms = self->duration_ms;
  return r;
}

void
trv_nat_report_free (TrvNatReport *self)
{
  if (self == NULL)
    return;
  g_free (self->stun_server);
  g_free (self->stun_source);
  g_free (self->local_address);
  g_free (self->mapped_address);
  g_free (self->other_server);
  g_free (self->other_mapped_address);
  g_free (self->turn_server);
  turn_result_clear (&self->turn_udp);
  turn_result_clear (&self->turn_tcp);
  g_free (self->turn_tls_server);
  turn_result_clear (&self->turn_tls);
  g_free (self->proxy);
  g_free (self->proxy_source);
  turn_result_clear (&self->proxy_turn_tcp);
  turn_result_clear (&self->proxy_turn_tls);
  g_free (self->ipv6_global_address);
  g_free (self->ipv6_stun_server);
  g_free (self->ipv6_mapped_address);
  g_free (self->verdict);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (TrvNatReport, trv_nat_report, trv_nat_report_copy, trv_nat_report_free)

static void
add_string_or_null (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_turn_result (JsonBuilder *b, const char *name, const TrvTurnCheckResult *r)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_string_or_null (b, "result", trv_enum_to_nick (TRV_TYPE_TURN_CHECK, r->result));
  add_string_or_null (b, "relay", r->relay_address);
  add_string_or_null (b, "error", r->error);
  json_builder_end_object (b);
}

/* "ipv6": what was measured, and "works": true when the server answered over IPv6,
 * false without a global address or when it did not answer, null when untested. */
static void
add_ipv6 (JsonBuilder *b, const TrvNatReport *self)
{
  json_builder_set_member_name (b, "ipv6");
  json_builder_begin_object (b);
  add_string_or_null (b, "global_address", self->ipv6_global_address);
  add_string_or_null (b, "stun_server", self->ipv6_stun_server);
  json_builder_set_member_name (b, "stun_reachable");
  if (self->ipv6_stun_tested)
    json_builder_add_boolean_value (b, self->ipv6_stun_reachable);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "mapped", self->ipv6_mapped_address);
  json_builder_set_member_name (b, "works");
  if (self->ipv6_global_address == NULL || self->ipv6_stun_tested)
    json_builder_add_boolean_value (b, self->ipv6_global_address && self->ipv6_stun_reachable);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

JsonNode *
trv_nat_report_to_json (const TrvNatReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "stun");
  json_builder_begin_object (b);
  add_string_or_null (b, "server", self->stun_server);
  add_string_or_null (b, "source", self->stun_source);
  json_builder_set_member_name (b, "reachable");
  json_builder_add_boolean_value (b, self->stun_reachable);
  add_string_or_null (b, "local", self->local_address);
  add_string_or_null (b, "mapped", self->mapped_address);
  add_string_or_null (b, "other_server", self->other_server);
  add_string_or_null (b, "other_mapped", self->other_mapped_address);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "nat");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "present");
  if (self->stun_reachable)
    json_builder_add_boolean_value (b, self->behind_nat);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "mapping", trv_enum_to_nick (TRV_TYPE_NAT_MAPPING, self->mapping));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "udp_blocked");
  json_builder_add_boolean_value (b, self->udp_blocked);

  json_builder_set_member_name (b, "turn");
  json_builder_begin_object (b);
  add_string_or_null (b, "server", self->turn_server);
  add_turn_result (b, "udp", &self->turn_udp);
  add_turn_result (b, "tcp", &self->turn_tcp);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "turn_tls");
  json_builder_begin_object (b);
  add_string_or_null (b, "server", self->turn_tls_server);
  add_string_or_null (b, "result", trv_enum_to_nick (TRV_TYPE_TURN_CHECK, self->turn_tls.result));
  add_string_or_null (b, "relay", self->turn_tls.relay_address);
  add_string_or_null (b, "error", self->turn_tls.error);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "proxy");
  json_builder_begin_object (b);
  add_string_or_null (b, "server", self->proxy);
  add_string_or_null (b, "source", self->proxy ? self->proxy_source : "none");
  add_turn_result (b, "turn_tcp", &self->proxy_turn_tcp);
  add_turn_result (b, "turn_tls", &self->proxy_turn_tls);
  json_builder_end_object (b);
  add_ipv6 (b, self);

  json_builder_set_member_name (b, "recommended");
  json_builder_begin_object (b);
  add_string_or_null (b, "mode", trv_enum_to_nick (TRV_TYPE_NAT_MODE, self->recommended_mode));
  add_string_or_null (b, "turn_transport",
                      trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT,
                                        self->recommended_turn_transport));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "usable");
  json_builder_add_boolean_value (b, self->usable);
  add_string_or_null (b, "verdict", self->verdict);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->warnings->len; i++)
    json_builder_add_string_value (b, self->warnings->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b, self->duration_ms);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gchar *
trv_nat_report_to_json_string (const TrvNatReport *self)
{
  g_autoptr(JsonNode) root = trv_nat_report_to_json (self);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* --- conclusion ----------------------------------------------------------------------- */

gchar *
trv_nat_report_describe_proxy (const TrvNatReport *r)
{
  if (r->proxy == NULL)
    return NULL;
  GString *s = g_string_new (NULL);
  g_string_printf (s, g_strcmp0 (r->proxy_source, "system") == 0
                        ? _("HTTP proxy %s (from the system's proxy settings):")
                        : _("HTTP proxy %s (nat.http-proxy):"), r->proxy);
  const TrvTurnCheckResult *checks[] = { &r->proxy_turn_tcp, &r->proxy_turn_tls };
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      const TrvTurnCheckResult *c = checks[i];
      const char *via = i ? "TLS" : "TCP";
      if (c->result == TRV_TURN_CHECK_OK)
        g_string_append_printf (s, _(" TURN over %s works through it."), via);
      else if (c->result != TRV_TURN_CHECK_NOT_TRIED)
        g_string_append_printf (s, _(" TURN over %s through it failed: %s."), via, c->error);
    }
  if (r->proxy_turn_tcp.result == TRV_TURN_CHECK_NOT_TRIED &&
      r->proxy_turn_tls.result == TRV_TURN_CHECK_NOT_TRIED)
    g_string_append (s, _(" not tried (no TURN server with credentials)."));
  return g_string_free (s, FALSE);
}

/* Calls send TURN over TCP/TLS through the proxy where there is one: what works through
 * it is what counts; a proxy that fails where the direct way works is worth a warning. */
static void
conclude_proxy (TrvNatReport *r, gboolean *tcp, gboolean *tls)
{
  gboolean proxy_tcp = r->proxy_turn_tcp.result == TRV_TURN_CHECK_OK;
  gboolean proxy_tls = r->proxy_turn_tls.result == TRV_TURN_CHECK_OK;
  if (r->proxy == NULL)
    return;
  if ((*tcp && !proxy_tcp) || (*tls && !proxy_tls))
    g_ptr_array_add (r->warnings,
                     g_strdup_printf (_("TURN over %s works directly but not through the HTTP "
                                        "proxy %s, which calls use: set nat.http-proxy = none "
                                        "to connect directly"),
                                      *tcp && !proxy_tcp ? "TCP" : "TLS", r->proxy));
  *tcp = proxy_tcp;
  *tls = proxy_tls;
}

void
trv_nat_report_conclude (TrvNatReport *r)
{
  gboolean turn_udp = r->turn_udp.result == TRV_TURN_CHECK_OK;
  gboolean turn_tcp = r->turn_tcp.result == TRV_TURN_CHECK_OK;
  gboolean turn_tls = r->turn_tls.result == TRV_TURN_CHECK_OK;
  g_autofree gchar *verdict = NULL;

  conclude_proxy (r, &turn_tcp, &turn_tls);

  r->usable = TRUE;
  /* The first that works of UDP, TCP, TLS (each costs more per packet than the one before). */
  r->recommended_turn_transport = turn_udp || (!turn_tcp && !turn_tls) ? TRV_TURN_TRANSPORT_UDP
                                  : turn_tcp ? TRV_TURN_TRANSPORT_TCP : TRV_TURN_TRANSPORT_TLS;
  if (!r->stun_reachable)
    {
      if (turn_tcp && !turn_udp)
        {
          r->udp_blocked = TRUE;
          r->recommended_mode = TRV_NAT_MODE_TURN;
          verdict = r->proxy
            ? g_strdup_printf (_("UDP is blocked: calls will be relayed over TCP through the "
                                 "HTTP proxy %s and the TURN server %s."), r->proxy, r->turn_server)
            : g_strdup_printf (_("UDP is blocked: calls will be relayed over TCP through the "
                                 "TURN server %s."), r->turn_server);
        }
      else if (turn_tls && !turn_udp)
        {
          r->udp_blocked = TRUE;
          r->recommended_mode = TRV_NAT_MODE_TURN;
          verdict = r->proxy
            ? g_strdup_printf (_("UDP is blocked: calls will be relayed over TLS through the "
                                 "HTTP proxy %s and the TURN server %s."), r->proxy,
                               r->turn_tls_server)
            : g_strdup_printf (_("UDP is blocked: calls will be relayed over TLS through the "
                                 "TURN server %s."), r->turn_tls_server);
        }
      else if (turn_udp)
        {
          r->recommended_mode = TRV_NAT_MODE_ICE;
          verdict = g_strdup_printf (_("The STUN server %s did not answer, but the TURN relay works: "
                                       "calls will use the relay (ICE)."),
                                     r->stun_server ? r->stun_server : _("(none)"));
        }
      else
        {
          r->usable = FALSE;
          r->recommended_mode = TRV_NAT_MODE_ICE;
          verdict = r->turn_server
            ? g_strdup_printf (_("No answer from the STUN server %s or the TURN server %s: "
                                 "check the server address; UDP may also be blocked on this "
                                 "network."), r->stun_server, r->turn_server)
            : g_strdup_printf (_("No answer from the STUN server %s: check the server "
                                 "address; UDP may also be blocked on this network."),
                               r->stun_server);
        }
    }
  else if (r->mapping == TRV_NAT_MAPPING_NO_NAT)
    {
      r->recommended_mode = TRV_NAT_MODE_NONE;
      verdict = g_strdup_printf (_("Your computer has a public address (%s): calls work directly, "
                                   "no NAT traversal is needed."), r->mapped_address);
    }
  else if (r->mapping == TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT)
    {
      r->recommended_mode = TRV_NAT_MODE_STUN;
      verdict = g_strdup_printf (_("Your network allows direct calls through NAT (STUN): your public "
                                   "address %s stays the same towards every destination."),
                                 r->mapped_address);
    }
  else if (r->mapping == TRV_NAT_MAPPING_ENDPOINT_DEPENDENT)
    {
      r->recommended_mode = TRV_NAT_MODE_ICE;
      if (turn_udp || turn_tcp || turn_tls)
        verdict = g_strdup (_("Your NAT changes ports per destination (symmetric): calls need the "
                              "TURN relay (ICE will use it when no direct path works)."));
      else
        verdict = g_strdup (_("Your NAT changes ports per destination (symmetric): calls need a "
                              "TURN relay, but none works here, so calls to peers behind NAT will "
                              "have no audio. Configure a TURN server."));
    }
  else
    {
      r->recommended_mode = TRV_NAT_MODE_ICE;
      verdict = g_strdup_printf (_("You are behind NAT (public address %s). The server offers no "
                                   "second address to test how the NAT maps ports, so ICE (with "
                                   "TURN as fallback) is the safe choice."), r->mapped_address);
    }
  r->verdict = g_steal_pointer (&verdict);

  if (r->turn_udp.result == TRV_TURN_CHECK_AUTH_FAILED ||
      r->turn_tcp.result == TRV_TURN_CHECK_AUTH_FAILED)
    g_ptr_array_add (r->warnings,
                     g_strdup_printf ("TURN: %s", r->turn_udp.result == TRV_TURN_CHECK_AUTH_FAILED
                                                  ? r->turn_udp.error : r->turn_tcp.error));
  /* A refused certificate is never silent. */
  if (r->turn_tls.result != TRV_TURN_CHECK_NOT_TRIED && r->turn_tls.result != TRV_TURN_CHECK_OK)
    g_ptr_array_add (r->warnings, g_strdup_printf (_("TURN over TLS: %s"), r->turn_tls.error));
}

gboolean
trv_nat_report_choose_auto_mode (const TrvNatReport *report, TrvTurnTransport configured_transport,
                                 TrvNatMode *mode, TrvTurnTransport *transport)
{
  g_return_val_if_fail (mode != NULL && transport != NULL, FALSE);
  if (report == NULL || !report->usable)
    {
      *mode = TRV_NAT_MODE_ICE;
      *transport = configured_transport;
      return FALSE;
    }
  *mode = report->recommended_mode;
  *transport = report->recommended_turn_transport;
  return TRUE;
}
