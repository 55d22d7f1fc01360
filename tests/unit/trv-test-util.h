/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixture helpers shared by the unit tests: in-process user agents and UDP transports
 * on 127.0.0.1, bounded main-loop waits, call-state predicates, and trv-tone (TRV_TONE)
 * to generate and check WAVs. Every wait is bounded by a limit the caller gives. */
#pragma once

#include "trv-media-session.h"
#include "trv-nat-probe.h"
#include "trv-user-agent.h"

G_BEGIN_DECLS

typedef gboolean (*TrvTestCond) (gpointer data);

/* Iterates the default main context until cond(data) holds (TRUE) or limit_ms passes. */
gboolean trv_test_wait_for (TrvTestCond cond, gpointer data, guint limit_ms);
/* Iterates the default main context for `ms`. */
void     trv_test_run_for  (guint ms);

gboolean trv_test_call_is_active (gpointer call);
gboolean trv_test_call_is_ended  (gpointer call);
gboolean trv_test_call_is_held   (gpointer call);
gboolean trv_test_call_has_media (gpointer call);

/* sip:<user>@127.0.0.1, no registration; the caller may change it before starting. */
TrvAccountConfig *trv_test_account_new (const char *user);
/* Validates `acc`, makes an agent with a live 440 Hz audiotestsrc and a fakesink,
 * jitter 40 ms, and starts it on 127.0.0.1 (asserting each step). */
TrvUserAgent     *trv_test_agent_start (TrvAccountConfig *acc);
/* The same with a NAT config and a network monitor (each may be NULL: defaults). */
TrvUserAgent     *trv_test_agent_start_full (TrvAccountConfig *acc, const TrvNatConfig *nat,
                                             GNetworkMonitor *monitor);
/* Shuts the agent down, asserting it finished within limit_ms. */
void              trv_test_agent_shutdown (TrvUserAgent *agent, guint limit_ms);

/* Runs a NAT probe (domain may be NULL; timeout_ms 0: the probe's default), asserting it
 * finished within limit_ms; the report, or NULL with the error. */
TrvNatReport *trv_test_run_probe (TrvNatConfig *nat, const char *domain, guint timeout_ms,
                                  guint limit_ms, GError **error);

/* Prepares `t`, asserting it succeeded within limit_ms. */
void          trv_test_prepare (TrvMediaTransport *t, guint limit_ms);
/* A UDP transport on 127.0.0.1, asserted prepared within limit_ms. */
TrvMediaTransport *trv_test_udp_transport (guint limit_ms);

/* Teardown of two media sessions over two transports (any of them may be NULL): both
 * sessions stop before anything is freed, so neither sees its peer vanish mid-run. */
void trv_test_media_clear (TrvMediaSession **ma, TrvMediaSession **mb,
                           TrvMediaTransport **ta, TrvMediaTransport **tb,
                           TrvNegotiation **na, TrvNegotiation **nb);

/* $TRV_TONE (NULL outside meson test). */
const char *trv_test_tone_tool (void);
/* Runs trv-tone with argv (argv[0] the tool); its exit status, -1 if it could not run. */
int         trv_test_tone_run (const char *const *argv);
/* A 2 s sine of `freq` Hz into `path` (asserted). */
void        trv_test_tone_generate (const char *path, int freq);
/* trv-tone check of `freq` in `path`: present in at least `min_fraction` of the frames, or
 * with min_fraction NULL, absent; skip_seconds NULL checks from the start. Exit status. */
int         trv_test_tone_check (const char *path, int freq, const char *min_fraction,
                                 const char *skip_seconds);

/* A new temporary directory from `tmpl` (asserted). */
gchar *trv_test_tmp_dir (const char *tmpl);
/* Unlinks *path (if any) and frees it. */
void   trv_test_remove_file (gchar **path);

G_END_DECLS
