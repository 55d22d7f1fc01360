/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-private.h: what the window and the action handlers use of the
 * application. The application owns the core objects; widgets only render them. */
#pragma once

#include "trv-application.h"
#include "trv-background.h"
#include "trv-contacts.h"
#include "trv-call.h"
#include "trv-nat-chooser.h"
#include "trv-recent-calls.h"
#include "trv-settings.h"
#include "trv-user-agent.h"
#include "trv-window.h"

G_BEGIN_DECLS

/* NULL when the agent could not start; then _trv_application_get_agent_error() says why. */
TrvUserAgent   *_trv_application_get_agent        (TrvApplication *self);
const GError   *_trv_application_get_agent_error  (TrvApplication *self);
/* TRUE while the settings are being read or the network tested, before the agent exists. */
gboolean        _trv_application_is_starting      (TrvApplication *self);
/* nat.mode = auto: what picks the mode and says why; NULL for any other mode. */
TrvNatChooser  *_trv_application_get_nat_chooser  (TrvApplication *self);
/* The chooser whatever the mode (for its "chosen" signal); see get_nat_chooser(). */
TrvNatChooser  *_trv_application_peek_nat_chooser (TrvApplication *self);
/* "sip:traverse@192.168.1.5:5060": where direct calls reach this app (NULL if not started). */
gchar          *_trv_application_dup_direct_uri   (TrvApplication *self);
/* trv-application-direct.c: the port of that address is kept across restarts. */
typedef struct {
  guint retiring;               /* replaced agents still shutting down (holding ports) */
  gboolean build_waiting;       /* the next agent waits for them, to get the same port */
  guint16 moved_from;           /* the port of last time was taken: the address changed */
} TrvDirectPort;
TrvDirectPort  *_trv_application_get_direct_port  (TrvApplication *self);
/* The main agent's port of last time (0: none). */
guint16         _trv_application_remembered_port  (TrvApplication *self);
/* The main agent listens now: keeps its port for the next start. */
void            _trv_application_note_listening   (TrvApplication *self);
/* The first account's address ("sip:alice@example.org") or NULL without an account. */
const char     *_trv_application_get_account_address (TrvApplication *self);
/* The configured TURN server ("turn.example.org:3478") or NULL, for the call view's words. */
const char     *_trv_application_get_turn_server  (TrvApplication *self);
TrvRecentCalls *_trv_application_get_recent_calls (TrvApplication *self);
/* The user's address books (evolution-data-server), empty without it. */
TrvContacts    *_trv_application_get_contacts     (TrvApplication *self);
/* trv-application-contacts.c: the caller's name from the address books, else the name the
 * call's SIP headers give; NULL when neither has one. */
gchar          *_trv_application_dup_caller_name  (TrvApplication *self, TrvCall *call);
/* The ringing call's desktop notification (withdrawn by its id). */
#define TRV_NOTIFICATION_INCOMING "incoming-call"
void            _trv_application_send_incoming_notification (TrvApplication *self,
                                                             TrvCall *call);
/* Such a notification with its own title and the actions of its two buttons. */
void            _trv_application_send_call_notification (TrvApplication *self, TrvCall *call,
                                                         const char *title,
                                                         const char *answer_action,
                                                         const char *decline_action);
/* The contact name for a SIP address or number, NULL for a stranger. */
gchar          *_trv_application_dup_contact_name (TrvApplication *self, const char *address);
/* Keeps the app running with its window closed while an account is set up. */
TrvBackground  *_trv_application_get_background   (TrvApplication *self);
/* The call in progress (outgoing, answered or ringing), or NULL. */
TrvCall        *_trv_application_get_current_call (TrvApplication *self);

/* Starts a call from the chosen account (see _trv_application_get_outgoing_agent());
 * on failure returns NULL with a message meant for the user. */
TrvCall        *_trv_application_dial             (TrvApplication *self,
                                                   const char *target,
                                                   GError **error);
/* Calls the in-process echo endpoint (started on first use). */
TrvCall        *_trv_application_start_echo_test  (TrvApplication *self, GError **error);
gboolean        _trv_application_is_echo_uri      (TrvApplication *self, const char *uri);
gboolean        _trv_application_answer           (TrvApplication *self, GError **error);
void            _trv_application_decline          (TrvApplication *self);
/* Stops a running agent and builds a new one from the current settings. */
void            _trv_application_restart_agent    (TrvApplication *self);

/* trv-application-actions.c: a g_unix_signal_add() handler (SIGTERM, SIGINT): quits as
 * app.quit does. */
gboolean        _trv_application_on_quit_signal   (gpointer data);

/* trv-application-deferred.c: start-up work that waits until the window has drawn. */
typedef struct {
  guint fallback;               /* starts it anyway: no window, or one that never draws */
  gboolean done;
} TrvDeferredWork;
TrvDeferredWork *_trv_application_get_deferred    (TrvApplication *self);
/* From startup: holds the work back (main.c holds GStreamer's preloads). */
void            _trv_application_defer_work       (TrvApplication *self);
/* After presenting the window: the work starts once it has drawn its first frame. */
void            _trv_application_defer_work_until_drawn (TrvApplication *self,
                                                         GtkWindow *window);
/* From shutdown: nothing more starts, and nothing waits for a release. */
void            _trv_application_end_deferred_work (TrvApplication *self);

/* The main window (NULL when it is closed); present_window creates it if needed and
 * raises it, e.g. for a click on the incoming-call notification. */
TrvWindow      *_trv_application_get_main_window  (TrvApplication *self);
TrvWindow      *_trv_application_present_window   (TrvApplication *self);

/* A link to call once the agent has started (the first launch was by a link). */
void            _trv_application_set_pending_link (TrvApplication *self, const char *link);
/* Calls that link once the account it goes out from has registered (or failed to: then
 * the refusal names it). */
void            _trv_application_try_pending_link (TrvApplication *self);

/* What trv-application-accounts.c builds the agents from: the settings store (NULL without
 * the schema), the loaded NAT, media and audio settings (audio may be NULL), and the
 * state it keeps of the accounts after the first. */
typedef struct _TrvExtraAccounts TrvExtraAccounts;
TrvSettings            *_trv_application_get_settings       (TrvApplication *self);
const TrvNatConfig     *_trv_application_get_nat_config     (TrvApplication *self);
const TrvMediaConfig   *_trv_application_get_media_config   (TrvApplication *self);
const TrvAudioSettings *_trv_application_get_audio_settings (TrvApplication *self);
TrvExtraAccounts       *_trv_application_get_extras         (TrvApplication *self);
/* Relays a new agent's registration changes and takes the calls it receives. */
void            _trv_application_watch_agent      (TrvApplication *self, TrvUserAgent *agent);
/* "agent-changed", emitted through the application's signals[]. */
void            _trv_application_emit_agent_changed (TrvApplication *self);

/* trv-application-links.c */
/* Dials a sip:/sips:/tel: link; a failure is shown in the window and returned. */
gboolean        _trv_application_call_link        (TrvApplication *self, const char *link,
                                                   GError **error);
/* GApplication vfuncs: --version, links on the command line, links opened as files. */
gint            _trv_application_handle_local_options (GApplication *app, GVariantDict *options);
int             _trv_application_command_line     (GApplication *app,
                                                   GApplicationCommandLine *cmdline);
void            _trv_application_open             (GApplication *app, GFile **files,
                                                   gint n_files, const gchar *hint);

/* The account outgoing calls go out from, by address (NULL: the first); kept for the
 * session. The echo test always uses the first account's agent. */
void            _trv_application_set_outgoing_account (TrvApplication *self,
                                                       const char *address);
const char     *_trv_application_get_outgoing_account (TrvApplication *self);

/* trv-application-outgoing.c */
/* Every account's address, the first account first (empty without an account). */
GStrv           _trv_application_dup_account_addresses (TrvApplication *self);
/* The chosen account's index in that list: 0 if none was chosen or it is gone. */
guint           _trv_application_get_outgoing_index    (TrvApplication *self);
/* The agent _trv_application_dial() uses: the first one with a single account; with several,
 * the chosen one, or NULL with a message naming the account when it did not start or is
 * not registered. */
TrvUserAgent   *_trv_application_get_outgoing_agent    (TrvApplication *self, GError **error);
/* TRUE while that choice is still starting or registering (a launch link waits for it). */
gboolean        _trv_application_outgoing_is_settling  (TrvApplication *self);

/* trv-application-accounts.c */
/* Shutting down: each agent's (or the echo endpoint's) end decrements the guint *pending
 * passed as data; wait_pending iterates the main context until it is 0 or the time is up
 * (the main loop has stopped by then). */
void            _trv_application_on_shutdown_done  (GObject *source, GAsyncResult *result,
                                                    gpointer data);
void            _trv_application_wait_pending      (guint *pending, guint timeout_ms);
/* After every agent change: the app holds itself while any account is set up. */
void            _trv_application_update_background (TrvApplication *self);
TrvExtraAccounts *_trv_extra_accounts_new        (void);
/* Cancels the password lookups and drops the accounts with their agents. */
void            _trv_extra_accounts_free          (TrvExtraAccounts *extras);
/* An agent for one account with the application's NAT and media settings, started and
 * watched; NULL with the reason when it could not start. */
TrvUserAgent   *_trv_application_launch_agent     (TrvApplication *self,
                                                   const TrvAccountConfig *account,
                                                   guint16 preferred_port,
                                                   GError **error);
/* Stops watching an agent and shuts it down in the background; takes the reference. */
void            _trv_application_retire_agent     (TrvApplication *self, TrvUserAgent *old);
/* (Re)starts the agents of the accounts after the first (their passwords are read first);
 * stop retires them and forgets the accounts. */
void            _trv_application_start_extra_accounts (TrvApplication *self);
void            _trv_application_stop_extra_accounts  (TrvApplication *self);
/* On quit: stops the password lookups and starts shutting each running agent down,
 * counting it in *pending, which callback gets as its data (and decrements); clear
 * then drops the accounts and their agents. */
void            _trv_application_shutdown_extra_accounts (TrvApplication *self,
                                                          GAsyncReadyCallback callback,
                                                          guint *pending);
void            _trv_application_clear_extra_accounts    (TrvApplication *self);
/* An agent that could not start after all ("started" with an error): it is stopped and
 * the error kept as its account's. FALSE when `agent` is not the first account's (the
 * _extra_ variant: not an extra account's). */
gboolean        _trv_application_agent_failed            (TrvApplication *self,
                                                          TrvUserAgent *agent,
                                                          const GError *error);
gboolean        _trv_application_extra_agent_failed      (TrvApplication *self,
                                                          TrvUserAgent *agent,
                                                          const GError *error);
/* The accounts after the first (in the Preferences' order): each registers and receives
 * calls with an agent of its own. The agent is NULL while its password is read, or when it
 * could not start (then the error says why). */
guint           _trv_application_get_n_extra_accounts (TrvApplication *self);
const char     *_trv_application_get_extra_address    (TrvApplication *self, guint i);
TrvUserAgent   *_trv_application_get_extra_agent      (TrvApplication *self, guint i);
const GError   *_trv_application_get_extra_error      (TrvApplication *self, guint i);

/* trv-application-actions.c */
void            _trv_application_add_actions      (TrvApplication *self);
void            _trv_application_update_actions   (TrvApplication *self);

/* trv-application-waiting.c: calls beside the current one (call waiting): one ringing,
 * one held. */
TrvCall        *_trv_application_get_waiting_call (TrvApplication *self);
TrvCall        *_trv_application_get_held_call    (TrvApplication *self);
void            _trv_application_take_waiting     (TrvApplication *self, TrvUserAgent *agent,
                                                   TrvCall *call);
void            _trv_application_other_ended      (TrvApplication *self, TrvCall *call);
gboolean        _trv_application_other_takes_over (TrvApplication *self);
gboolean        _trv_application_answer_waiting   (TrvApplication *self, gboolean end_current,
                                                   GError **error);
void            _trv_application_decline_waiting  (TrvApplication *self);
gboolean        _trv_application_switch_calls     (TrvApplication *self, GError **error);
void            _trv_application_add_waiting_actions    (TrvApplication *self);
void            _trv_application_update_waiting_actions (TrvApplication *self);
void            _trv_application_waiting_class_init     (GObjectClass *klass);
/* @call (of @agent) waits on hold beside the current one, as a held call. */
void            _trv_application_set_held_call    (TrvApplication *self, TrvUserAgent *agent,
                                                   TrvCall *call);

/* trv-application-transfer.c: transfer of the current call, blind or after consulting the
 * target; the calls a transfer brings (we were transferred, or our call was replaced)
 * become the current or held call. */
void            _trv_application_add_transfer_actions    (TrvApplication *self);
void            _trv_application_update_transfer_actions (TrvApplication *self);
/* trv-application.c: follows @call's state (the history, the end of the current call). */
void            _trv_application_watch_call       (TrvApplication *self, TrvCall *call);
/* @call becomes the current call; returns the previous one (full). */
TrvCall        *_trv_application_replace_current  (TrvApplication *self, TrvCall *call);
/* Rings for @call, the current call: ringtone, notification, "incoming-call". */
void            _trv_application_ring             (TrvApplication *self, TrvCall *call);

/* Signals (all on the main context):
 *  "agent-changed"        ()                the agent was (re)built or failed to start
 *  "registration-changed" ()                relayed from the agent
 *  "call-started"         (TrvCall *call)   an outgoing call was placed or an incoming one answered
 *  "incoming-call"        (TrvCall *call)   a call is ringing
 *  "call-ended"           (TrvCall *call)   the current call ended (recent calls updated)
 *  "other-calls-changed"  ()                the waiting or the held call changed */

G_END_DECLS
