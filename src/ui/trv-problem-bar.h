/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-problem-bar.h: one problem in plain words (TrvProblem), the button of the action
 * that helps, and the technical detail (SIP status, URI) in a "Details" expander that
 * keyboard and screen reader users open like any other. */
#pragma once

#include <adwaita.h>

#include "trv-problem.h"

G_BEGIN_DECLS

#define TRV_TYPE_PROBLEM_BAR (trv_problem_bar_get_type ())
G_DECLARE_FINAL_TYPE (TrvProblemBar, trv_problem_bar, TRV, PROBLEM_BAR, GtkWidget)

/* can_dismiss: a Dismiss button (for news such as a failed call; a standing state such
 * as a failed registration goes away by itself). */
GtkWidget        *trv_problem_bar_new        (gboolean can_dismiss);
/* Shows @problem (copied); NULL hides the bar. */
void              trv_problem_bar_set_problem (TrvProblemBar *self, const TrvProblem *problem);
const TrvProblem *trv_problem_bar_get_problem (TrvProblemBar *self);
/* A heading naming what the problem is about (an account's address); NULL: none. */
void              trv_problem_bar_set_subject (TrvProblemBar *self, const char *subject);

/* Signal "action" (TrvProblemAction action): the action button was pressed.
 * Signal "dismissed" (): the Dismiss button was pressed (the bar has hidden itself). */

G_END_DECLS
