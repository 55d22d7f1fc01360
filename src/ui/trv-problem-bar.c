/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-problem-bar.c: a problem in plain words with its action and a Details expander. */
#include "config.h"

#include "trv-problem-bar.h"

#include <glib/gi18n.h>

struct _TrvProblemBar {
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *subject;
  GtkWidget *text;
  GtkWidget *action;
  GtkWidget *dismiss;
  GtkWidget *details;           /* the "Details" toggle */
  GtkWidget *detail;
  TrvProblem *problem;
};

G_DEFINE_FINAL_TYPE (TrvProblemBar, trv_problem_bar, GTK_TYPE_WIDGET)

enum { SIGNAL_ACTION, SIGNAL_DISMISSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
action_label (TrvProblemAction action)
{
  switch (action)
    {
    case TRV_PROBLEM_ACTION_EDIT_ACCOUNT:
      return _("Edit Account");
    case TRV_PROBLEM_ACTION_TRY_AGAIN:
      return _("Try Again");
    case TRV_PROBLEM_ACTION_NETWORK_SETTINGS:
      return _("Network Settings");
    case TRV_PROBLEM_ACTION_NONE:
    default:
      return NULL;
    }
}

static void
on_action_clicked (GtkButton *button, TrvProblemBar *self)
{
  if (self->problem)
    g_signal_emit (self, signals[SIGNAL_ACTION], 0, (gint) self->problem->action);
}

/* A toggle button rather than a GtkExpander: GTK 4.8 exposes an expander's title to
 * assistive technologies as a plain label, with no action and no expanded state. */
static void
show_detail (TrvProblemBar *self, gboolean shown)
{
  gtk_widget_set_visible (self->detail, shown);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->details), GTK_ACCESSIBLE_STATE_EXPANDED,
                               shown, -1);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (self->details))),
                                    shown ? "pan-down-symbolic" : "pan-end-symbolic");
}

static void
on_details_toggled (GtkToggleButton *button, TrvProblemBar *self)
{
  show_detail (self, gtk_toggle_button_get_active (button));
}

static void
on_dismiss_clicked (GtkButton *button, TrvProblemBar *self)
{
  trv_problem_bar_set_problem (self, NULL);
  g_signal_emit (self, signals[SIGNAL_DISMISSED], 0);
}

GtkWidget *
trv_problem_bar_new (gboolean can_dismiss)
{
  TrvProblemBar *self = g_object_new (TRV_TYPE_PROBLEM_BAR, NULL);
  gtk_widget_set_visible (self->dismiss, can_dismiss);
  return GTK_WIDGET (self);
}

void
trv_problem_bar_set_problem (TrvProblemBar *self, const TrvProblem *problem)
{
  g_return_if_fail (TRV_IS_PROBLEM_BAR (self));

  g_clear_pointer (&self->problem, trv_problem_free);
  gtk_widget_set_visible (GTK_WIDGET (self), problem != NULL);
  if (problem == NULL)
    return;
  self->problem = trv_problem_copy (problem);
  gtk_label_set_text (GTK_LABEL (self->text), problem->text);
  const char *label = action_label (problem->action);
  gtk_widget_set_visible (self->action, label != NULL);
  if (label)
    gtk_button_set_label (GTK_BUTTON (self->action), label);
  /* A new problem starts with its detail closed. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->details), FALSE);
  gtk_widget_set_visible (self->details, problem->detail != NULL);
  gtk_label_set_text (GTK_LABEL (self->detail), problem->detail ? problem->detail : "");
}

void
trv_problem_bar_set_subject (TrvProblemBar *self, const char *subject)
{
  g_return_if_fail (TRV_IS_PROBLEM_BAR (self));
  gtk_label_set_text (GTK_LABEL (self->subject), subject ? subject : "");
  gtk_widget_set_visible (self->subject, subject != NULL);
}

const TrvProblem *
trv_problem_bar_get_problem (TrvProblemBar *self)
{
  g_return_val_if_fail (TRV_IS_PROBLEM_BAR (self), NULL);
  return self->problem;
}

static void
trv_problem_bar_dispose (GObject *object)
{
  TrvProblemBar *self = TRV_PROBLEM_BAR (object);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->problem, trv_problem_free);
  G_OBJECT_CLASS (trv_problem_bar_parent_class)->dispose (object);
}

static void
trv_problem_bar_class_init (TrvProblemBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trv_problem_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "trv-problem-bar");
  signals[SIGNAL_ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_DISMISSED] =
    g_signal_new ("dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
trv_problem_bar_init (TrvProblemBar *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->box, "trv-problem");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* Which account, when there are several (an address comes from the user: no markup). */
  self->subject = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                "xalign", 0.0f, "use-markup", FALSE, "visible", FALSE, NULL);
  gtk_widget_add_css_class (self->subject, "heading");
  gtk_box_append (GTK_BOX (self->box), self->subject);

  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "dialog-warning-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  "valign", GTK_ALIGN_START, NULL);
  self->text = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "xalign", 0.0f, "hexpand", TRUE,
                             "use-markup", FALSE, NULL);
  self->action = gtk_button_new ();
  gtk_widget_set_valign (self->action, GTK_ALIGN_CENTER);
  g_signal_connect (self->action, "clicked", G_CALLBACK (on_action_clicked), self);
  self->dismiss = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (self->dismiss, "flat");
  gtk_widget_set_valign (self->dismiss, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->dismiss, _("Dismiss"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dismiss), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Dismiss"), -1);
  g_signal_connect (self->dismiss, "clicked", G_CALLBACK (on_dismiss_clicked), self);
  gtk_box_append (GTK_BOX (top), icon);
  gtk_box_append (GTK_BOX (top), self->text);
  gtk_box_append (GTK_BOX (top), self->action);
  gtk_box_append (GTK_BOX (top), self->dismiss);
  gtk_box_append (GTK_BOX (self->box), top);

  /* The technical story, for a provider's support desk: selectable, out of the way. */
  self->details = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->details),
                        g_object_new (ADW_TYPE_BUTTON_CONTENT, "label", _("Details"), NULL));
  gtk_widget_add_css_class (self->details, "flat");
  gtk_widget_set_halign (self->details, GTK_ALIGN_START);
  g_signal_connect (self->details, "toggled", G_CALLBACK (on_details_toggled), self);
  self->detail = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "wrap-mode", PANGO_WRAP_WORD_CHAR,
                               "xalign", 0.0f, "selectable", TRUE, "use-markup", FALSE, NULL);
  gtk_widget_add_css_class (self->detail, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->details), GTK_ACCESSIBLE_RELATION_CONTROLS,
                                  self->detail, NULL, -1);
  gtk_box_append (GTK_BOX (self->box), self->details);
  gtk_box_append (GTK_BOX (self->box), self->detail);
  show_detail (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
