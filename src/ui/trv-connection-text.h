/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-connection-text.h: how a call is connected, in plain words for the call view.
 * GLib only, so the wording can be tested without a display. */
#pragma once

#include <glib.h>
#include "trv-nat-config.h"
#include "trv-media-transport.h"

G_BEGIN_DECLS

/* "Direct", "Through NAT (STUN)", "Relayed via TURN server turn.example.org", ...
 * turn_server: the configured server name, shown instead of the relay address when known.
 * protocol: "udp"/"tcp" or NULL. */
gchar      *trv_connection_describe_path (TrvPathType local_type,
                                          const char *local_address,
                                          TrvPathType remote_type,
                                          const char *remote_address,
                                          const char *protocol,
                                          const char *turn_server);
/* "Host (local network address)", "Server-reflexive (public address found by STUN)", ... */
const char *trv_connection_describe_candidate (TrvPathType type);
/* "12 ms", "Not measured yet" (rtt_ms < 0). */
gchar      *trv_connection_format_ms     (double ms);
/* "0.5 % (3 of 600 packets)", "None" */
gchar      *trv_connection_format_loss   (gint64 lost, guint64 received);
/* "1:05", "1:02:03" */
gchar      *trv_connection_format_duration (double seconds);

/* nat.mode = auto, for the main window: "Through NAT (STUN) — chosen automatically: <why>".
 * from_probe: the probe's recommendation was taken, `reason` is its verdict; otherwise
 * the fallback mode, `reason` says why the probe could not decide (NULL: no reason). */
gchar      *trv_connection_describe_auto_mode (TrvNatMode mode,
                                               TrvTurnTransport transport,
                                               gboolean from_probe,
                                               const char *reason);

/* "Good (estimated MOS 4.2)": the E-model's R factor in the words of ITU-T G.107's
 * user-satisfaction bands, with the MOS it maps to. */
gchar      *trv_connection_describe_quality (double r, double mos);

#define TRV_SILENCE_HINT_SECONDS 5

/* Why the user hears nothing, when no audio packet arrived for `silent_s` seconds of an
 * active call (NULL below TRV_SILENCE_HINT_SECONDS; the same words for any longer time). `ever_received`: audio arrived
 * earlier in the call (it stopped) or never did (blocked from the start). */
gchar      *trv_connection_describe_silence (double silent_s, gboolean ever_received);

/* A short name for a party: the display name when there is one, else the user part
 * of the URI ("sip:bob@example.org" -> "bob"), else the URI. For avatars and titles. */
gchar      *trv_party_short_name (const char *display_name, const char *uri);
/* "2 new messages, 5 old" from a message summary's counts (old < 0: not known); NULL when
 * the new count is not known (< 0). */
gchar      *trv_voicemail_summary (gint new_count, gint old_count);

G_END_DECLS
