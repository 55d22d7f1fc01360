/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-enums.c: the nicks glib-mkenums generates are the words configs, GSettings, stats
 * JSON and the CLI use; trv-enum.h converts both ways. */
#include "trv-enum.h"
#include "trv-nat-report.h"
#include "trv-user-agent.h"
#include "trv-recent-calls.h"
#include "trv-config-enums.h"
#include "trv-sdp-enums.h"
#include "trv-nat-enums.h"
#include "trv-transport-enums.h"
#include "trv-sip-enums.h"
#include "trv-ui-enums.h"

typedef struct {
  GType (*get_type)(void);
  const char *nicks[9];          /* by value 0, 1, ...; NULL-terminated */
} EnumCase;

/* Written out, not derived: these strings are read by users' configs and scripts. */
static const EnumCase cases[] = {
  { trv_sip_transport_get_type, { "udp", "tcp", "tls" } },
  { trv_srtp_policy_get_type, { "off", "optional", "mandatory" } },
  { trv_nat_mode_get_type, { "none", "stun", "turn", "ice", "auto" } },
  { trv_turn_transport_get_type, { "udp", "tcp", "tls" } },
  { trv_direction_get_type, { "sendrecv", "sendonly", "recvonly", "inactive" } },
  { trv_nat_mapping_get_type, { "unknown", "none", "endpoint-independent", "endpoint-dependent" } },
  { trv_turn_check_get_type, { "not-tried", "ok", "auth-failed", "unreachable", "failed",
                               "tls-failed" } },
  { trv_ice_state_get_type, { "new", "gathering", "gathered", "checking", "connected", "failed",
                              "closed" } },
  { trv_path_type_get_type, { "unknown", "host", "srflx", "prflx", "relay" } },
  { trv_call_state_get_type, { "dialing", "ringing", "incoming", "active", "held", "ended" } },
  { trv_call_direction_get_type, { "outgoing", "incoming" } },
  { trv_call_end_reason_get_type, { "none", "local-hangup", "remote-hangup", "rejected",
                                    "declined", "cancelled", "failed", "no-media" } },
  { trv_registration_state_get_type, { "disabled", "unregistered", "registering", "registered",
                                       "failed" } },
  { trv_recent_outcome_get_type, { "answered", "missed", "declined", "cancelled", "rejected",
                                   "failed" } },
};

static void
test_round_trip (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      GType type = cases[c].get_type ();
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      guint n = 0;
      for (; cases[c].nicks[n]; n++)
        {
          const char *nick = cases[c].nicks[n];
          g_assert_cmpstr (trv_enum_to_nick (type, n), ==, nick);
          gint value = -1;
          g_assert_true (trv_enum_from_nick (type, nick, &value));
          g_assert_cmpint (value, ==, n);
        }
      /* No value the table above does not know. */
      g_assert_cmpuint (klass->n_values, ==, n);
    }
}

static void
test_case_insensitive (void)
{
  gint value = -1;
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SIP_TRANSPORT, "TLS", &value));
  g_assert_cmpint (value, ==, TRV_SIP_TRANSPORT_TLS);
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, "Mandatory", &value));
  g_assert_cmpint (value, ==, TRV_SRTP_MANDATORY);
  g_assert_true (trv_enum_from_nick (TRV_TYPE_CALL_END_REASON, "No-Media", &value));
  g_assert_cmpint (value, ==, TRV_CALL_END_NO_MEDIA);
  g_assert_true (trv_enum_from_nick (TRV_TYPE_NAT_MAPPING, "NONE", &value));
  g_assert_cmpint (value, ==, TRV_NAT_MAPPING_NO_NAT);
}

static void
test_unknown_refused (void)
{
  gint value = 42;
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MODE, "upnp", &value));
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MODE, "", &value));
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MODE, NULL, &value));
  /* The C name is not a nick. */
  g_assert_false (trv_enum_from_nick (TRV_TYPE_NAT_MAPPING, "no-nat", &value));
  g_assert_false (trv_enum_from_nick (TRV_TYPE_TURN_TRANSPORT, "dtls", &value));
  g_assert_cmpint (value, ==, 42);

  g_assert_null (trv_enum_to_nick (TRV_TYPE_NAT_MODE, TRV_NAT_MODE_AUTO + 1));
  g_assert_null (trv_enum_to_nick (TRV_TYPE_CALL_STATE, -1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/enums/round-trip", test_round_trip);
  g_test_add_func ("/enums/case-insensitive", test_case_insensitive);
  g_test_add_func ("/enums/unknown-refused", test_unknown_refused);
  return g_test_run ();
}
