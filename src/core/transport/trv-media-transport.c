/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-transport.c: the abstract media transport and the path it reports. */
#include "config.h"

#include "trv-media-transport.h"
#include "trv-error.h"
#include "trv-transport-enums.h"
#include <glib/gi18n-lib.h>

typedef struct {
  TrvPathType local_type;
  TrvPathType remote_type;
  gchar *local_address;
  gchar *remote_address;
  gchar *protocol;
  GPtrArray *warnings;
} TrvMediaTransportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TrvMediaTransport, trv_media_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCAL_TYPE,
  PROP_REMOTE_TYPE,
  PROP_LOCAL_ADDRESS,
  PROP_REMOTE_ADDRESS,
  PROP_PROTOCOL,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_PATH_CHANGED, SIGNAL_WARNING, N_SIGNALS };
static guint signals[N_SIGNALS];

void
trv_media_transport_prepare_async (TrvMediaTransport *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_MEDIA_TRANSPORT (self));
  TRV_MEDIA_TRANSPORT_GET_CLASS (self)->prepare_async (self, cancellable, callback, user_data);
}

gboolean
trv_media_transport_prepare_finish (TrvMediaTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), FALSE);
  return TRV_MEDIA_TRANSPORT_GET_CLASS (self)->prepare_finish (self, result, error);
}

void
trv_media_transport_describe (TrvMediaTransport *self, TrvMediaEndpoint *local)
{
  g_return_if_fail (TRV_IS_MEDIA_TRANSPORT (self));
  g_return_if_fail (local != NULL);
  TRV_MEDIA_TRANSPORT_GET_CLASS (self)->describe (self, local);
}

gboolean
trv_media_transport_set_remote (TrvMediaTransport *self, const TrvMediaEndpoint *remote,
                                gboolean rtcp_mux, GError **error)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), FALSE);
  if (remote == NULL || remote->address == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the peer gave no media address"));
      return FALSE;
    }
  return TRV_MEDIA_TRANSPORT_GET_CLASS (self)->set_remote (self, remote, rtcp_mux, error);
}

GstElement *
trv_media_transport_create_src (TrvMediaTransport *self, guint component)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  return TRV_MEDIA_TRANSPORT_GET_CLASS (self)->create_src (self, component);
}

GstElement *
trv_media_transport_create_sink (TrvMediaTransport *self, guint component)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  return TRV_MEDIA_TRANSPORT_GET_CLASS (self)->create_sink (self, component);
}

void
trv_media_transport_close (TrvMediaTransport *self)
{
  g_return_if_fail (TRV_IS_MEDIA_TRANSPORT (self));
  TRV_MEDIA_TRANSPORT_GET_CLASS (self)->close (self);
}

TrvSilenceCause
trv_media_transport_get_silence_cause (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), TRV_SILENCE_CAUSE_UNKNOWN);
  TrvMediaTransportClass *klass = TRV_MEDIA_TRANSPORT_GET_CLASS (self);
  return klass->get_silence_cause ? klass->get_silence_cause (self) : TRV_SILENCE_CAUSE_UNKNOWN;
}

gint64
trv_media_transport_get_rtp_sent (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), -1);
  TrvMediaTransportClass *klass = TRV_MEDIA_TRANSPORT_GET_CLASS (self);
  return klass->get_rtp_sent ? klass->get_rtp_sent (self) : -1;
}

GPtrArray *
trv_media_transport_get_warnings (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->warnings;
}

void
trv_media_transport_add_warning (TrvMediaTransport *self, gchar *message)
{
  g_return_if_fail (TRV_IS_MEDIA_TRANSPORT (self));
  g_return_if_fail (message != NULL);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  g_ptr_array_add (priv->warnings, message);
  g_signal_emit (self, signals[SIGNAL_WARNING], 0, message);
}

TrvPathType
trv_media_transport_get_local_type (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), TRV_PATH_UNKNOWN);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->local_type;
}

TrvPathType
trv_media_transport_get_remote_type (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), TRV_PATH_UNKNOWN);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->remote_type;
}

const char *
trv_media_transport_get_local_address (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->local_address;
}

const char *
trv_media_transport_get_remote_address (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->remote_address;
}

const char *
trv_media_transport_get_protocol (TrvMediaTransport *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (self), NULL);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  return priv->protocol;
}

/* g_set_str() arrives in GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (gchar **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
trv_media_transport_set_path (TrvMediaTransport *self,
                              TrvPathType local_type, const char *local_address,
                              TrvPathType remote_type, const char *remote_address,
                              const char *protocol)
{
  g_return_if_fail (TRV_IS_MEDIA_TRANSPORT (self));
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (priv->local_type != local_type)
    {
      priv->local_type = local_type;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_TYPE]);
      changed = TRUE;
    }
  if (priv->remote_type != remote_type)
    {
      priv->remote_type = remote_type;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_TYPE]);
      changed = TRUE;
    }
  if (set_str (&priv->local_address, local_address))
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_ADDRESS]);
      changed = TRUE;
    }
  if (set_str (&priv->remote_address, remote_address))
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_ADDRESS]);
      changed = TRUE;
    }
  if (set_str (&priv->protocol, protocol))
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROTOCOL]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[SIGNAL_PATH_CHANGED], 0);
}

static void
trv_media_transport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TrvMediaTransport *self = TRV_MEDIA_TRANSPORT (object);
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  switch (prop_id)
    {
    case PROP_LOCAL_TYPE:     g_value_set_enum (value, priv->local_type); break;
    case PROP_REMOTE_TYPE:    g_value_set_enum (value, priv->remote_type); break;
    case PROP_LOCAL_ADDRESS:  g_value_set_string (value, priv->local_address); break;
    case PROP_REMOTE_ADDRESS: g_value_set_string (value, priv->remote_address); break;
    case PROP_PROTOCOL:       g_value_set_string (value, priv->protocol); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_media_transport_finalize (GObject *object)
{
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (TRV_MEDIA_TRANSPORT (object));
  g_free (priv->local_address);
  g_free (priv->remote_address);
  g_free (priv->protocol);
  g_ptr_array_unref (priv->warnings);
  G_OBJECT_CLASS (trv_media_transport_parent_class)->finalize (object);
}

static void
trv_media_transport_class_init (TrvMediaTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = trv_media_transport_get_property;
  object_class->finalize = trv_media_transport_finalize;

  props[PROP_LOCAL_TYPE] =
    g_param_spec_enum ("local-type", NULL, NULL, TRV_TYPE_PATH_TYPE, TRV_PATH_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_REMOTE_TYPE] =
    g_param_spec_enum ("remote-type", NULL, NULL, TRV_TYPE_PATH_TYPE, TRV_PATH_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_REMOTE_ADDRESS] =
    g_param_spec_string ("remote-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_PROTOCOL] =
    g_param_spec_string ("protocol", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_PATH_CHANGED] =
    g_signal_new ("path-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
trv_media_transport_init (TrvMediaTransport *self)
{
  TrvMediaTransportPrivate *priv = trv_media_transport_get_instance_private (self);
  priv->warnings = g_ptr_array_new_with_free_func (g_free);
}
