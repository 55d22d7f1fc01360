/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-private.h: the window's fields, shared with its action handlers. */
#pragma once

#include "trv-application-private.h"
#include "trv-call-view.h"
#include "trv-call-waiting-row.h"
#include "trv-dialpad.h"
#include "trv-incoming-view.h"
#include "trv-problem-bar.h"
#include "trv-window.h"

G_BEGIN_DECLS

struct _TrvWindow {
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  GtkMenuButton *menu_button;
  GMenuModel *primary_menu;    /* set on menu_button when it first opens */
  GtkRevealer *announce_revealer;
  GtkLabel *announce_label;
  GtkStack *stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack *view_stack;    /* the home views: Recent, Contacts, Dial Pad */
  GtkWidget *recent_page;      /* each view's content, hidden while another shows */
  GtkWidget *contacts_page;
  GtkWidget *dial_page;
  AdwActionRow *registration_row;
  GtkLabel *account_hint;      /* without an account: how to add one */
  GtkImage *registration_icon;
  GtkButton *retry_button;
  AdwActionRow *direct_row;
  AdwActionRow *voicemail_row;
  GtkImage *voicemail_icon;
  GtkButton *voicemail_button;
  AdwActionRow *network_row;   /* nat.mode = auto: the method picked and why */
  AdwPreferencesGroup *outgoing_group;
  AdwComboRow *outgoing_row;   /* "Call from", shown with two or more accounts */
  GtkStringList *outgoing_model;
  AdwPreferencesGroup *extra_accounts_group;
  GtkEntry *dial_entry;
  GtkListBox *contact_matches; /* contacts whose name matches the number field */
  GtkButton *call_button;
  TrvDialpad *dialpad;
  GtkButton *echo_button;
  GtkListBox *recent_list;
  GtkSearchEntry *contact_search;
  GtkWidget *recent_scroller;  /* the list, or (without calls) its empty state */
  GtkWidget *recent_empty;
  GtkWidget *contacts_scroller; /* the contacts, or the empty state */
  GtkListBox *contact_list;
  AdwStatusPage *contacts_empty;
  /* The call and incoming pages, built on first use (NULL until then). */
  GtkBox *call_page;
  TrvCallView *call_view;
  TrvCallWaitingRow *waiting_row;
  TrvCallWaitingRow *held_row;
  TrvCall *shown_waiting;       /* announced once */
  TrvCall *shown_held;
  AdwBin *incoming_page;
  TrvIncomingView *incoming_view;
  GtkWindow *shortcuts;         /* Keyboard Shortcuts, built on first use */

  /* State */
  TrvApplication *application;
  TrvCall *call;                /* the call on screen, watched for announcements */
  guint return_home_source;
  guint announce_source;
  TrvRegistrationState last_registration;
  gchar *last_nat_choice;      /* the last announced nat.mode = auto choice */
  GPtrArray *extra_rows;       /* AdwActionRow per account after the first (not owned) */
  gboolean updating_outgoing;  /* the model or selection is set from the application */
  guint n_contact_matches;
  TrvUserAgent *voicemail_agent;   /* whose voicemail the row shows (weak pointer) */
  TrvProblemBar *registration_problem;  /* an account's (trv-window-problems.c) */
  guint problem_account;                /* which: 0 the first, i the (i-1)th extra one */
  TrvProblemBar *call_problem;          /* the last failed call's */
  gchar *problem_call_uri;              /* whom that call went to (Try Again) */
  gboolean problem_call_echo;
  AdwActionRow *public_row;             /* the direct address from outside (trv-window-public.c) */
};

/* trv-window.c */
void _trv_window_announce      (TrvWindow *self, const char *text);
void _trv_window_show_home     (TrvWindow *self);

/* trv-window-voicemail.c: the first account's voice messages and "Call Voicemail". */
void _trv_window_watch_voicemail           (TrvWindow *self);
void _trv_window_unwatch_voicemail         (TrvWindow *self);
void _trv_window_class_voicemail_init      (GtkWidgetClass *widget_class);

/* trv-window-recent.c: the recent calls list, bound to the history, or its empty state. */
void _trv_window_bind_recent_calls (TrvWindow *self);

/* The home views: the content of the views not on screen is hidden (out of the
 * accessibility tree too); _trv_window_focus_view() focuses the view's first control. */
void _trv_window_view_changed (TrvWindow *self);
void _trv_window_show_view    (TrvWindow *self, const char *name);
void _trv_window_focus_view   (TrvWindow *self);

/* trv-window-contacts.c: the contacts matching the number field's text, below it; the
 * single match is what Enter dials (returns FALSE when there is not exactly one). */
void     _trv_window_update_contact_matches (TrvWindow *self);
gboolean _trv_window_dial_single_match      (TrvWindow *self);
/* The Contacts view: every contact's addresses matching its search, or its empty state;
 * Enter in the search dials the first one. */
void     _trv_window_update_contact_list    (TrvWindow *self);
void     _trv_window_dial_first_contact     (TrvWindow *self);

/* trv-window-problems.c: the problem bars under the header bar. */
void _trv_window_setup_problems              (TrvWindow *self);
void _trv_window_update_registration_problem (TrvWindow *self, gboolean starting);
/* The problem of a call that ended (none for a normal end); NULL clears it. */
void _trv_window_show_call_problem           (TrvWindow *self, TrvCall *call);
/* trv-window-public.c: where people outside reach the address for direct calls. */
void _trv_window_update_public_address       (TrvWindow *self);
/* Follows the network tests' reports (from the window's construction on). */
void _trv_window_watch_public_address        (TrvWindow *self);
/* trv-window-actions.c */
/* trv-window-waiting.c */
/* The rows of the waiting and the held call follow the application's. */
void   _trv_window_other_calls_changed (TrvWindow *self);
/* How @call stands, in words, with the held call's name while another is held. */
gchar *_trv_window_describe_call_state (TrvWindow *self, TrvCall *call);

/* trv-window-pages.c: builds the call page (call view, rows of other calls) or the
 * incoming-call page if not yet built. */
void _trv_window_ensure_call_page     (TrvWindow *self);
void _trv_window_ensure_incoming_page (TrvWindow *self);

void _trv_window_class_actions_init (GtkWidgetClass *widget_class);
void _trv_window_update_actions     (TrvWindow *self);
void _trv_window_call_back          (TrvWindow *self, TrvRecentCall *entry);

G_END_DECLS
