/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-waiting-row.c: the other call, above the call view. Its buttons activate the
 * application's actions (app.answer-waiting, app.end-and-answer, app.decline-waiting,
 * app.switch-call), the same as the "Call waiting" notification's. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "trv-call-waiting-row.h"

struct _TrvCallWaitingRow {
  GtkBox parent_instance;

  TrvCall *call;
  GtkLabel *title_label;
  GtkLabel *detail_label;
  GtkWidget *answer_button;
  GtkWidget *end_answer_button;
  GtkWidget *decline_button;
  GtkWidget *switch_button;
  guint tick_source;
};

G_DEFINE_FINAL_TYPE (TrvCallWaitingRow, trv_call_waiting_row, GTK_TYPE_BOX)

gchar *
trv_call_waiting_format_held (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
update_held (TrvCallWaitingRow *self)
{
  gint64 since = trv_call_get_held_since (self->call);
  if (since == 0)
    {
      /* The hold's re-INVITE has not gone out yet. */
      gtk_label_set_label (self->detail_label, _("on hold"));
      return;
    }
  g_autofree gchar *held = trv_call_waiting_format_held ((g_get_monotonic_time () - since) /
                                                         G_USEC_PER_SEC);
  /* Translators: %s is a duration such as 1:05 (minutes:seconds). */
  g_autofree gchar *text = g_strdup_printf (_("on hold for %s"), held);
  gtk_label_set_label (self->detail_label, text);
}

static gboolean
on_tick (gpointer data)
{
  TrvCallWaitingRow *self = data;
  if (self->call)
    update_held (self);
  return G_SOURCE_CONTINUE;
}

static void
describe_buttons (TrvCallWaitingRow *self, const char *who)
{
  /* Translators: %s is the caller's name or SIP address. */
  g_autofree gchar *from = g_strdup_printf (_("Call from %s"), who);
  /* Translators: %s is a name or SIP address. */
  g_autofree gchar *to = g_strdup_printf (_("Switch to the call with %s"), who);
  GtkWidget *ringing[] = { self->answer_button, self->end_answer_button, self->decline_button };
  for (guint i = 0; i < G_N_ELEMENTS (ringing); i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (ringing[i]),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, from, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->switch_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, to, -1);
}

void
trv_call_waiting_row_set_call (TrvCallWaitingRow *self, TrvCall *call, const char *name)
{
  g_return_if_fail (TRV_IS_CALL_WAITING_ROW (self));
  g_return_if_fail (call == NULL || TRV_IS_CALL (call));

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_set_object (&self->call, call);
  gtk_widget_set_visible (GTK_WIDGET (self), call != NULL);
  if (call == NULL)
    return;

  const char *uri = trv_call_get_remote_uri (call);
  const char *who = name && *name ? name : uri;
  gboolean ringing = trv_call_get_state (call) == TRV_CALL_STATE_INCOMING;
  /* Translators: %s is the caller's name or SIP address. */
  g_autofree gchar *title = g_strdup_printf (ringing ? _("Call waiting: %s") : _("On hold: %s"),
                                             who);
  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_visible (self->answer_button, ringing);
  gtk_widget_set_visible (self->end_answer_button, ringing);
  gtk_widget_set_visible (self->decline_button, ringing);
  gtk_widget_set_visible (self->switch_button, !ringing);
  describe_buttons (self, who);
  if (ringing)
    {
      gtk_label_set_label (self->detail_label, uri);
      return;
    }
  update_held (self);
  self->tick_source = g_timeout_add_seconds (1, on_tick, self);
}

GtkWidget *
trv_call_waiting_row_new (void)
{
  return g_object_new (TRV_TYPE_CALL_WAITING_ROW, NULL);
}

static GtkWidget *
add_button (GtkGrid *grid, int column, int row, int width, const char *label, const char *icon,
            const char *action, const char *style)
{
  /* Button content like the incoming view's: the button is named by the label's words. */
  GtkWidget *content = adw_button_content_new ();
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon);
  GtkWidget *button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (style)
    gtk_widget_add_css_class (button, style);
  gtk_grid_attach (grid, button, column, row, width, 1);
  return button;
}

static void
trv_call_waiting_row_dispose (GObject *object)
{
  TrvCallWaitingRow *self = TRV_CALL_WAITING_ROW (object);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->call);
  G_OBJECT_CLASS (trv_call_waiting_row_parent_class)->dispose (object);
}

static void
trv_call_waiting_row_class_init (TrvCallWaitingRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = trv_call_waiting_row_dispose;
}

static void
trv_call_waiting_row_init (TrvCallWaitingRow *self)
{
  GtkBox *box = GTK_BOX (self);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (box, 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  g_object_set (self, "margin-start", 12, "margin-end", 12, "margin-top", 12, NULL);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_label_set_wrap (self->title_label, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->title_label), 12);
  gtk_box_append (box, GTK_WIDGET (self->title_label));
  self->detail_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "dim-label");
  gtk_label_set_wrap (self->detail_label, TRUE);
  gtk_box_append (box, GTK_WIDGET (self->detail_label));

  /* Two columns, End & Answer below: three in a row do not fit a 360 px window. A held
   * call's row shows Switch alone (in the first cell, the others hidden). */
  GtkGrid *buttons = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_homogeneous (buttons, TRUE);
  gtk_grid_set_column_spacing (buttons, 6);
  gtk_grid_set_row_spacing (buttons, 6);
  gtk_widget_set_halign (GTK_WIDGET (buttons), GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (GTK_WIDGET (buttons), 12);
  gtk_box_append (box, GTK_WIDGET (buttons));
  self->answer_button = add_button (buttons, 0, 0, 1, _("_Answer"), "call-start-symbolic",
                                    "app.answer-waiting", "suggested-action");
  /* Its own context: the call view's _Hang Up shows beside it, and a translation's
   * mnemonic must not clash with that one's. */
  self->decline_button = add_button (buttons, 1, 0, 1, C_("call waiting", "_Decline"),
                                     "call-stop-symbolic", "app.decline-waiting",
                                     "destructive-action");
  self->end_answer_button = add_button (buttons, 0, 1, 2, _("_End & Answer"),
                                        "call-stop-symbolic", "app.end-and-answer", NULL);
  self->switch_button = add_button (buttons, 0, 2, 1, _("_Switch"),
                                    "media-playlist-repeat-symbolic", "app.switch-call", NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
