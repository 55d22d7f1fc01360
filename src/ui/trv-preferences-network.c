/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-network.c: the Network page of the Preferences window: NAT traversal
 * mode, STUN/TURN servers and credentials, public address, and the network test (the
 * core's TrvNatProbe, run asynchronously: the window never blocks on it). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-error.h"
#include "trv-nat-probe.h"
#include "trv-preferences-window-private.h"

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
  c->turn_transport = adw_combo_row_get_selected (self->turn_transport_row) == 1
                        ? TRV_TURN_TRANSPORT_TCP : TRV_TURN_TRANSPORT_UDP;
  c->turn_username = field_text (self->turn_username_row);
  if (self->turn_password_touched)
    c->turn_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->turn_password_row)));
  return c;
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
  if (!self->loading)
    _trv_preferences_window_show_field_error (GTK_WIDGET (self->nat_mode_row), self->nat_mode_error,
                                              NULL);
}

static void
on_turn_password_changed (TrvPreferencesWindow *self, GtkEditable *editable)
{
  if (self->loading)
    return;
  self->turn_password_touched = TRUE;
  _trv_preferences_window_show_field_error (GTK_WIDGET (editable), self->turn_password_error, NULL);
  _trv_preferences_window_report (self, self->network_save_group, NULL);
}

static void
on_turn_password_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  _trv_preferences_window_fill_password (self, source, result, self->turn_password_row,
                                         self->turn_password_touched, self->network_save_group,
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
  adw_combo_row_set_selected (self->turn_transport_row,
                              nat->turn_transport == TRV_TURN_TRANSPORT_TCP ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->turn_username_row),
                         nat->turn_username ? nat->turn_username : "");
  self->loading = FALSE;
  on_nat_mode_selected (self);
  self->turn_password_touched = FALSE;
  _trv_settings_lookup_password_async (self->settings, "turn", NULL, self->cancellable,
                                       on_turn_password_looked_up, g_object_ref (self));
}

static void
on_network_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvPreferencesWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!trv_settings_save_nat_finish (TRV_SETTINGS (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_network_button), TRUE);
      const char *reason = _trv_preferences_window_show_config_error (
        self, nat_fields, G_N_ELEMENTS (nat_fields), error,
        GTK_WIDGET (self->turn_password_row), self->turn_password_error);
      g_autofree gchar *text = g_strdup_printf (_("Network settings not saved: %s"), reason);
      _trv_preferences_window_report (self, self->network_save_group, text);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_network_button), TRUE);
  /* Show the values as stored (the core normalises, e.g. strips "stun:"). */
  load_form (self);
  _trv_preferences_window_report (self, self->network_save_group,
                                  _("Network settings saved. They apply from the next call on."));
}

static void
on_save_network_clicked (TrvPreferencesWindow *self)
{
  g_autoptr(TrvNatConfig) config = form_config (self);

  clear_errors (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_network_button), FALSE);
  trv_settings_save_nat_async (self->settings, config, self->cancellable, on_network_saved,
                               g_object_ref (self));
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

  GString *details = g_string_new (NULL);
  if (report->mapped_address)
    g_string_append_printf (details, _("Public address: %s. "), report->mapped_address);
  if (report->turn_server)
    g_string_append_printf (details, _("TURN over UDP: %s; over TCP: %s. "),
                            report->turn_udp.result == TRV_TURN_CHECK_OK ? _("works")
                              : report->turn_udp.error ? report->turn_udp.error : _("not tried"),
                            report->turn_tcp.result == TRV_TURN_CHECK_OK ? _("works")
                              : report->turn_tcp.error ? report->turn_tcp.error : _("not tried"));
  for (guint i = 0; report->warnings && i < report->warnings->len; i++)
    g_string_append_printf (details, "%s ", (const char *) report->warnings->pdata[i]);
  g_autofree gchar *details_text = g_strstrip (g_string_free (details, FALSE));
  show_probe_result (self, report->verdict, details_text);

  if (report->usable)
    {
      g_autofree gchar *rec = NULL;
      self->recommended_mode = report->recommended_mode;
      self->recommended_turn_transport = report->recommended_turn_transport;
      if (report->recommended_mode == TRV_NAT_MODE_TURN)
        rec = g_strdup_printf (_("Recommended mode: %s over %s"), mode_label (TRV_NAT_MODE_TURN),
                               report->recommended_turn_transport == TRV_TURN_TRANSPORT_TCP
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
  adw_combo_row_set_selected (self->nat_mode_row, row_of_mode (self->recommended_mode));
  if (self->recommended_mode == TRV_NAT_MODE_TURN)
    adw_combo_row_set_selected (self->turn_transport_row,
                                self->recommended_turn_transport == TRV_TURN_TRANSPORT_TCP ? 1 : 0);
  _trv_preferences_window_report (self, self->network_save_group,
                                  _("Mode changed. Save to use it for the next call."));
}

/* ---- setup ----------------------------------------------------------------------------- */

void
_trv_preferences_window_network_init (TrvPreferencesWindow *self)
{
  _trv_preferences_window_setup_fields (self, nat_fields, G_N_ELEMENTS (nat_fields));
  load_form (self);
}

void
_trv_preferences_window_network_dispose (TrvPreferencesWindow *self)
{
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
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
  BIND (save_network_button);
  BIND (probe_row);
  BIND (probe_spinner);
  BIND (probe_button);
  BIND (probe_recommendation_row);
  BIND (use_recommended_button);
  gtk_widget_class_bind_template_callback (widget_class, on_nat_mode_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_turn_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_network_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_probe_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_use_recommended_clicked);
}

#undef BIND
