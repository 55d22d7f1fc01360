/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-dialpad.c: the keypad; each key activates the widget action dialpad.digit. One Tab
 * stop: Tab enters on the key used last (the first at first) and leaves the keypad; the
 * arrow keys move between the keys. */
#include "config.h"

#include "trv-dialpad.h"

struct _TrvDialpad {
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget *grid;

  GtkWidget *current;           /* the key Tab enters on (a child of grid) */
};

G_DEFINE_FINAL_TYPE (TrvDialpad, trv_dialpad, GTK_TYPE_WIDGET)

enum {
  SIGNAL_DIGIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_digit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *digit = g_variant_get_string (parameter, NULL);
  g_signal_emit (widget, signals[SIGNAL_DIGIT_ACTIVATED], 0, digit);
}

static gboolean
trv_dialpad_focus (GtkWidget *widget, GtkDirectionType direction)
{
  TrvDialpad *self = TRV_DIALPAD (widget);
  GtkWidget *inside = gtk_widget_get_focus_child (self->grid);

  if (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
    {
      /* Twelve keys would be twelve Tab stops: the keypad is one. */
      if (inside != NULL)
        return FALSE;
      GtkWidget *key = self->current ? self->current : gtk_widget_get_first_child (self->grid);
      return key != NULL && gtk_widget_child_focus (key, direction);
    }
  if (inside == NULL)
    return FALSE;
  /* Arrows move by position in the grid; at an edge the focus stays in the keypad. */
  if (gtk_widget_child_focus (self->grid, direction))
    self->current = gtk_widget_get_focus_child (self->grid);
  return TRUE;
}

static void
trv_dialpad_dispose (GObject *object)
{
  TRV_DIALPAD (object)->current = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), TRV_TYPE_DIALPAD);
  G_OBJECT_CLASS (trv_dialpad_parent_class)->dispose (object);
}

static void
trv_dialpad_class_init (TrvDialpadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trv_dialpad_dispose;
  widget_class->focus = trv_dialpad_focus;

  signals[SIGNAL_DIGIT_ACTIVATED] =
    g_signal_new ("digit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/traverse/Traverse/trv-dialpad.ui");
  gtk_widget_class_bind_template_child (widget_class, TrvDialpad, grid);
  gtk_widget_class_install_action (widget_class, "dialpad.digit", "s", on_digit_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
trv_dialpad_init (TrvDialpad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
trv_dialpad_new (void)
{
  return g_object_new (TRV_TYPE_DIALPAD, NULL);
}
