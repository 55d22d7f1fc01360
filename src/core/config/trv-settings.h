/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-settings.h: the desktop app's settings store. Account, NAT and media settings live in
 * GSettings (schema io.github.traverse.Traverse); the SIP and TURN passwords live in the
 * Secret Service (libsecret schema "io.github.traverse.Traverse.Password") and nowhere else.
 * Everything is validated with trv_*_config_validate() before anything is written, and a
 * save writes all of its values or none. No GTK here. */
#pragma once

#include <gio/gio.h>
#include "trv-account-config.h"
#include "trv-nat-config.h"
#include "trv-media-config.h"

G_BEGIN_DECLS

#define TRV_SETTINGS_SCHEMA_ID "io.github.traverse.Traverse"
#define TRV_SETTINGS_SECRET_SCHEMA "io.github.traverse.Traverse.Password"

/* Audio preferences that are not part of the call's media negotiation. */
typedef struct {
  gchar *input_device;       /* gst-launch description of the source; NULL: system default */
  gchar *output_device;      /* gst-launch description of the sink; NULL: system default */
  gboolean echo_cancellation;
} TrvAudioSettings;

TrvAudioSettings *trv_audio_settings_new  (void);
TrvAudioSettings *trv_audio_settings_copy (const TrvAudioSettings *self);
void              trv_audio_settings_free (TrvAudioSettings *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvAudioSettings, trv_audio_settings_free)

#define TRV_TYPE_SETTINGS (trv_settings_get_type ())
G_DECLARE_FINAL_TYPE (TrvSettings, trv_settings, TRV, SETTINGS, GObject)

/* Uses the default GSettings backend and the default Secret Service collection.
 * TRV_ERROR_NOT_AVAILABLE when the schema is not installed. */
TrvSettings      *trv_settings_new            (GError **error);

/* ---- reading (GSettings only: synchronous, no passwords) ---- */
/* Account ids in display order (never NULL). */
GStrv             trv_settings_dup_account_ids (TrvSettings *self);
/* The account's stored settings with password NULL, or NULL (and TRV_ERROR_INVALID_CONFIG)
 * for an unknown id or stored values that do not validate. */
TrvAccountConfig *trv_settings_get_account     (TrvSettings *self,
                                                const char *id,
                                                GError **error);
/* NAT settings with turn_password NULL. Stored values that do not validate fall back to
 * the defaults with a warning, so a damaged store never keeps the app from starting. */
TrvNatConfig     *trv_settings_get_nat         (TrvSettings *self);
TrvMediaConfig   *trv_settings_get_media       (TrvSettings *self);
TrvAudioSettings *trv_settings_get_audio       (TrvSettings *self);

/* ---- reading with passwords (asynchronous: the Secret Service is a D-Bus service) ---- */
/* The first account (NULL without any), NAT and media settings, passwords filled in. An
 * unreachable Secret Service is not an error: the configs come back without passwords and
 * the registration then fails with a reason the user can see. */
void              trv_settings_load_async      (TrvSettings *self,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
gboolean          trv_settings_load_finish     (TrvSettings *self,
                                                GAsyncResult *result,
                                                TrvAccountConfig **account,
                                                TrvNatConfig **nat,
                                                TrvMediaConfig **media,
                                                GError **error);
/* One password: kind "sip" (account_id required), "turn" or "proxy" (account_id NULL).
 * Returns NULL without error when none is stored. */
void              _trv_settings_lookup_password_async  (TrvSettings *self,
                                                        const char *kind,
                                                        const char *account_id,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
gchar            *trv_settings_lookup_password_finish (TrvSettings *self,
                                                       GAsyncResult *result,
                                                       GError **error);

/* ---- writing: validate, then the secret, then all GSettings keys at once ---- */
/* `id` NULL adds a new account. config->password: NULL keeps the stored password, ""
 * deletes it, anything else replaces it. Returns the account id. Errors:
 * TRV_ERROR_INVALID_CONFIG naming the key ("account.registrar: ..."), or the Secret
 * Service's error (then nothing was written). */
void              trv_settings_save_account_async  (TrvSettings *self,
                                                    const char *id,
                                                    const TrvAccountConfig *config,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
gchar            *trv_settings_save_account_finish (TrvSettings *self,
                                                    GAsyncResult *result,
                                                    GError **error);
void              trv_settings_remove_account_async  (TrvSettings *self,
                                                      const char *id,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
gboolean          trv_settings_remove_account_finish (TrvSettings *self,
                                                      GAsyncResult *result,
                                                      GError **error);
/* config->turn_password: NULL keeps, "" deletes, else replaces the stored one. */
void              trv_settings_save_nat_async  (TrvSettings *self,
                                                const TrvNatConfig *config,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
gboolean          trv_settings_save_nat_finish (TrvSettings *self,
                                                GAsyncResult *result,
                                                GError **error);
/* No secrets involved: synchronous. */
gboolean          trv_settings_save_media      (TrvSettings *self,
                                                const TrvMediaConfig *media,
                                                const TrvAudioSettings *audio,
                                                GError **error);

/* The SIP port listened on last, to listen on it again (0: none yet). Setting it does not
 * emit "changed". */
guint16           trv_settings_get_direct_port (TrvSettings *self);
void              trv_settings_set_direct_port (TrvSettings *self, guint16 port);
/* "Start at login and run in the background", as the user last chose it (the front end
 * keeps the autostart entry in step). Setting it does not emit "changed". */
gboolean          trv_settings_get_start_at_login (TrvSettings *self);
void              trv_settings_set_start_at_login (TrvSettings *self, gboolean start);

/* Signal "changed" (): any stored setting or password changed (coalesced, emitted from an
 * idle on the main context), whichever TrvSettings instance of the process saved it. The
 * app rebuilds its agent for the next call. */

G_END_DECLS
