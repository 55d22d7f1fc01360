/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-network.c: the Network page of the Preferences window: NAT traversal
 * mode, STUN/TURN servers and credentials, public address, and the network test (the
 * core's TrvNatProbe, run asynchronously: the window never blocks on it). Only the fields
 * the chosen mode uses are shown; changes are checked by the core and stored as they are
 * made (GNOME HIG: no Save button), never while a value is refused. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-error.h"
#include "trv-nat-probe.h"
#include "trv-preferences-window-private.h"

/* How long typing pauses before the value is checked and stored. */
#define APPLY_DELAY_MS 1000

/* Rows of the mode combo, in the order of nat_mode_model in the .ui file. */
static const struct {
  TrvNatMode mode;
  const char *explanation;
} nat_mode_rows[] = {
  { TRV_NAT_MODE_AUTO, N_("Tests the network first, then picks the method that fits it") },
  { TRV_NAT_MODE_ICE, N_("Tries every path — direct, through the router, relayed — and uses the best that works") },
  { TRV_NAT_MODE_STUN, N_("Announces the public address a STUN server sees; enough behind most home routers") },
  { TRV_NAT_MODE_TURN, N_("Always relays audio through the TURN server; works almost anywhere, adds delay") },
  { TRV_NAT_MODE_NONE, N_("Uses local addresses only (or the public address below); for one network or a public IP") },
};

#define FIELD(k, f, hint) TRV_PREFS_FIELD (k, f##_row, f##_error, hint)
static const TrvPrefsField nat_fields[] = {
  FIELD ("nat.mode", nat_mode, NULL),   /* described by the mode's explanation */
  FIELD ("nat.stun-server", stun_server, N_("host or host:port; empty finds one through DNS")),
  FIELD ("nat.public-address", public_address,
         N_("A fixed public IP address or host name to announce; empty for none")),
  FIELD ("nat.turn-server", turn_server, N_("host or host:port; empty finds one through DNS")),
  FIELD ("nat.turn-transport", turn_transport, NULL),
  FIELD ("nat.turn-username", turn_username, NULL),
  FIELD ("nat.turn-password", turn_password, NULL),
  FIELD ("nat.http-proxy", http_proxy,
         N_("For TURN over TCP or TLS: http://host:port; none for no proxy; empty uses the "
            "system's proxy settings")),
};
#undef FIELD

static guint
row_of_mode (TrvNatMode mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (nat_mode_rows); i++)
    if (nat_mode_rows[i].mode == mode)
      return i;
  return 0;
}

static TrvNatMode
selected_mode (TrvPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->nat_mode_row);
  return i < G_N_ELEMENTS (nat_mode_rows) ? nat_mode_rows[i].mode : TRV_NAT_MODE_ICE;
}

static const char *
mode_label (TrvNatMode mode)
{
  switch (mode)
    {
    case TRV_NAT_MODE_AUTO: return _("Automatic");
    case TRV_NAT_MODE_ICE: return _("ICE");
    case TRV_NAT_MODE_STUN: return _("STUN");
    case TRV_NAT_MODE_TURN: return _("TURN");
    case TRV_NAT_MODE_NONE: return _("None");
    default: return "?";
    }
}

static gchar *
field_text (gpointer editable)
{
  g_autofree gchar *t = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
  return t[0] ? g_steal_pointer (&t) : NULL;
}

static void
clear_errors (TrvPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (nat_fields); i++)
    _trv_preferences_window_show_field_error (TRV_PREFS_MEMBER (self, nat_fields[i].field_offset),
                                              TRV_PREFS_MEMBER (self, nat_fields[i].error_offset), NULL);
}

/* The form as a config; turn_password follows trv_settings_save_nat_async's rule. */
static TrvNatConfig *
form_config (TrvPreferencesWindow *self)
{
  TrvNatConfig *c = trv_nat_config_new ();
  c->mode = selected_mode (self);
  c->stun_server = field_text (self->stun_server_row);
  c->public_address = field_text (self->public_address_row);
  c->turn_server = field_text (self->turn_server_row);
  /* The rows follow TrvTurnTransport's values. */
  guint transport = adw_combo_row_get_selected (self->turn_transport_row);
  c->turn_transport = transport <= TRV_TURN_TRANSPORT_TLS ? (TrvTurnTransport) transport
                                                          : TRV_TURN_TRANSPORT_UDP;
  c->turn_username = field_text (self->turn_username_row);
  c->http_proxy = field_text (self->http_proxy_row);
  if (self->turn_password_touched)
    c->turn_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->turn_password_row)));
  return c;
}

static gboolean
same_text (const char *a, const char *b)
{
  return g_strcmp0 (a ? a : "", b ? b : "") == 0;
}

/* Whether storing `form` would change nothing (the password aside). */
static gboolean
same_as_stored (const TrvNatConfig *form, const TrvNatConfig *stored)
{
  return form->mode == stored->mode && form->turn_transport == stored->turn_transport &&
         same_text (form->stun_server, stored->stun_server) &&
         same_text (form->public_address, stored->public_address) &&
         same_text (form->turn_server, stored->turn_server) &&
         same_text (form->turn_username, stored->turn_username) &&
         same_text (form->http_proxy, stored->http_proxy);
}

/* ---- what each mode shows -------------------------------------------------------------- */

static void
update_auto_verdict (TrvPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  TrvNatChooser *chooser = TRV_IS_APPLICATION (app)
                             ? _trv_application_get_nat_chooser (TRV_APPLICATION (app)) : NULL;
  const char *text = self->probe_verdict;

  if (self->auto_verdict_row == NULL)
    return;
  if (chooser && trv_nat_chooser_is_choosing (chooser))
    text = _("Testing the network…");
  else if (chooser && trv_nat_chooser_get_description (chooser))
    text = trv_nat_chooser_get_description (chooser);
  if (text == NULL)
    text = _("Not tested yet: the test runs when Automatic is in use, or with Test Network "
             "below.");
  adw_action_row_set_subtitle (self->auto_verdict_row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->auto_verdict_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* Shows or hides a field with its error row. A field that goes out of sight with a refused
 * value gets the stored one back: a value nobody sees must not hold up the others. */
static void
show_field (TrvPreferencesWindow *self, gpointer field, AdwActionRow *error_row,
            const char *stored, gboolean visible)
{
  gboolean refused = gtk_widget_has_css_class (GTK_WIDGET (field), "error");
  if (!visible && refused)
    {
      gboolean loading = self->loading;
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (field), stored ? stored : "");
      self->loading = loading;
      _trv_preferences_window_show_field_error (GTK_WIDGET (field), error_row, NULL);
      refused = FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (field), visible);
  gtk_widget_set_visible (GTK_WIDGET (error_row), visible && refused);
}

/* Only what the chosen mode uses: None the public address, STUN the STUN server, TURN the
 * relay, ICE both servers, Automatic both and what the last test found. */
static void
update_visibility (TrvPreferencesWindow *self)
{
  TrvNatMode mode = selected_mode (self);
  gboolean stun = mode == TRV_NAT_MODE_STUN || mode == TRV_NAT_MODE_ICE ||
                  mode == TRV_NAT_MODE_AUTO;
  gboolean turn = mode == TRV_NAT_MODE_TURN || mode == TRV_NAT_MODE_ICE ||
                  mode == TRV_NAT_MODE_AUTO;
  g_autoptr(TrvNatConfig) stored = self->settings ? trv_settings_get_nat (self->settings)
                                                 : trv_nat_config_new ();

  show_field (self, self->stun_server_row, self->stun_server_error, stored->stun_server, stun);
  show_field (self, self->public_address_row, self->public_address_error,
              stored->public_address, mode == TRV_NAT_MODE_NONE);
  show_field (self, self->turn_server_row, self->turn_server_error, stored->turn_server, turn);
  show_field (self, self->turn_username_row, self->turn_username_error, stored->turn_username,
              turn);
  show_field (self, self->http_proxy_row, self->http_proxy_error, stored->http_proxy, turn);
  if (!turn)
    _trv_preferences_window_show_field_error (GTK_WIDGET (self->turn_password_row),
                                              self->turn_password_error, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->turn_group), turn);
  gtk_widget_set_visible (GTK_WIDGET (self->auto_verdict_row), mode == TRV_NAT_MODE_AUTO);
  update_auto_verdict (self);
}

/* ---- applying changes as they are made ------------------------------------------------- */

static void
on_network_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!trv_settings_save_nat_finish (TRV_SETTINGS (source), result, &error))
    {
      /* Cancelled, or stored after the window closed: nothing left to show it on. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->nat_group == NULL)
        return;
      /* Not stored: the next change tries the password in the field again. */
      self->turn_password_touched = TRUE;
      const char *reason = _trv_preferences_window_show_config_error (
        self, nat_fields, G_N_ELEMENTS (nat_fields), error,
        GTK_WIDGET (self->turn_password_row), self->turn_password_error);
      g_autofree gchar *text = g_strdup_printf (_("Network settings not saved: %s"), reason);
      _trv_preferences_window_report (self, self->nat_group, text);
      return;
    }
  g_debug ("preferences: network settings stored");
  if (self->nat_group != NULL)
    _trv_preferences_window_report (self, self->nat_group, NULL);
}

/* Checks the whole form and stores it when it is valid and differs from what is stored;
 * a refused value is shown at its field and nothing is stored (never half a change). */
static void
apply_form (TrvPreferencesWindow *self, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->apply_source, g_source_remove);
  if (self->settings == NULL || self->loading)
    return;
  g_autoptr(TrvNatConfig) config = form_config (self);
  /* Checked with the password that will be in effect: the field shows the stored one. */
  g_autoptr(TrvNatConfig) check = trv_nat_config_copy (config);
  g_free (check->turn_password);
  check->turn_password = field_text (self->turn_password_row);
  clear_errors (self);
  if (!trv_nat_config_validate (check, &error))
    {
      g_debug ("preferences: network settings refused (%s)", trv_error_get_config_key (error));
      _trv_preferences_window_show_config_error (self, nat_fields, G_N_ELEMENTS (nat_fields),
                                                 error, GTK_WIDGET (self->nat_mode_row),
                                                 self->nat_mode_error);
      return;
    }
  g_autoptr(TrvNatConfig) stored = trv_settings_get_nat (self->settings);
  if (config->turn_password == NULL && same_as_stored (config, stored))
    return;
  g_debug ("preferences: storing the network settings");
  /* Stored from here on: later saves keep the keyring's password. */
  self->turn_password_touched = FALSE;
  trv_settings_save_nat_async (self->settings, config, cancellable, on_network_saved,
                               g_object_ref (self));
}

static gboolean
on_apply_timeout (gpointer data)
{
  TrvPreferencesWindow *self = data;
  self->apply_source = 0;
  apply_form (self, self->cancellable);
  return G_SOURCE_REMOVE;
}

/* Typing: checked and stored once it pauses (~1 s), so that the agent restarts once per
 * change rather than per key. */
static void
schedule_apply (TrvPreferencesWindow *self)
{
  g_clear_handle_id (&self->apply_source, g_source_remove);
  self->apply_source = g_timeout_add (APPLY_DELAY_MS, on_apply_timeout, self);
}

static void
on_nat_entry_changed (TrvPreferencesWindow *self)
{
  if (self->loading)
    return;
  _trv_preferences_window_report (self, self->nat_group, NULL);
  schedule_apply (self);
}

static void
on_nat_entry_activated (TrvPreferencesWindow *self)
{
  apply_form (self, self->cancellable);
}

static void
on_nat_choice_changed (TrvPreferencesWindow *self)
{
  if (self->nat_mode_row == NULL || self->loading)   /* disposed, or filling the form */
    return;
  apply_form (self, self->cancellable);
}

static void
on_nat_mode_selected (TrvPreferencesWindow *self)
{
  if (self->nat_mode_row == NULL)   /* the template is being disposed */
    return;
  guint i = adw_combo_row_get_selected (self->nat_mode_row);
  const char *text = i < G_N_ELEMENTS (nat_mode_rows) ? _(nat_mode_rows[i].explanation) : "";
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->nat_mode_row), text);
  g_object_set_data (G_OBJECT (self->nat_mode_row), "trv-hint", (gpointer) text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->nat_mode_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  update_visibility (self);
  on_nat_choice_changed (self);
}

static void
on_turn_password_changed (TrvPreferencesWindow *self, GtkEditable *editable)
{
  if (self->loading)
    return;
  self->turn_password_touched = TRUE;
  _trv_preferences_window_report (self, self->nat_group, NULL);
  schedule_apply (self);
}

static void
on_turn_password_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  _trv_preferences_window_fill_password (self, source, result, self->turn_password_row,
                                         self->turn_password_touched, self->nat_group,
                                         _("Cannot read the TURN password from the keyring"));
}

static void
load_form (TrvPreferencesWindow *self)
{
  g_autoptr(TrvNatConfig) nat = trv_settings_get_nat (self->settings);

  self->loading = TRUE;
  adw_combo_row_set_selected (self->nat_mode_row, row_of_mode (nat->mode));
  gtk_editable_set_text (GTK_EDITABLE (self->stun_server_row),
                         nat->stun_server ? nat->stun_server : "");
  gtk_editable_set_text (GTK_EDITABLE (self->public_address_row),
                         nat->public_address ? nat->public_address : "");
  gtk_editable_set_text (GTK_EDITABLE (self->turn_server_row),
                         nat->turn_server ? nat->turn_server : "");
  adw_combo_row_set_selected (self->turn_transport_row, nat->turn_transport);
  gtk_editable_set_text (GTK_EDITABLE (self->turn_username_row),
                         nat->turn_username ? nat->turn_username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->http_proxy_row),
                         nat->http_proxy ? nat->http_proxy : "");
  on_nat_mode_selected (self);
  self->loading = FALSE;
  self->turn_password_touched = FALSE;
  _trv_settings_lookup_password_async (self->settings, "turn", NULL, self->cancellable,
                                       on_turn_password_looked_up, g_object_ref (self));
}

/* ---- network test ---------------------------------------------------------------------- */

static void
probe_busy (TrvPreferencesWindow *self, gboolean busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->probe_spinner), busy);
  gtk_spinner_set_spinning (self->probe_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->probe_button), !busy);
}

static void
show_probe_result (TrvPreferencesWindow *self, const char *title, const char *details)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->probe_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->probe_row), title);
  adw_action_row_set_subtitle (self->probe_row, details ? details : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->probe_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  details ? details : "", -1);
}

static void
on_probe_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) report = trv_nat_probe_run_finish (TRV_NAT_PROBE (source), result,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->probe_cancellable);
  probe_busy (self, FALSE);
  if (report == NULL)
    {
      show_probe_result (self, _("The test could not run"), trv_error_get_config_reason (error));
      gtk_widget_set_visible (GTK_WIDGET (self->probe_recommendation_row), FALSE);
      return;
    }

  /* The main window shows from it the address people outside reach. */
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  if (TRV_IS_APPLICATION (app) && _trv_application_peek_nat_chooser (TRV_APPLICATION (app)))
    trv_nat_chooser_set_report (_trv_application_peek_nat_chooser (TRV_APPLICATION (app)), report);

  GString *details = g_string_new (NULL);
  if (report->mapped_address)
    g_string_append_printf (details, _("Public address: %s. "), report->mapped_address);
  if (report->turn_server)
    g_string_append_printf (details, _("TURN over UDP: %s; over TCP: %s. "),
                            report->turn_udp.result == TRV_TURN_CHECK_OK ? _("works")
                              : report->turn_udp.error ? report->turn_udp.error : _("not tried"),
                            report->turn_tcp.result == TRV_TURN_CHECK_OK ? _("works")
                              : report->turn_tcp.error ? report->turn_tcp.error : _("not tried"));
  g_autofree gchar *proxy = trv_nat_report_describe_proxy (report);
  if (proxy)
    g_string_append_printf (details, "%s ", proxy);
  for (guint i = 0; report->warnings && i < report->warnings->len; i++)
    g_string_append_printf (details, "%s ", (const char *) report->warnings->pdata[i]);
  g_autofree gchar *details_text = g_strstrip (g_string_free (details, FALSE));
  show_probe_result (self, report->verdict, details_text);
  g_free (self->probe_verdict);
  self->probe_verdict = g_strdup (report->verdict);
  update_auto_verdict (self);

  if (report->usable)
    {
      g_autofree gchar *rec = NULL;
      self->recommended_mode = report->recommended_mode;
      self->recommended_turn_transport = report->recommended_turn_transport;
      if (report->recommended_mode == TRV_NAT_MODE_TURN)
        rec = g_strdup_printf (_("Recommended mode: %s over %s"), mode_label (TRV_NAT_MODE_TURN),
                               report->recommended_turn_transport == TRV_TURN_TRANSPORT_TLS
                                 ? "TLS"
                                 : report->recommended_turn_transport == TRV_TURN_TRANSPORT_TCP
                                 ? "TCP" : "UDP");
      else
        rec = g_strdup_printf (_("Recommended mode: %s"), mode_label (report->recommended_mode));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->probe_recommendation_row), rec);
      gtk_widget_set_visible (GTK_WIDGET (self->probe_recommendation_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->probe_recommendation_row), FALSE);
}

static void
on_probe_clicked (TrvPreferencesWindow *self)
{
  g_autoptr(TrvNatConfig) config = form_config (self);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *domain = NULL;

  /* The test uses what the form says now, saved or not; the password shown in the form
   * is the stored one unless the user typed another. */
  g_free (config->turn_password);
  config->turn_password = field_text (self->turn_password_row);
  clear_errors (self);
  if (!trv_nat_config_validate (config, &error))
    {
      _trv_preferences_window_show_config_error (self, nat_fields, G_N_ELEMENTS (nat_fields), error,
                                                 GTK_WIDGET (self->stun_server_row),
                                                 self->stun_server_error);
      show_probe_result (self, _("The test could not run"), trv_error_get_config_reason (error));
      return;
    }

  /* Servers left empty are looked up by SRV in the first account's domain. */
  g_auto(GStrv) ids = trv_settings_dup_account_ids (self->settings);
  if (ids[0])
    {
      g_autoptr(TrvAccountConfig) account = trv_settings_get_account (self->settings, ids[0],
                                                                      NULL);
      if (account)
        domain = g_strdup (account->domain);
    }

  g_autoptr(TrvNatProbe) probe = trv_nat_probe_new (config, domain);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  self->probe_cancellable = g_cancellable_new ();
  probe_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_recommendation_row), FALSE);
  show_probe_result (self, _("Testing the network…"), NULL);
  trv_nat_probe_run_async (probe, self->probe_cancellable, on_probe_done, g_object_ref (self));
}

static void
on_use_recommended_clicked (TrvPreferencesWindow *self)
{
  if (self->recommended_mode < 0)
    return;
  /* Both choices apply as they are made: the transport first, so that the mode stores
   * with it. */
  if (self->recommended_mode == TRV_NAT_MODE_TURN)
    adw_combo_row_set_selected (self->turn_transport_row, self->recommended_turn_transport);
  adw_combo_row_set_selected (self->nat_mode_row, row_of_mode (self->recommended_mode));
}

/* ---- setup ----------------------------------------------------------------------------- */

void
_trv_preferences_window_network_init (TrvPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();

  _trv_preferences_window_setup_fields (self, nat_fields, G_N_ELEMENTS (nat_fields));
  /* Automatic: the app's own test (at start, after a change of network or settings). */
  TrvNatChooser *chooser = TRV_IS_APPLICATION (app)
                             ? _trv_application_peek_nat_chooser (TRV_APPLICATION (app)) : NULL;
  if (chooser != NULL)
    g_signal_connect_object (chooser, "chosen", G_CALLBACK (update_auto_verdict), self,
                             G_CONNECT_SWAPPED);
  load_form (self);
}

void
_trv_preferences_window_network_flush (TrvPreferencesWindow *self)
{
  /* Not with the window's cancellable: disposing the window cancels that. */
  if (self->apply_source != 0)
    apply_form (self, NULL);
}

void
_trv_preferences_window_network_dispose (TrvPreferencesWindow *self)
{
  g_clear_handle_id (&self->apply_source, g_source_remove);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_pointer (&self->probe_verdict, g_free);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TrvPreferencesWindow, name)

void
_trv_preferences_window_network_class_init (GtkWidgetClass *widget_class)
{
  BIND (nat_mode_row);
  BIND (nat_mode_error);
  BIND (stun_server_row);
  BIND (stun_server_error);
  BIND (public_address_row);
  BIND (public_address_error);
  BIND (turn_server_row);
  BIND (turn_server_error);
  BIND (turn_transport_row);
  BIND (turn_transport_error);
  BIND (turn_username_row);
  BIND (turn_username_error);
  BIND (turn_password_row);
  BIND (turn_password_error);
  BIND (http_proxy_row);
  BIND (http_proxy_error);
  BIND (nat_group);
  BIND (turn_group);
  BIND (auto_verdict_row);
  BIND (probe_row);
  BIND (probe_spinner);
  BIND (probe_button);
  BIND (probe_recommendation_row);
  BIND (use_recommended_button);
  gtk_widget_class_bind_template_callback (widget_class, on_nat_mode_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_turn_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_nat_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_nat_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_nat_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_probe_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_use_recommended_clicked);
}

#undef BIND
