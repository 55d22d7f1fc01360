/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-settings-private.h: what trv-settings.c shares with trv-settings-save.c. */
#pragma once

#include <libsecret/secret.h>
#include "trv-settings.h"

G_BEGIN_DECLS

#define ACCOUNT_SCHEMA_ID TRV_SETTINGS_SCHEMA_ID ".Account"
#define ACCOUNTS_PATH "/io/github/traverse/Traverse/accounts/"

struct _TrvSettings {
  GObject parent_instance;

  GSettings *root;
  GSettings *nat;
  GSettings *audio;
  GHashTable *accounts;  /* id -> GSettings*, kept for their change notifications */
  guint changed_idle;
};

const SecretSchema *_trv_settings_password_schema     (void);
/* kind "sip" or "turn"; account_id NULL for turn. */
GHashTable         *_trv_settings_password_attributes (const char *kind, const char *account_id);
/* Schedules one coalesced "changed" emission. */
void                _trv_settings_changed_soon        (TrvSettings *self);
/* After a save: "changed" on every TrvSettings of the process. */
void                _trv_settings_notify_all          (void);
const char         *_trv_settings_or_empty            (const char *s);
gboolean            _trv_settings_valid_account_id    (const char *id);
gboolean            _trv_settings_has_account         (TrvSettings *self, const char *id);
/* The (cached) GSettings of one account. */
GSettings          *_trv_settings_account_settings    (TrvSettings *self, const char *id);

G_END_DECLS
