/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-cli.h: what the pieces of traverse-cli share: exit codes, the output helpers and
 * the run's state (traverse-cli.c: options, agent, main; trv-cli-call.c: the calls). */
#pragma once

#include <glib.h>

#include "trv-echo-endpoint.h"
#include "trv-nat-report.h"
#include "trv-user-agent.h"

G_BEGIN_DECLS

enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
  EXIT_REGISTRATION = 3,
  EXIT_UNREACHABLE = 3,   /* probe: no STUN/TURN server answered */
  EXIT_CALL = 4,
  EXIT_NO_MEDIA = 5,
};

typedef enum { CMD_REGISTER, CMD_CALL, CMD_ANSWER, CMD_PROBE } TrvCliCommand;

typedef struct {
  TrvCliCommand command;
  gchar *config_path;
  gchar *uri;
  double duration;
  gchar *play;
  gchar *record;
  gchar *stats;
  gchar *dtmf;
  double timeout;
  gint calls;
  gint reject;
  double answer_after;
  gboolean accept_waiting;    /* answer: take a second call, holding the first */
  double hold_after;
  double hold_for;
  gchar *transfer_to;         /* blind transfer of the call to this URI */
  double transfer_after;      /* ... this many seconds after the answer */
  gboolean attended;          /* ... after consulting the target (attended transfer) */
  gboolean json;
  TrvNatReport *nat_report;   /* the probe behind nat.mode = auto, for --stats */

  GMainLoop *loop;
  TrvUserAgent *agent;
  TrvEchoEndpoint *echo;
  TrvMediaConfig *media;
  TrvMediaOptions *options;   /* as given; a waiting call records to --record's NAME-2... */
  gchar *aor;
  int exit_code;
  gboolean finishing;
  gboolean started_calling;
  guint timeout_source;
  guint calls_done;
  guint calls_seen;
  guint waiting_taken;        /* waiting calls answered: they do not count toward --calls */
} TrvCli;

/* One line on stderr, prefixed "traverse-cli: ". */
void trv_cli_fail_line (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* One line on stdout, flushed at once (scripts read it while we run). */
void trv_cli_say       (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* traverse-cli.c: shuts the agent (and echo endpoint) down, then quits the loop with
 * `exit_code`. Only the first call counts. */
void trv_cli_finish    (TrvCli *cli, int exit_code);

/* trv-cli-call.c */
/* (Re)starts the overall timeout: no registration, answer or incoming call in time. */
void trv_cli_arm_timeout      (TrvCli *cli, double seconds);
/* `call`: dials the URI (or the echo endpoint) and follows the call. */
void trv_cli_start_calling    (TrvCli *cli);
/* "incoming-call" of the agent for `answer`: answers (maybe later) or rejects. */
void trv_cli_on_incoming_call (TrvUserAgent *agent, TrvCall *call, TrvCli *cli);

/* trv-cli-waiting.c: a call that comes during a call (call waiting). */
/* PATH with "-N" before its extension (NAME.json -> NAME-2.json). */
gchar   *trv_cli_numbered_path       (const char *path, guint n);
/* With --accept-waiting and --record: the file the next call records to. */
void     trv_cli_name_next_recording (TrvCli *cli);
/* A waiting call: says so; without --accept-waiting refuses it (486) and returns TRUE. */
gboolean trv_cli_refuse_waiting      (TrvCli *cli, TrvCall *call);
/* Answers a waiting call after holding the current one. */
void     trv_cli_answer_waiting      (TrvCli *cli, TrvCall *call);
/* A call ended and the run goes on: with --accept-waiting a held call is resumed. */
void     trv_cli_waiting_call_ended  (TrvCli *cli);

G_END_DECLS
