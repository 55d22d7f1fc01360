/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-window-private.h: shared by the preferences window's page files
 * (trv-preferences-window.c: window and accounts, -network.c, -audio.c). */
#pragma once

#include "trv-preferences-window.h"
#include "trv-settings.h"

G_BEGIN_DECLS

struct _TrvPreferencesWindow {
  AdwPreferencesWindow parent_instance;

  TrvSettings *settings;          /* NULL when the schema is missing (then all insensitive) */
  GCancellable *cancellable;      /* cancelled when the window goes away */

  AdwPreferencesGroup *accounts_group;
  AdwPreferencesGroup *background_group;
  GtkSwitch *start_at_login_switch;
  gboolean updating_background;   /* the switch is set from the settings, not the user */
  gboolean background_pending;    /* the desktop is being asked */
  AdwPreferencesPage *network_page;
  AdwPreferencesPage *audio_page;

  /* Accounts */
  GtkListBox *accounts_list;
  GtkButton *add_account_button;
  AdwPreferencesGroup *account_editor;
  gchar *editing_id;              /* NULL: a new account */
  gboolean password_touched;      /* the password field holds what the user wants stored */
  AdwEntryRow *address_row;
  AdwActionRow *address_error;
  AdwEntryRow *display_name_row;
  AdwActionRow *display_name_error;
  AdwPasswordEntryRow *password_row;
  AdwActionRow *password_error;
  AdwEntryRow *registrar_row;
  AdwActionRow *registrar_error;
  AdwEntryRow *proxy_row;
  AdwActionRow *proxy_error;
  AdwEntryRow *voicemail_row;
  AdwActionRow *voicemail_error;
  AdwComboRow *transport_row;
  AdwActionRow *transport_error;
  AdwComboRow *srtp_row;
  AdwActionRow *srtp_error;
  GtkSwitch *register_switch;
  GtkSwitch *direct_calls_switch;
  GtkButton *save_account_button;
  GtkButton *cancel_account_button;

  /* Network */
  AdwComboRow *nat_mode_row;
  AdwActionRow *nat_mode_error;
  AdwEntryRow *stun_server_row;
  AdwActionRow *stun_server_error;
  AdwEntryRow *public_address_row;
  AdwActionRow *public_address_error;
  AdwEntryRow *turn_server_row;
  AdwActionRow *turn_server_error;
  AdwComboRow *turn_transport_row;
  AdwActionRow *turn_transport_error;
  AdwEntryRow *turn_username_row;
  AdwActionRow *turn_username_error;
  AdwPasswordEntryRow *turn_password_row;
  AdwActionRow *turn_password_error;
  AdwEntryRow *http_proxy_row;
  AdwActionRow *http_proxy_error;
  gboolean turn_password_touched;
  AdwPreferencesGroup *nat_group;
  AdwPreferencesGroup *turn_group;
  AdwActionRow *auto_verdict_row;
  guint apply_source;             /* typing settles before a value is checked and stored */
  gchar *probe_verdict;           /* the last Test Network result in this window, or NULL */
  AdwActionRow *probe_row;
  GtkSpinner *probe_spinner;
  GtkButton *probe_button;
  AdwActionRow *probe_recommendation_row;
  GtkButton *use_recommended_button;
  GCancellable *probe_cancellable;
  gint recommended_mode;          /* TrvNatMode, -1: none */
  TrvTurnTransport recommended_turn_transport;   /* with recommended_mode turn */
  gboolean loading;               /* filling fields from the store: not user edits */

  /* Audio */
  AdwComboRow *input_row;
  AdwComboRow *output_row;
  GtkSwitch *echo_switch;
  GtkListBox *codecs_list;
  AdwPreferencesGroup *codecs_group;
  GStrv input_descs;              /* gst-launch descriptions, index = combo position */
  GStrv output_descs;
  GPtrArray *codec_order;         /* gchar*: all codec names in the shown order */
  GHashTable *codec_enabled;      /* name -> GINT_TO_POINTER (enabled) */
};

/* A field of a page: the config key its errors name, its row and its error row. */
typedef struct {
  const char *key;
  gsize field_offset;
  gsize error_offset;
  const char *hint;     /* untranslated accessible description when valid, or NULL */
} TrvPrefsField;

#define TRV_PREFS_FIELD(key, field, error, hint) \
  { key, G_STRUCT_OFFSET (TrvPreferencesWindow, field), \
    G_STRUCT_OFFSET (TrvPreferencesWindow, error), hint }
#define TRV_PREFS_MEMBER(self, offset) (*(gpointer *) G_STRUCT_MEMBER_P ((self), (offset)))

/* Shows `message` below the field (error row), marks the field and puts the reason in
 * its accessible description. message NULL clears it. */
void _trv_preferences_window_show_field_error (GtkWidget *field, AdwActionRow *error_row,
                                               const char *message);
/* Links each field to its error row and gives it its hint as accessible description. */
void _trv_preferences_window_setup_fields (TrvPreferencesWindow *self, const TrvPrefsField *fields,
                                           guint n_fields);
/* Shows a TRV_ERROR_INVALID_CONFIG at the field of its config key (trv_error_get_config_key),
 * any other error at the fallback field. Returns the reason (borrowed from error). */
const char *_trv_preferences_window_show_config_error (TrvPreferencesWindow *self,
                                                       const TrvPrefsField *fields,
                                                       guint n_fields,
                                                       const GError *error,
                                                       GtkWidget *fallback_field,
                                                       AdwActionRow *fallback_error);
/* Says what happened (saved, refused, ...) on the page, as `group`'s description, and
 * announces it through the window's accessible description; NULL puts the group's own
 * description back. Not a toast: with libadwaita 1.2 an Escape pressed while a toast
 * shows and the focus is in a text field does not close the window. */
void _trv_preferences_window_report           (TrvPreferencesWindow *self, AdwPreferencesGroup *group,
                                               const char *text);
/* Finishes _trv_settings_lookup_password_async(): fills `row` unless the user has typed
 * already (`touched`); a keyring failure is reported (`failure`) on `group`. */
void _trv_preferences_window_fill_password    (TrvPreferencesWindow *self, GObject *source,
                                               GAsyncResult *result,
                                               AdwPasswordEntryRow *row, gboolean touched,
                                               AdwPreferencesGroup *group, const char *failure);

/* trv-preferences-network.c */
void _trv_preferences_window_network_init     (TrvPreferencesWindow *self);
void _trv_preferences_window_network_dispose  (TrvPreferencesWindow *self);
/* Checks and stores what is still waiting for typing to settle (the window is closing). */
void _trv_preferences_window_network_flush    (TrvPreferencesWindow *self);
void _trv_preferences_window_network_class_init (GtkWidgetClass *widget_class);

/* trv-preferences-audio.c */
void _trv_preferences_window_audio_init       (TrvPreferencesWindow *self);
/* trv-preferences-background.c: "Start at login". */
void _trv_preferences_window_background_init  (TrvPreferencesWindow *self);
void _trv_preferences_window_on_start_at_login (TrvPreferencesWindow *self);
void _trv_preferences_window_audio_dispose    (TrvPreferencesWindow *self);
void _trv_preferences_window_audio_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
