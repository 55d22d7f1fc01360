/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window.c: the main window. It renders the application's state (account,
 * history, the current call) and forwards user intent to the application. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-account-row.h"
#include "trv-window-private.h"

#define RETURN_HOME_MS 3000
#define ANNOUNCE_SHOWN_MS 6000

G_DEFINE_FINAL_TYPE (TrvWindow, trv_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- announcements --------------------------------------------------------------------- */

static gboolean
on_announce_timeout (gpointer data)
{
  TrvWindow *self = data;
  self->announce_source = 0;
  gtk_revealer_set_reveal_child (self->announce_revealer, FALSE);
  /* Cleared, so that the same message later counts as a change again. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  "", -1);
  return G_SOURCE_REMOVE;
}

/* GTK 4.8 has no announce API, and it emits no "showing" event for widgets below a
 * window, so an alert label appearing is not spoken. What Orca does present is a
 * change of the accessible description of the focused widget or of one of its
 * ancestors that is showing, and the window is both. So the window's description
 * carries the latest state change ("Connected", "Call ended."), and the alert label
 * shows the same words on screen. */
void
_trv_window_announce (TrvWindow *self, const char *text)
{
  g_return_if_fail (TRV_IS_WINDOW (self));

  gtk_label_set_label (self->announce_label, text);
  gtk_revealer_set_reveal_child (self->announce_revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  self->announce_source = g_timeout_add (ANNOUNCE_SHOWN_MS, on_announce_timeout, self);
}

void
trv_window_show_message (TrvWindow *self, const char *message)
{
  g_return_if_fail (TRV_IS_WINDOW (self));
  /* Toast titles are Pango markup; messages quote addresses like <sip:bob@host>. */
  g_autofree gchar *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  _trv_window_announce (self, message);
}

/* ---- account state ------------------------------------------------------------------- */

/* The words, icon and Retry offer for a running agent's registration state. */
static gchar *
describe_registration (TrvUserAgent *agent, const char *address, const char **icon,
                       gboolean *retry)
{
  *retry = FALSE;
  switch (trv_user_agent_get_registration_state (agent))
    {
    case TRV_REGISTRATION_DISABLED:
      *icon = "avatar-default-symbolic";
      return g_strdup (address ? _("Not registering: direct calls only.")
                               : _("Direct calls and the echo test only."));
    case TRV_REGISTRATION_UNREGISTERED:
      *icon = "network-offline-symbolic";
      *retry = TRUE;
      return g_strdup (_("Not registered"));
    case TRV_REGISTRATION_REGISTERING:
      *icon = "network-idle-symbolic";
      return g_strdup (_("Registering…"));
    case TRV_REGISTRATION_REGISTERED:
      *icon = "network-transmit-receive-symbolic";
      return g_strdup (_("Registered: you can receive calls."));
    case TRV_REGISTRATION_FAILED:
    default:
      {
        /* Plain words from the core; the SIP detail is in the problem bar. */
        g_autoptr(TrvProblem) problem =
          trv_problem_new_for_registration (trv_user_agent_get_registration_error (agent));
        *icon = "dialog-warning-symbolic";
        *retry = TRUE;
        return g_steal_pointer (&problem->text);
      }
    }
}

static void
on_extra_retry (TrvAccountRow *row, TrvWindow *self)
{
  guint i = trv_account_row_get_index (row);
  if (i >= _trv_application_get_n_extra_accounts (self->application))
    return;
  TrvUserAgent *agent = _trv_application_get_extra_agent (self->application, i);
  /* An agent that could not start is rebuilt (with all the others). */
  if (agent)
    trv_user_agent_retry_registration (agent);
  else
    _trv_application_restart_agent (self->application);
}

/* One row per account after the first: its address, its registration in words, Retry. */
static void
update_extra_accounts (TrvWindow *self)
{
  guint n = _trv_application_get_n_extra_accounts (self->application);

  if (self->extra_rows->len != n)
    {
      for (guint i = 0; i < self->extra_rows->len; i++)
        adw_preferences_group_remove (self->extra_accounts_group, self->extra_rows->pdata[i]);
      g_ptr_array_set_size (self->extra_rows, 0);
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *row = trv_account_row_new (i);
          g_signal_connect (row, "retry", G_CALLBACK (on_extra_retry), self);
          adw_preferences_group_add (self->extra_accounts_group, row);
          g_ptr_array_add (self->extra_rows, row);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->extra_accounts_group), n > 0);

  for (guint i = 0; i < n; i++)
    {
      TrvAccountRow *row = self->extra_rows->pdata[i];
      const char *address = _trv_application_get_extra_address (self->application, i);
      TrvUserAgent *agent = _trv_application_get_extra_agent (self->application, i);
      const GError *error = _trv_application_get_extra_error (self->application, i);
      const char *icon = "network-idle-symbolic";
      gboolean retry = FALSE;
      gint state = -1;
      g_autofree gchar *subtitle = NULL;

      if (agent)
        {
          subtitle = describe_registration (agent, address, &icon, &retry);
          state = trv_user_agent_get_registration_state (agent);
        }
      else if (error)
        {
          g_autoptr(TrvProblem) problem = trv_problem_new_for_start (error);
          subtitle = g_steal_pointer (&problem->text);
          icon = "dialog-error-symbolic";
          retry = TRUE;
        }
      else
        subtitle = g_strdup (_("Reading the settings…"));

      trv_account_row_show (row, address, subtitle, icon, retry, agent);

      /* As for the first account: arrivals at registered and failed are news. */
      if (trv_account_row_set_state (row, state) &&
          (state == TRV_REGISTRATION_REGISTERED || state == TRV_REGISTRATION_FAILED))
        {
          g_autofree gchar *news = g_strdup_printf ("%s: %s", address, subtitle);
          _trv_window_announce (self, news);
        }
    }
}

/* The row shows the chosen address as its subtitle; GTK 4.8 does not expose a subtitle
 * to assistive technologies, so it is the row's description too (as for the other rows). */
static void
describe_outgoing (TrvWindow *self)
{
  guint i = adw_combo_row_get_selected (self->outgoing_row);
  const char *address = i == GTK_INVALID_LIST_POSITION
                        ? "" : gtk_string_list_get_string (self->outgoing_model, i);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->outgoing_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, address, -1);
}

/* "Call from": the accounts by address, the application's choice selected; hidden with
 * fewer than two accounts. Rebuilt only when the addresses change, so that a registration
 * update does not disturb the list while it is open. */
static void
update_outgoing (TrvWindow *self)
{
  g_auto(GStrv) addresses = _trv_application_dup_account_addresses (self->application);
  guint n = g_strv_length (addresses);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->outgoing_model));
  gboolean same = n == shown;

  for (guint i = 0; same && i < n; i++)
    same = g_strcmp0 (gtk_string_list_get_string (self->outgoing_model, i), addresses[i]) == 0;
  self->updating_outgoing = TRUE;
  if (!same)
    gtk_string_list_splice (self->outgoing_model, 0, shown, (const char * const *) addresses);
  if (n > 0)
    adw_combo_row_set_selected (self->outgoing_row,
                                _trv_application_get_outgoing_index (self->application));
  self->updating_outgoing = FALSE;
  describe_outgoing (self);
  gtk_widget_set_visible (GTK_WIDGET (self->outgoing_row), n > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->outgoing_group), n > 1);
}

static void
on_outgoing_selected (AdwComboRow *row, GParamSpec *pspec, TrvWindow *self)
{
  guint i = adw_combo_row_get_selected (row);

  if (self->updating_outgoing || i == GTK_INVALID_LIST_POSITION)
    return;
  describe_outgoing (self);
  /* Kept by address: the choice follows the account if the Preferences reorder them. */
  _trv_application_set_outgoing_account (self->application,
                                         gtk_string_list_get_string (self->outgoing_model, i));
}

static void
update_registration (TrvWindow *self)
{
  TrvUserAgent *agent = _trv_application_get_agent (self->application);
  const GError *agent_error = _trv_application_get_agent_error (self->application);
  const char *address = _trv_application_get_account_address (self->application);
  g_autofree gchar *subtitle = NULL;
  const char *title;
  const char *icon;
  gboolean retry = FALSE;
  TrvRegistrationState state = agent ? trv_user_agent_get_registration_state (agent)
                                     : TRV_REGISTRATION_FAILED;

  gboolean starting = agent == NULL && _trv_application_is_starting (self->application);
  if (starting)
    {
      title = _("Starting");
      TrvNatChooser *chooser = _trv_application_get_nat_chooser (self->application);
      subtitle = g_strdup (chooser && trv_nat_chooser_is_choosing (chooser)
                           ? _("Testing the network to choose how to connect…")
                           : _("Reading the settings…"));
      icon = "network-idle-symbolic";
    }
  else if (agent == NULL)
    {
      g_autoptr(TrvProblem) problem = trv_problem_new_for_start (agent_error);
      title = _("Not ready");
      subtitle = g_steal_pointer (&problem->text);
      icon = "dialog-error-symbolic";
      retry = TRUE;
    }
  else
    {
      title = address ? address : _("No account");
      subtitle = describe_registration (agent, address, &icon, &retry);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->registration_row),
                                 title ? title : _("Account"));
  adw_action_row_set_subtitle (self->registration_row, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->registration_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  gtk_image_set_from_icon_name (self->registration_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), retry);
  gtk_widget_set_visible (GTK_WIDGET (self->account_hint),
                          !starting && agent && address == NULL &&
                          state == TRV_REGISTRATION_DISABLED);

  g_autofree gchar *direct = _trv_application_dup_direct_uri (self->application);
  guint16 moved = _trv_application_get_direct_port (self->application)->moved_from;
  /* Translators: %s is the address (sip:...), %u the port it used to have. */
  g_autofree gchar *direct_text = direct && moved
    ? g_strdup_printf (_("%s\nPort %u was in use by another program, so this address has "
                         "changed: give people the new one."), direct, moved)
    : g_strdup (direct ? direct : "");
  gtk_widget_set_visible (GTK_WIDGET (self->direct_row), direct != NULL);
  adw_action_row_set_subtitle (self->direct_row, direct_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->direct_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, direct_text, -1);
  _trv_window_update_public_address (self);
  _trv_window_update_registration_problem (self, starting);

  /* nat.mode = auto: which method the network test picked, and why. */
  TrvNatChooser *chooser = _trv_application_get_nat_chooser (self->application);
  const char *choice = chooser ? trv_nat_chooser_get_description (chooser) : NULL;
  gboolean testing = chooser && trv_nat_chooser_is_choosing (chooser);
  const char *network = choice ? choice
                               : testing ? _("Testing the network to choose how to connect…")
                                         : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->network_row), network != NULL);
  adw_action_row_set_subtitle (self->network_row, network ? network : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->network_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, network ? network : "", -1);

  /* Announce arrivals at registered and failed, not every retry in between; start-up
   * (no agent yet) is neither, and its "Reading the settings…" must not linger as news. */
  if (!starting && state != self->last_registration &&
      (state == TRV_REGISTRATION_REGISTERED || state == TRV_REGISTRATION_FAILED))
    _trv_window_announce (self, subtitle);
  if (!starting)
    self->last_registration = state;
  update_extra_accounts (self);
  update_outgoing (self);
  /* A new automatic choice is news too (it replaces "Testing the network…"). */
  if (choice && g_strcmp0 (choice, self->last_nat_choice) != 0)
    {
      g_free (self->last_nat_choice);
      self->last_nat_choice = g_strdup (choice);
      _trv_window_announce (self, choice);
    }
  _trv_window_update_actions (self);
}

static void
on_application_agent_changed (TrvApplication *application, TrvWindow *self)
{
  update_registration (self);
  _trv_window_watch_voicemail (self);
}

static void
on_application_registration_changed (TrvApplication *application, TrvWindow *self)
{
  update_registration (self);
}

/* ---- calls ------------------------------------------------------------------------------ */

/* Only the page on screen is visible: hidden pages then drop out of the accessibility
 * tree too (a GtkStack alone keeps them "visible" to assistive technologies). */
static void
show_page (TrvWindow *self, const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);

  gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child (self->stack, page);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child;
       child = gtk_widget_get_next_sibling (child))
    if (child != page)
      gtk_widget_set_visible (child, FALSE);
  /* The views switch only on the home page; during a call the title is the window's. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title,
                                                     g_strcmp0 (name, "home") == 0);
}

void
_trv_window_show_home (TrvWindow *self)
{
  g_clear_handle_id (&self->return_home_source, g_source_remove);
  if (_trv_application_get_current_call (self->application) != NULL)
    return;
  show_page (self, "home");
  _trv_window_focus_view (self);
}

static gboolean
on_return_home (gpointer data)
{
  TrvWindow *self = data;
  self->return_home_source = 0;
  _trv_window_show_home (self);
  return G_SOURCE_REMOVE;
}

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, TrvWindow *self)
{
  TrvCallState state = trv_call_get_state (call);
  if (state == TRV_CALL_STATE_ACTIVE || state == TRV_CALL_STATE_HELD ||
      state == TRV_CALL_STATE_RINGING)
    {
      g_autofree gchar *words = _trv_window_describe_call_state (self, call);
      _trv_window_announce (self, words);
    }
}

static void
watch_call (TrvWindow *self, TrvCall *call)
{
  if (self->call == call)
    return;
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_set_object (&self->call, call);
  if (call)
    g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
}

static void
on_application_call_started (TrvApplication *application, TrvCall *call, TrvWindow *self)
{
  gboolean echo = _trv_application_is_echo_uri (application, trv_call_get_remote_uri (call));

  g_clear_handle_id (&self->return_home_source, g_source_remove);
  _trv_window_show_call_problem (self, NULL);
  watch_call (self, call);
  _trv_window_ensure_call_page (self);
  trv_call_view_set_call (self->call_view, call, echo ? _("Echo test") : NULL,
                          _trv_application_get_turn_server (application));
  show_page (self, "call");
  trv_call_view_focus_default (self->call_view);
  _trv_window_update_actions (self);
}

static void
on_application_incoming_call (TrvApplication *application, TrvCall *call, TrvWindow *self)
{
  g_autofree gchar *name = _trv_application_dup_caller_name (self->application, call);
  /* Translators: %s is the caller's name or SIP address. */
  g_autofree gchar *text = g_strdup_printf (_("Incoming call from %s"),
                                            name ? name : trv_call_get_remote_uri (call));
  g_clear_handle_id (&self->return_home_source, g_source_remove);
  watch_call (self, call);
  _trv_window_ensure_incoming_page (self);
  trv_incoming_view_set_call (self->incoming_view, call, name);
  show_page (self, "incoming");
  trv_incoming_view_focus_answer (self->incoming_view);
  _trv_window_announce (self, text);
  _trv_window_update_actions (self);
}

static void
on_application_call_ended (TrvApplication *application, TrvCall *call, TrvWindow *self)
{
  g_autofree gchar *words = trv_call_describe_state (call);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  watch_call (self, NULL);
  _trv_window_show_call_problem (self, call);
  _trv_window_announce (self, words);
  _trv_window_update_actions (self);
  /* After our own hang-up go straight back; otherwise leave the reason on screen. */
  if (trv_call_get_end_reason (call) == TRV_CALL_END_LOCAL_HANGUP ||
      g_strcmp0 (page, "incoming") == 0)
    {
      if (g_strcmp0 (page, "incoming") == 0 &&
          trv_call_get_end_reason (call) != TRV_CALL_END_DECLINED)
        trv_window_show_message (self, words);
      _trv_window_show_home (self);
    }
  else
    {
      g_clear_handle_id (&self->return_home_source, g_source_remove);
      self->return_home_source = g_timeout_add (RETURN_HOME_MS, on_return_home, self);
    }
}

/* ---- template callbacks ------------------------------------------------------------------ */

static void
on_dial_entry_activate (GtkEntry *entry, TrvWindow *self)
{
  /* A name with one matching contact dials that contact. */
  if (!_trv_window_dial_single_match (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.dial", NULL);
}

static void
on_dialpad_digit_activated (TrvDialpad *dialpad, const char *digit, TrvWindow *self)
{
  int position = -1;
  gtk_editable_insert_text (GTK_EDITABLE (self->dial_entry), digit, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->dial_entry), -1);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, TrvWindow *self)
{
  /* Digits typed anywhere on the home page (but in a text field) go to the dial entry,
   * on the Dial Pad view. */
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gunichar c = gdk_keyval_to_unicode (keyval);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || c == 0 ||
      !strchr ("0123456789*#+", (int) c) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "home") != 0 ||
      (focus && GTK_IS_EDITABLE (focus)))
    return GDK_EVENT_PROPAGATE;
  char digit[2] = { (char) c, '\0' };
  _trv_window_show_view (self, "dial");
  gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
  on_dialpad_digit_activated (self->dialpad, digit, self);
  return GDK_EVENT_STOP;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
trv_window_constructed (GObject *object)
{
  TrvWindow *self = TRV_WINDOW (object);

  G_OBJECT_CLASS (trv_window_parent_class)->constructed (object);

  _trv_window_bind_recent_calls (self);
  g_signal_connect_object (_trv_application_get_contacts (self->application), "changed",
                           G_CALLBACK (_trv_window_bind_recent_calls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_trv_application_get_contacts (self->application), "changed",
                           G_CALLBACK (_trv_window_update_contact_list), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (_trv_application_get_contacts (self->application), "notify::loading",
                           G_CALLBACK (_trv_window_update_contact_list), self,
                           G_CONNECT_SWAPPED);
  _trv_window_update_contact_list (self);
  g_signal_connect_object (self->application, "agent-changed",
                           G_CALLBACK (on_application_agent_changed), self, 0);
  g_signal_connect_object (self->application, "registration-changed",
                           G_CALLBACK (on_application_registration_changed), self, 0);
  g_signal_connect_object (self->application, "call-started",
                           G_CALLBACK (on_application_call_started), self, 0);
  g_signal_connect_object (self->application, "incoming-call",
                           G_CALLBACK (on_application_incoming_call), self, 0);
  g_signal_connect_object (self->application, "call-ended",
                           G_CALLBACK (on_application_call_ended), self, 0);
  g_signal_connect_object (self->application, "other-calls-changed",
                           G_CALLBACK (_trv_window_other_calls_changed), self,
                           G_CONNECT_SWAPPED);
  self->last_registration = (TrvRegistrationState) -1;
  /* The window opens on the Dial Pad, the number field focused: one step from a call. */
  _trv_window_show_view (self, "dial");
  _trv_window_view_changed (self);
  show_page (self, "home");
  update_registration (self);
  _trv_window_watch_voicemail (self);
  _trv_window_watch_public_address (self);

  /* A window opened while a call is ringing or running shows it. */
  TrvCall *call = _trv_application_get_current_call (self->application);
  if (call && trv_call_get_state (call) == TRV_CALL_STATE_INCOMING)
    on_application_incoming_call (self->application, call, self);
  else if (call)
    on_application_call_started (self->application, call, self);
  else
    _trv_window_focus_view (self);
  _trv_window_other_calls_changed (self);
}

static void
trv_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TrvWindow *self = TRV_WINDOW (object);
  switch (prop_id)
    {
    case PROP_APPLICATION_OBJECT:
      self->application = g_value_get_object (value);
      gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (self->application));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_window_dispose (GObject *object)
{
  TrvWindow *self = TRV_WINDOW (object);

  g_clear_handle_id (&self->return_home_source, g_source_remove);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  watch_call (self, NULL);
  _trv_window_unwatch_voicemail (self);
  g_clear_object (&self->shown_waiting);
  g_clear_object (&self->shown_held);
  g_clear_pointer (&self->last_nat_choice, g_free);
  g_clear_pointer (&self->problem_call_uri, g_free);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRV_TYPE_WINDOW);
  G_OBJECT_CLASS (trv_window_parent_class)->dispose (object);
}

static void
trv_window_class_init (TrvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = trv_window_constructed;
  object_class->set_property = trv_window_set_property;
  object_class->dispose = trv_window_dispose;

  properties[PROP_APPLICATION_OBJECT] =
    g_param_spec_object ("traverse-application", NULL, NULL, TRV_TYPE_APPLICATION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TRV_TYPE_DIALPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/traverse/Traverse/trv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, announce_revealer);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, announce_label);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, recent_page);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contacts_page);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, dial_page);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, outgoing_group);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contact_search);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, recent_scroller);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, recent_empty);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contacts_scroller);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contact_list);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contacts_empty);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, registration_row);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, account_hint);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, registration_icon);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, direct_row);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, network_row);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, outgoing_row);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, outgoing_model);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, extra_accounts_group);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, dial_entry);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, call_button);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, dialpad);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, echo_button);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, call_page);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, incoming_page);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, contact_matches);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, voicemail_row);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, voicemail_icon);
  gtk_widget_class_bind_template_child (widget_class, TrvWindow, voicemail_button);
  _trv_window_class_voicemail_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, _trv_window_update_contact_matches);
  gtk_widget_class_bind_template_callback (widget_class, _trv_window_update_contact_list);
  gtk_widget_class_bind_template_callback (widget_class, _trv_window_dial_first_contact);
  gtk_widget_class_bind_template_callback (widget_class, _trv_window_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_dial_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_dialpad_digit_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_outgoing_selected);

  _trv_window_class_actions_init (widget_class);
}

/* The main menu's popover (some thirty widgets) is built when it first opens, not with
 * the window. */
static void
create_primary_menu (GtkMenuButton *button, gpointer data)
{
  TrvWindow *self = data;
  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
trv_window_init (TrvWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_primary_menu, self, NULL);
  _trv_window_setup_problems (self);
  self->extra_rows = g_ptr_array_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

TrvWindow *
trv_window_new (TrvApplication *application)
{
  return g_object_new (TRV_TYPE_WINDOW, "traverse-application", application, NULL);
}
