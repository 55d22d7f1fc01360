/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-problem.h: what went wrong, in plain words for the person at the phone, with the
 * one action that helps and the technical story (SIP status, URI) kept apart for a
 * detail view. Chosen from data: the error's TRV_ERROR code, its SIP status and URI
 * (trv_error_get_sip_status), the call's end reason; never from a message's text. */
#pragma once

#include <glib-object.h>

#include "trv-call.h"

G_BEGIN_DECLS

typedef enum {
  TRV_PROBLEM_ACTION_NONE,
  TRV_PROBLEM_ACTION_EDIT_ACCOUNT,     /* the account's settings are the fix */
  TRV_PROBLEM_ACTION_TRY_AGAIN,        /* register again now, or dial again */
  TRV_PROBLEM_ACTION_NETWORK_SETTINGS, /* another NAT method or server may work */
} TrvProblemAction;

typedef struct {
  TrvProblemAction action;
  gchar *text;                  /* what happened and what to do, translated, plain */
  gchar *detail;                /* the technical story (SIP status, URI); NULL: none */
  guint sip_status;             /* the SIP status behind it; 0: none */
  gchar *uri;                   /* the server or peer that gave it; NULL: none */
} TrvProblem;

#define TRV_TYPE_PROBLEM (trv_problem_get_type ())
GType       trv_problem_get_type (void) G_GNUC_CONST;
TrvProblem *trv_problem_copy     (const TrvProblem *self);
void        trv_problem_free     (TrvProblem *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvProblem, trv_problem_free)

/* A failed registration (trv_user_agent_get_registration_error()); a retry is
 * scheduled already. */
TrvProblem *trv_problem_new_for_registration (const GError *error);
/* An agent that could not start (no calls at all until the settings change or a retry). */
TrvProblem *trv_problem_new_for_start        (const GError *error);
/* A call that ended: NULL when it ended as calls do (hung up, cancelled, declined by us).
 * @heard_audio: audio had arrived before it ended (a lost connection, not a blocked one). */
TrvProblem *trv_problem_new_for_call_end     (TrvCallEndReason reason, guint sip_status,
                                              const GError *error, gboolean heard_audio);
/* The same for an ended TrvCall. */
TrvProblem *trv_problem_new_for_call         (TrvCall *call);

G_END_DECLS
