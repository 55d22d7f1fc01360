/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-window.c: the Preferences window and its Accounts page. The Network and
 * Audio pages live in trv-preferences-network.c and trv-preferences-audio.c. Values are
 * checked by the core (trv_*_config_validate via TrvSettings) before anything is stored;
 * a refused value is shown right below its field, with the reason. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-error.h"
#include "trv-message-dialog.h"
#include "trv-preferences-window-private.h"

G_DEFINE_FINAL_TYPE (TrvPreferencesWindow, trv_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ---- shared helpers ------------------------------------------------------------------- */

void
_trv_preferences_window_show_field_error (GtkWidget *field, AdwActionRow *error_row,
                                          const char *message)
{
  /* AdwEntryRow and AdwComboRow are themselves what a screen reader lands on (role text /
   * combo box): the reason goes into their description, the hint comes back after. */
  const char *hint = g_object_get_data (G_OBJECT (field), "trv-hint");

  if (message == NULL)
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_widget_set_visible (GTK_WIDGET (error_row), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
      if (hint)
        gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint, -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (field),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (error_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (error_row), message);
  gtk_widget_set_visible (GTK_WIDGET (error_row), TRUE);
  gtk_widget_add_css_class (field, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message, -1);
}

void
_trv_preferences_window_setup_fields (TrvPreferencesWindow *self, const TrvPrefsField *fields,
                                      guint n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      GObject *field = TRV_PREFS_MEMBER (self, fields[i].field_offset);
      g_object_set_data (field, "trv-error-row", TRV_PREFS_MEMBER (self, fields[i].error_offset));
      if (fields[i].hint)
        {
          g_object_set_data (field, "trv-hint", (gpointer) _(fields[i].hint));
          gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          _(fields[i].hint), -1);
        }
    }
}

const char *
_trv_preferences_window_show_config_error (TrvPreferencesWindow *self,
                                           const TrvPrefsField *fields,
                                           guint n_fields,
                                           const GError *error,
                                           GtkWidget *fallback_field,
                                           AdwActionRow *fallback_error)
{
  /* The core names the setting as data: the message may be in any language. */
  const char *key = trv_error_get_config_key (error);
  const char *reason = trv_error_get_config_reason (error);

  for (guint i = 0; key && i < n_fields; i++)
    if (g_str_equal (key, fields[i].key))
      {
        _trv_preferences_window_show_field_error (TRV_PREFS_MEMBER (self, fields[i].field_offset),
                                                  TRV_PREFS_MEMBER (self, fields[i].error_offset),
                                                  reason);
        return reason;
      }
  _trv_preferences_window_show_field_error (fallback_field, fallback_error, error->message);
  return error->message;
}

void
_trv_preferences_window_report (TrvPreferencesWindow *self, AdwPreferencesGroup *group,
                                const char *text)
{
  /* The description from the .ui file, kept the first time it is replaced. */
  if (g_object_get_data (G_OBJECT (group), "trv-description") == NULL)
    g_object_set_data_full (G_OBJECT (group), "trv-description",
                            g_strdup (adw_preferences_group_get_description (group)
                                      ? adw_preferences_group_get_description (group) : ""),
                            g_free);
  if (text == NULL)
    {
      const char *own = g_object_get_data (G_OBJECT (group), "trv-description");
      adw_preferences_group_set_description (group, own[0] ? own : NULL);
      /* Cleared, so that the same words after the next save count as news again. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "", -1);
      return;
    }
  adw_preferences_group_set_description (group, text);
  /* Orca presents a changed description of a showing ancestor of the focus (as in the
   * main window: GTK 4.8 has no announce API). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

/* A field edited: what the last save said no longer describes the form. */
static void
clear_reports (TrvPreferencesWindow *self)
{
  _trv_preferences_window_report (self, self->accounts_group, NULL);
  _trv_preferences_window_report (self, self->account_editor, NULL);
  _trv_preferences_window_report (self, self->nat_group, NULL);
}

static gchar *
entry_text (gpointer editable)
{
  g_autofree gchar *t = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
  return t[0] ? g_steal_pointer (&t) : NULL;
}

/* ---- accounts ------------------------------------------------------------------------ */

#define FIELD(k, f, hint) TRV_PREFS_FIELD (k, f##_row, f##_error, hint)
static const TrvPrefsField account_fields[] = {
  FIELD ("account.address", address, N_("For example sip:alice@example.org")),
  FIELD ("account.display-name", display_name, NULL),
  FIELD ("account.password", password, NULL),
  FIELD ("account.registrar", registrar,
         N_("host or host:port; empty uses the domain of the address")),
  FIELD ("account.proxy", proxy, N_("host or host:port; empty for none")),
  FIELD ("account.voicemail", voicemail,
         N_("a number such as *97 or a SIP address; empty uses what the server names")),
  FIELD ("account.transport", transport, NULL),
  FIELD ("account.srtp", srtp, NULL),
};
#undef FIELD

static void
clear_account_errors (TrvPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (account_fields); i++)
    _trv_preferences_window_show_field_error (TRV_PREFS_MEMBER (self, account_fields[i].field_offset),
                                              TRV_PREFS_MEMBER (self, account_fields[i].error_offset), NULL);
}

static void rebuild_accounts (TrvPreferencesWindow *self);

void
_trv_preferences_window_fill_password (TrvPreferencesWindow *self, GObject *source, GAsyncResult *result,
                                       AdwPasswordEntryRow *row, gboolean touched,
                                       AdwPreferencesGroup *group, const char *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *pw = trv_settings_lookup_password_finish (TRV_SETTINGS (source), result,
                                                              &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    {
      g_warning ("keyring: %s", error->message);
      _trv_preferences_window_report (self, group, failure);
      return;
    }
  /* The user may have typed already: never overwrite that. */
  if (!touched && pw)
    {
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (row), pw);
      self->loading = FALSE;
    }
}

static void
on_password_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  _trv_preferences_window_fill_password (self, source, result, self->password_row, self->password_touched,
                                         self->account_editor,
                                         _("Cannot read the password from the keyring"));
}

static void
open_editor (TrvPreferencesWindow *self, const char *id)
{
  g_autoptr(TrvAccountConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->editing_id, g_free);
  if (id)
    {
      config = trv_settings_get_account (self->settings, id, &error);
      if (config == NULL)
        {
          _trv_preferences_window_report (self, self->accounts_group, error->message);
          return;
        }
      self->editing_id = g_strdup (id);
    }
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), config ? config->address : "");
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         config && config->display_name ? config->display_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->registrar_row),
                         config && config->registrar ? config->registrar : "");
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_row),
                         config && config->proxy ? config->proxy : "");
  gtk_editable_set_text (GTK_EDITABLE (self->voicemail_row),
                         config && config->voicemail ? config->voicemail : "");
  adw_combo_row_set_selected (self->transport_row, config ? config->transport : 0);
  adw_combo_row_set_selected (self->srtp_row, config ? config->srtp : TRV_SRTP_OPTIONAL);
  gtk_switch_set_active (self->register_switch, config ? config->do_register : TRUE);
  gtk_switch_set_active (self->direct_calls_switch, config && config->allow_direct_calls);
  self->loading = FALSE;
  self->password_touched = id == NULL;
  clear_account_errors (self);
  _trv_preferences_window_report (self, self->account_editor, NULL);

  adw_preferences_group_set_title (self->account_editor,
                                   id ? _("Edit Account") : _("New Account"));
  /* As GNOME Calls' account editor: a new account is added, changes to one are applied
   * (an account is one registration: its fields go together, and a half-typed password
   * must not be tried against the provider). */
  gtk_label_set_text_with_mnemonic (GTK_LABEL (gtk_button_get_child (self->save_account_button)),
                                    id ? _("A_pply") : _("A_dd"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_account_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  id ? _("Apply the changes to the account") : _("Add the account"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->account_editor), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
  if (id)
    _trv_settings_lookup_password_async (self->settings, "sip", id, self->cancellable,
                                         on_password_looked_up, g_object_ref (self));
}

static void
close_editor (TrvPreferencesWindow *self)
{
  g_clear_pointer (&self->editing_id, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* Move the focus out before hiding the editor that holds it. */
  gtk_widget_grab_focus (GTK_WIDGET (self->add_account_button));
  gtk_widget_set_visible (GTK_WIDGET (self->account_editor), FALSE);
}

static void
on_add_account_clicked (TrvPreferencesWindow *self)
{
  open_editor (self, NULL);
}

static void
on_cancel_account_clicked (TrvPreferencesWindow *self)
{
  close_editor (self);
}

static void
on_field_changed (TrvPreferencesWindow *self, GtkEditable *editable)
{
  /* Editing a refused field takes its error away; the check runs again on save. */
  AdwActionRow *error_row = g_object_get_data (G_OBJECT (editable), "trv-error-row");
  if (self->loading || error_row == NULL)
    return;
  _trv_preferences_window_show_field_error (GTK_WIDGET (editable), error_row, NULL);
  clear_reports (self);
}

static void
on_password_changed (TrvPreferencesWindow *self, GtkEditable *editable)
{
  if (self->loading)
    return;
  self->password_touched = TRUE;
  _trv_preferences_window_show_field_error (GTK_WIDGET (editable), self->password_error, NULL);
  clear_reports (self);
}

static void
on_account_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *id = trv_settings_save_account_finish (TRV_SETTINGS (source), result,
                                                           &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_account_button), TRUE);
  if (id == NULL)
    {
      /* e.g. the keyring refused: that concerns the password */
      const char *reason = _trv_preferences_window_show_config_error (self, account_fields,
                                                                      G_N_ELEMENTS (account_fields),
                                                                      error,
                                                                      GTK_WIDGET (self->password_row),
                                                                      self->password_error);
      g_autofree gchar *text = g_strdup_printf (_("Account not saved: %s"), reason);
      _trv_preferences_window_report (self, self->account_editor, text);
      return;
    }
  /* The new row in the list and the focus back on "Add account" say it is saved. */
  close_editor (self);
  rebuild_accounts (self);
}

static void
on_save_account_clicked (TrvPreferencesWindow *self)
{
  g_autoptr(TrvAccountConfig) config = NULL;

  /* Start from what is stored: keys the form does not show (CA file, local port, keys
   * over insecure signalling) stay as they are. */
  if (self->editing_id)
    config = trv_settings_get_account (self->settings, self->editing_id, NULL);
  if (config == NULL)
    config = trv_account_config_new ();
  clear_account_errors (self);
  g_free (config->address);
  config->address = entry_text (self->address_row);
  g_free (config->display_name);
  config->display_name = entry_text (self->display_name_row);
  g_free (config->registrar);
  config->registrar = entry_text (self->registrar_row);
  g_free (config->proxy);
  config->proxy = entry_text (self->proxy_row);
  g_free (config->voicemail);
  config->voicemail = entry_text (self->voicemail_row);
  g_clear_pointer (&config->password, g_free);
  config->transport = (TrvSipTransport) adw_combo_row_get_selected (self->transport_row);
  config->srtp = (TrvSrtpPolicy) adw_combo_row_get_selected (self->srtp_row);
  config->do_register = gtk_switch_get_active (self->register_switch);
  config->allow_direct_calls = gtk_switch_get_active (self->direct_calls_switch);
  /* NULL keeps the stored password, "" deletes it (see trv_settings_save_account_async). */
  if (self->password_touched)
    config->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_account_button), FALSE);
  trv_settings_save_account_async (self->settings, self->editing_id, config, self->cancellable,
                                   on_account_saved, g_object_ref (self));
}

static void
on_account_removed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;
  if (!trv_settings_remove_account_finish (TRV_SETTINGS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _trv_preferences_window_report (self, self->accounts_group, error->message);
      return;
    }
  _trv_preferences_window_report (self, self->accounts_group, NULL);
  rebuild_accounts (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_account_button));
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  TrvPreferencesWindow *self = data;
  const char *id = g_object_get_data (G_OBJECT (dialog), "trv-account-id");
  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (g_strcmp0 (self->editing_id, id) == 0)
    close_editor (self);
  trv_settings_remove_account_async (self->settings, id, self->cancellable,
                                     on_account_removed, g_object_ref (self));
}

static void
on_remove_clicked (GtkButton *button, TrvPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "trv-account-id");
  const char *address = g_object_get_data (G_OBJECT (button), "trv-account-address");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove the account?"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s and its password will be removed."), address);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  trv_message_dialog_name_responses (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "trv-account-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_edit_clicked (GtkButton *button, TrvPreferencesWindow *self)
{
  open_editor (self, g_object_get_data (G_OBJECT (button), "trv-account-id"));
}

static GtkWidget *
row_button (const char *label, const char *accessible, const char *id, const char *address)
{
  GtkWidget *b = gtk_button_new_with_label (label);
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data_full (G_OBJECT (b), "trv-account-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (b), "trv-account-address", g_strdup (address), g_free);
  return b;
}

static void
rebuild_accounts (TrvPreferencesWindow *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))))
    gtk_list_box_remove (self->accounts_list, child);

  g_auto(GStrv) ids = trv_settings_dup_account_ids (self->settings);
  for (guint i = 0; ids[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TrvAccountConfig) c = trv_settings_get_account (self->settings, ids[i], &error);
      GtkWidget *row = adw_action_row_new ();
      const char *address = c ? c->address : ids[i];

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
      if (c == NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      else
        {
          /* The first account is where calls go out from until "Call from" says otherwise. */
          const char *role = i == 0 ? _("Receives calls; the default for outgoing calls")
                                    : _("Receives calls");
          g_autofree gchar *sub = g_strdup_printf ("%s%s%s", role,
                                                   c->display_name ? " · " : "",
                                                   c->display_name ? c->display_name : "");
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
          /* What the row's role is, for a screen reader on the row (as in the main window). */
          gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sub, -1);
        }
      g_autofree gchar *edit_label = g_strdup_printf (_("Edit account %s"), address);
      g_autofree gchar *remove_label = g_strdup_printf (_("Remove account %s"), address);
      GtkWidget *edit = row_button (_("Edit"), edit_label, ids[i], address);
      GtkWidget *remove = row_button (_("Remove"), remove_label, ids[i], address);
      gtk_widget_add_css_class (remove, "destructive-action");
      g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_clicked), self, 0);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
      gtk_widget_set_sensitive (edit, c != NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->accounts_list, row);
    }
  if (ids[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No accounts"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Direct calls and the echo test work without one."));
      gtk_list_box_append (self->accounts_list, row);
    }
}

/* ---- window ---------------------------------------------------------------------------- */

static void
trv_preferences_window_dispose (GObject *object)
{
  TrvPreferencesWindow *self = TRV_PREFERENCES_WINDOW (object);
  self->loading = TRUE;   /* widgets going away are not user edits */
  g_cancellable_cancel (self->cancellable);
  _trv_preferences_window_network_dispose (self);
  _trv_preferences_window_audio_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRV_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (trv_preferences_window_parent_class)->dispose (object);
}

static gboolean
trv_preferences_window_close_request (GtkWindow *window)
{
  /* A value typed just before Escape is stored (if valid) rather than lost. */
  _trv_preferences_window_network_flush (TRV_PREFERENCES_WINDOW (window));
  GtkWindowClass *parent = GTK_WINDOW_CLASS (trv_preferences_window_parent_class);
  return parent->close_request ? parent->close_request (window) : FALSE;
}

static void
trv_preferences_window_finalize (GObject *object)
{
  TrvPreferencesWindow *self = TRV_PREFERENCES_WINDOW (object);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->editing_id);
  G_OBJECT_CLASS (trv_preferences_window_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TrvPreferencesWindow, name)

static void
trv_preferences_window_class_init (TrvPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trv_preferences_window_dispose;
  object_class->finalize = trv_preferences_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = trv_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/traverse/Traverse/trv-preferences-window.ui");
  BIND (accounts_group);
  BIND (background_group);
  BIND (start_at_login_switch);
  gtk_widget_class_bind_template_callback (widget_class, _trv_preferences_window_on_start_at_login);
  BIND (network_page);
  BIND (audio_page);
  BIND (accounts_list);
  BIND (add_account_button);
  BIND (account_editor);
  BIND (address_row);
  BIND (address_error);
  BIND (display_name_row);
  BIND (display_name_error);
  BIND (password_row);
  BIND (password_error);
  BIND (registrar_row);
  BIND (registrar_error);
  BIND (proxy_row);
  BIND (proxy_error);
  BIND (voicemail_row);
  BIND (voicemail_error);
  BIND (transport_row);
  BIND (transport_error);
  BIND (srtp_row);
  BIND (srtp_error);
  BIND (register_switch);
  BIND (direct_calls_switch);
  BIND (save_account_button);
  BIND (cancel_account_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  _trv_preferences_window_network_class_init (widget_class);
  _trv_preferences_window_audio_class_init (widget_class);
}

#undef BIND

static void
trv_preferences_window_init (TrvPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  _trv_preferences_window_setup_fields (self, account_fields, G_N_ELEMENTS (account_fields));
  self->recommended_mode = -1;
  self->settings = trv_settings_new (&error);
  if (self->settings == NULL)
    {
      /* Nothing can be stored: say so instead of offering fields that go nowhere. */
      g_autofree gchar *text = g_strdup_printf (_("Settings cannot be stored: %s"),
                                                error->message);
      g_warning ("preferences: %s", error->message);
      adw_preferences_group_set_description (self->accounts_group, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_account_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->network_page), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->audio_page), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->background_group), FALSE);
      return;
    }
  rebuild_accounts (self);
  _trv_preferences_window_network_init (self);
  _trv_preferences_window_audio_init (self);
  _trv_preferences_window_background_init (self);
}

TrvPreferencesWindow *
trv_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (TRV_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}

void
trv_preferences_window_edit_account (TrvPreferencesWindow *self, const char *address)
{
  g_return_if_fail (TRV_IS_PREFERENCES_WINDOW (self));
  if (self->settings == NULL || address == NULL)
    return;
  g_auto(GStrv) ids = trv_settings_dup_account_ids (self->settings);
  for (guint i = 0; ids && ids[i]; i++)
    {
      g_autoptr(TrvAccountConfig) config = trv_settings_get_account (self->settings, ids[i], NULL);
      if (config && g_strcmp0 (config->address, address) == 0)
        {
          adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), "accounts");
          g_debug ("preferences: editing the account %s", address);
          open_editor (self, ids[i]);
          return;
        }
    }
}

void
trv_preferences_window_show_network (TrvPreferencesWindow *self)
{
  g_return_if_fail (TRV_IS_PREFERENCES_WINDOW (self));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->network_page));
}
