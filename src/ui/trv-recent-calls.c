/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-recent-calls.c: call history persisted as a GKeyFile, one group per call. */
#include "config.h"

#include <glib/gstdio.h>

#include "trv-recent-calls.h"
#include "trv-error.h"
#include "trv-enum.h"
#include "trv-ui-enums.h"

struct _TrvRecentCalls {
  GObject parent_instance;
  gchar *path;
  GListStore *store;
};

static void trv_recent_calls_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TrvRecentCalls, trv_recent_calls, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      trv_recent_calls_list_model_init))

static GType
trv_recent_calls_get_item_type (GListModel *model)
{
  return TRV_TYPE_RECENT_CALL;
}

static guint
trv_recent_calls_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (TRV_RECENT_CALLS (model)->store));
}

static gpointer
trv_recent_calls_get_item (GListModel *model, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (TRV_RECENT_CALLS (model)->store), position);
}

static void
trv_recent_calls_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = trv_recent_calls_get_item_type;
  iface->get_n_items = trv_recent_calls_get_n_items;
  iface->get_item = trv_recent_calls_get_item;
}

static void
on_store_items_changed (GListModel *store, guint position, guint removed, guint added,
                        TrvRecentCalls *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

TrvRecentCalls *
trv_recent_calls_new (const char *path)
{
  TrvRecentCalls *self = g_object_new (TRV_TYPE_RECENT_CALLS, NULL);
  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_user_data_dir (), "traverse", "recent-calls.ini",
                                        NULL);
  return self;
}

const char *
trv_recent_calls_get_path (TrvRecentCalls *self)
{
  return self->path;
}

/* The history file is ours and always lower case: the nick must match exactly. */
static gboolean
outcome_from_nick (const char *nick, TrvRecentOutcome *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TRV_TYPE_RECENT_OUTCOME);
  GEnumValue *v = g_enum_get_value_by_nick (klass, nick);
  if (v == NULL)
    return FALSE;
  *out = v->value;
  return TRUE;
}

static TrvRecentCall *
read_entry (GKeyFile *kf, const char *group, GError **error)
{
  g_autofree gchar *uri = g_key_file_get_string (kf, group, "uri", error);
  if (uri == NULL)
    return NULL;
  g_autofree gchar *name = g_key_file_get_string (kf, group, "name", NULL);
  g_autofree gchar *direction = g_key_file_get_string (kf, group, "direction", error);
  if (direction == NULL)
    return NULL;
  g_autofree gchar *time_str = g_key_file_get_string (kf, group, "time", error);
  if (time_str == NULL)
    return NULL;
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (time_str, NULL);
  g_autofree gchar *outcome_str = g_key_file_get_string (kf, group, "outcome", error);
  if (outcome_str == NULL)
    return NULL;
  TrvRecentOutcome outcome;
  GError *local = NULL;
  double duration = g_key_file_get_double (kf, group, "duration", &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  gboolean incoming = g_str_equal (direction, "incoming");
  if ((!incoming && !g_str_equal (direction, "outgoing")) || time == NULL ||
      !outcome_from_nick (outcome_str, &outcome) || duration < 0)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   "[%s]: bad direction, time, outcome or duration", group);
      return NULL;
    }
  return trv_recent_call_new (uri, name, incoming, g_date_time_to_unix (time), duration,
                              outcome, g_key_file_get_boolean (kf, group, "echo-test", NULL));
}

gboolean
trv_recent_calls_load (TrvRecentCalls *self, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  g_list_store_remove_all (self->store);
  if (!g_key_file_load_from_file (kf, self->path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, "%s: %s", self->path,
                   local->message);
      return FALSE;
    }
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; groups[i] && items->len < TRV_RECENT_CALLS_MAX; i++)
    {
      TrvRecentCall *call = read_entry (kf, groups[i], &local);
      if (call == NULL)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, "%s: %s", self->path,
                       local->message);
          return FALSE;
        }
      g_ptr_array_add (items, call);
    }
  g_list_store_splice (self->store, 0, 0, items->pdata, items->len);
  return TRUE;
}

static gboolean
save (TrvRecentCalls *self, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TrvRecentCall) call = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      g_autofree gchar *group = g_strdup_printf ("call-%03u", i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (trv_recent_call_get_time (call));
      g_autofree gchar *time_str = g_date_time_format_iso8601 (time);
      g_key_file_set_string (kf, group, "uri", trv_recent_call_get_uri (call));
      if (trv_recent_call_get_name (call))
        g_key_file_set_string (kf, group, "name", trv_recent_call_get_name (call));
      g_key_file_set_string (kf, group, "direction", trv_recent_call_get_incoming (call) ? "incoming" : "outgoing");
      g_key_file_set_string (kf, group, "time", time_str);
      g_key_file_set_double (kf, group, "duration", trv_recent_call_get_duration (call));
      g_key_file_set_string (kf, group, "outcome",
                             trv_enum_to_nick (TRV_TYPE_RECENT_OUTCOME, trv_recent_call_get_outcome (call)));
      if (trv_recent_call_get_echo_test (call))
        g_key_file_set_boolean (kf, group, "echo-test", TRUE);
    }
  g_autofree gchar *dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, "cannot create %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (kf, self->path, error);
}

gboolean
trv_recent_calls_add (TrvRecentCalls *self, TrvRecentCall *call, GError **error)
{
  g_return_val_if_fail (TRV_IS_RECENT_CALLS (self), FALSE);
  g_return_val_if_fail (TRV_IS_RECENT_CALL (call), FALSE);

  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (n >= TRV_RECENT_CALLS_MAX)
    g_list_store_splice (self->store, TRV_RECENT_CALLS_MAX - 1, n - TRV_RECENT_CALLS_MAX + 1,
                         NULL, 0);
  g_list_store_insert (self->store, 0, call);
  return save (self, error);
}

static void
trv_recent_calls_finalize (GObject *object)
{
  TrvRecentCalls *self = TRV_RECENT_CALLS (object);
  g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_free (self->path);
  G_OBJECT_CLASS (trv_recent_calls_parent_class)->finalize (object);
}

static void
trv_recent_calls_class_init (TrvRecentCallsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_recent_calls_finalize;
}

static void
trv_recent_calls_init (TrvRecentCalls *self)
{
  self->store = g_list_store_new (TRV_TYPE_RECENT_CALL);
  g_signal_connect (self->store, "items-changed", G_CALLBACK (on_store_items_changed), self);
}
