/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-incoming-view.c: who is calling; the buttons activate app.answer-call and
 * app.decline-call, the same actions as the desktop notification's buttons. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "trv-connection-text.h"
#include "trv-incoming-view.h"

struct _TrvIncomingView {
  GtkWidget parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
  AdwAvatar *avatar;
  GtkLabel *caller_label;
  GtkButton *answer_button;
  GtkButton *decline_button;
};

G_DEFINE_FINAL_TYPE (TrvIncomingView, trv_incoming_view, GTK_TYPE_WIDGET)

void
trv_incoming_view_set_call (TrvIncomingView *self, TrvCall *call, const char *name)
{
  g_return_if_fail (TRV_IS_INCOMING_VIEW (self));
  g_return_if_fail (TRV_IS_CALL (call));

  const char *uri = trv_call_get_remote_uri (call);
  g_autofree gchar *caller = name && *name ? g_strdup_printf ("%s\n%s", name, uri)
                                           : g_strdup (uri);
  g_autofree gchar *short_name = trv_party_short_name (name, uri);
  gtk_label_set_label (self->caller_label, caller);
  adw_avatar_set_text (self->avatar, short_name);
  /* Translators: %s is the caller's name or SIP address. */
  g_autofree gchar *description = g_strdup_printf (_("Call from %s"), name && *name ? name : uri);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->answer_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->decline_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

void
trv_incoming_view_focus_answer (TrvIncomingView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->answer_button));
}

GtkWidget *
trv_incoming_view_new (void)
{
  return g_object_new (TRV_TYPE_INCOMING_VIEW, NULL);
}

static void
trv_incoming_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TRV_TYPE_INCOMING_VIEW);
  G_OBJECT_CLASS (trv_incoming_view_parent_class)->dispose (object);
}

static void
trv_incoming_view_class_init (TrvIncomingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trv_incoming_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/traverse/Traverse/trv-incoming-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrvIncomingView, status_page);
  gtk_widget_class_bind_template_child (widget_class, TrvIncomingView, avatar);
  gtk_widget_class_bind_template_child (widget_class, TrvIncomingView, caller_label);
  gtk_widget_class_bind_template_child (widget_class, TrvIncomingView, answer_button);
  gtk_widget_class_bind_template_child (widget_class, TrvIncomingView, decline_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
trv_incoming_view_init (TrvIncomingView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
