/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-view.c: renders one TrvCall and turns button presses into call methods.
 * The Connection section is refreshed from the transport's path properties on
 * "path-changed" and from the media session's statistics once a second. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "trv-call-view.h"
#include "trv-connection-text.h"
#include "trv-dialpad.h"
#include "trv-error.h"
#include "trv-media-session.h"
#include "trv-media-transport.h"
#include "trv-transfer-dialog.h"
#include "trv-problem.h"

#define TICK_MS 1000

struct _TrvCallView {
  GtkWidget parent_instance;

  /* Template widgets */
  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *uri_label;
  GtkLabel *state_label;
  GtkLabel *timer_label;
  GtkLabel *silence_label;
  GtkLabel *dtmf_label;
  GtkToggleButton *mute_button;
  GtkToggleButton *hold_button;
  GtkToggleButton *keypad_button;
  GtkButton *transfer_button;
  GtkButton *complete_button;
  GtkButton *hangup_button;
  GtkRevealer *keypad_revealer;
  TrvDialpad *dialpad;
  AdwPreferencesGroup *connection_group;
  AdwActionRow *path_row;
  AdwActionRow *local_row;
  AdwActionRow *remote_row;
  AdwActionRow *codec_row;
  AdwActionRow *quality_row;
  AdwActionRow *rtt_row;
  AdwActionRow *loss_row;
  AdwActionRow *jitter_row;

  /* State */
  TrvCall *call;
  gchar *turn_server;
  guint tick_source;
  GString *dtmf_sent;
  gboolean remote_held;         /* as last shown: the core signals no change of it */
  guint64 last_received;        /* RTP packets received at the last change */
  gint64 last_received_us;      /* when that count last grew (monotonic) */
};

G_DEFINE_FINAL_TYPE (TrvCallView, trv_call_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- words -------------------------------------------------------------------------- */

static gchar *
describe_end (TrvCall *call)
{
  switch (trv_call_get_end_reason (call))
    {
    case TRV_CALL_END_LOCAL_HANGUP:
      return g_strdup (_("Call ended."));
    case TRV_CALL_END_REMOTE_HANGUP:
      return g_strdup (_("The other side hung up."));
    case TRV_CALL_END_DECLINED:
      return g_strdup (_("You declined the call."));
    case TRV_CALL_END_CANCELLED:
      return g_strdup (trv_call_get_direction (call) == TRV_CALL_DIRECTION_INCOMING
                       ? _("Missed call: the caller hung up.") : _("Call cancelled."));
    default:
      {
        /* Refused, failed, no sound: plain words from the core; the SIP status and the
         * address are the window's problem detail (trv-window-problems.c). */
        g_autoptr(TrvProblem) problem = trv_problem_new_for_call (call);
        return problem ? g_steal_pointer (&problem->text) : g_strdup (_("The call failed."));
      }
    }
}

gchar *
trv_call_describe_state (TrvCall *call)
{
  switch (trv_call_get_state (call))
    {
    case TRV_CALL_STATE_DIALING:
      return g_strdup (_("Calling…"));
    case TRV_CALL_STATE_RINGING:
      return g_strdup (_("Ringing…"));
    case TRV_CALL_STATE_INCOMING:
      return g_strdup (_("Incoming call"));
    case TRV_CALL_STATE_ACTIVE:
      return g_strdup (trv_call_get_remote_held (call)
                       ? _("Connected. The other side has put you on hold.")
                       : _("Connected"));
    case TRV_CALL_STATE_HELD:
      return g_strdup (_("On hold"));
    case TRV_CALL_STATE_ENDED:
    default:
      return describe_end (call);
    }
}

/* ---- updates ------------------------------------------------------------------------ */

static void
set_row (AdwActionRow *row, const char *text)
{
  adw_action_row_set_subtitle (row, text);
  /* The row is named by its title ("Path"); the value goes into the description so a
   * screen reader on the row says both. (A label property would be joined with the
   * title by GTK 4.8, doubling it.) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
update_path (TrvCallView *self)
{
  TrvMediaTransport *transport = trv_call_get_transport (self->call);
  if (transport == NULL)
    {
      set_row (self->path_row, _("Not connected yet"));
      set_row (self->local_row, _("Unknown"));
      set_row (self->remote_row, _("Unknown"));
      return;
    }
  TrvPathType lt = trv_media_transport_get_local_type (transport);
  TrvPathType rt = trv_media_transport_get_remote_type (transport);
  const char *la = trv_media_transport_get_local_address (transport);
  const char *ra = trv_media_transport_get_remote_address (transport);
  g_autofree gchar *path = trv_connection_describe_path (lt, la, rt, ra,
                                                         trv_media_transport_get_protocol (transport),
                                                         self->turn_server);
  /* Translators: a candidate type and an address, e.g. "Host (...) — 192.168.1.5:5004". */
  g_autofree gchar *local = g_strdup_printf (_("%s — %s"), trv_connection_describe_candidate (lt),
                                             la ? la : _("unknown address"));
  g_autofree gchar *remote = g_strdup_printf (_("%s — %s"), trv_connection_describe_candidate (rt),
                                              ra ? ra : _("unknown address"));
  set_row (self->path_row, path);
  set_row (self->local_row, local);
  set_row (self->remote_row, remote);
}

/* Says why there is no sound when audio stops arriving (or never arrives) during an
 * active call that the other side has not put on hold. */
static void
update_silence (TrvCallView *self, const TrvMediaStats *stats)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree gchar *hint = NULL;

  if (stats->rtp_received != self->last_received || self->last_received_us == 0 ||
      trv_call_get_state (self->call) != TRV_CALL_STATE_ACTIVE ||
      trv_call_get_remote_held (self->call))
    {
      self->last_received = stats->rtp_received;
      self->last_received_us = now;
    }
  else if (trv_call_get_media_silent (self->call) && stats->rtp_received > 0)
    /* Not even RTCP arrives: the other side may be gone, and the call will end. */
    hint = g_strdup (_("Nothing arrives from the other side any more: the connection may be lost. "
                       "The call ends if this goes on."));
  else
    hint = trv_connection_describe_silence ((now - self->last_received_us) / (double) G_USEC_PER_SEC,
                                            stats->rtp_received > 0);
  gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self->silence_label));
  if (hint != NULL && (!shown || g_strcmp0 (hint, gtk_label_get_label (self->silence_label)) != 0))
    {
      gtk_label_set_label (self->silence_label, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->silence_label), TRUE);
      g_signal_emit (self, signals[SIGNAL_NOTICE], 0, hint);
    }
  else if (hint == NULL && shown)
    gtk_widget_set_visible (GTK_WIDGET (self->silence_label), FALSE);
}

static void
update_stats (TrvCallView *self)
{
  const TrvNegotiation *n = trv_call_get_negotiation (self->call);
  TrvMediaSession *media = trv_call_get_media (self->call);
  g_autofree gchar *timer = trv_connection_format_duration (trv_call_get_duration_s (self->call));

  gtk_label_set_label (self->timer_label, timer);
  if (n && n->codec)
    {
      /* Translators: codec name and clock rate, e.g. "opus, 48 kHz". */
      g_autofree gchar *codec = g_strdup_printf (_("%s, %g kHz"), n->codec->name,
                                                 n->codec->clock_rate / 1000.0);
      set_row (self->codec_row, codec);
    }
  else
    set_row (self->codec_row, _("Not agreed yet"));

  if (media == NULL)
    {
      set_row (self->quality_row, _("Not measured yet"));
      set_row (self->rtt_row, _("Not measured yet"));
      set_row (self->loss_row, _("Not measured yet"));
      set_row (self->jitter_row, _("Not measured yet"));
      return;
    }
  TrvMediaStats stats = { 0 };
  trv_media_session_get_stats (media, &stats);
  update_silence (self, &stats);
  g_autofree gchar *rtt = trv_connection_format_ms (stats.rtt_ms);
  g_autofree gchar *loss = stats.rtp_received > 0 || stats.rtp_lost > 0
                           ? trv_connection_format_loss (stats.rtp_lost, stats.rtp_received)
                           : g_strdup (_("Not measured yet"));
  g_autofree gchar *jitter = stats.rtp_received > 0 ? trv_connection_format_ms (stats.jitter_ms)
                                                    : g_strdup (_("Not measured yet"));
  TrvQuality quality = { 0 };
  /* The E-model rates what arrives; with nothing arriving it would say "excellent". */
  if (gtk_widget_get_visible (GTK_WIDGET (self->silence_label)))
    set_row (self->quality_row, _("No sound arriving"));
  else if (stats.rtp_received > 0 && trv_media_session_get_quality (media, &quality))
    {
      g_autofree gchar *words = trv_connection_describe_quality (quality.r, quality.mos);
      set_row (self->quality_row, words);
    }
  else
    set_row (self->quality_row, _("Not measured yet"));
  set_row (self->rtt_row, rtt);
  set_row (self->loss_row, loss);
  set_row (self->jitter_row, jitter);
}

static void
update_controls (TrvCallView *self)
{
  TrvCallState state = trv_call_get_state (self->call);
  gboolean live = state == TRV_CALL_STATE_ACTIVE || state == TRV_CALL_STATE_HELD;
  g_autofree gchar *words = trv_call_describe_state (self->call);

  gtk_label_set_label (self->state_label, words);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_button), live);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button), live);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad_button), state == TRV_CALL_STATE_ACTIVE);
  /* A consultation is the transfer's second step: it is completed, not transferred. */
  gboolean consultation = trv_call_is_consultation (self->call);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transfer_button), live && !consultation);
  gtk_widget_set_visible (GTK_WIDGET (self->complete_button),
                          consultation && state == TRV_CALL_STATE_ACTIVE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hangup_button), state != TRV_CALL_STATE_ENDED);
  if (state != TRV_CALL_STATE_ACTIVE)
    gtk_toggle_button_set_active (self->keypad_button, FALSE);

  g_signal_handlers_block_by_func (self->mute_button, NULL, self);
  g_signal_handlers_block_by_func (self->hold_button, NULL, self);
  gtk_toggle_button_set_active (self->mute_button, trv_call_get_muted (self->call));
  gtk_toggle_button_set_active (self->hold_button, state == TRV_CALL_STATE_HELD);
  g_signal_handlers_unblock_by_func (self->hold_button, NULL, self);
  g_signal_handlers_unblock_by_func (self->mute_button, NULL, self);
}

static gboolean
on_tick (gpointer data)
{
  TrvCallView *self = data;
  if (trv_call_get_remote_held (self->call) != self->remote_held)
    {
      g_autofree gchar *words = trv_call_describe_state (self->call);
      self->remote_held = !self->remote_held;
      update_controls (self);
      g_signal_emit (self, signals[SIGNAL_NOTICE], 0, words);
    }
  update_stats (self);
  update_path (self);
  return G_SOURCE_CONTINUE;
}

static void
stop_ticking (TrvCallView *self)
{
  g_clear_handle_id (&self->tick_source, g_source_remove);
}

/* ---- call signals --------------------------------------------------------------------- */

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, TrvCallView *self)
{
  update_controls (self);
  update_stats (self);
  update_path (self);
  if (trv_call_get_state (call) == TRV_CALL_STATE_ENDED)
    stop_ticking (self);
}

static void
on_call_path_changed (TrvCall *call, TrvCallView *self)
{
  update_path (self);
}

static void
on_call_media_started (TrvCall *call, TrvCallView *self)
{
  update_stats (self);
  update_path (self);
}

/* ---- template callbacks ----------------------------------------------------------------- */

static void
on_mute_toggled (GtkToggleButton *button, TrvCallView *self)
{
  if (self->call == NULL)
    return;
  gboolean muted = gtk_toggle_button_get_active (button);
  trv_call_set_muted (self->call, muted);
  /* GTK 4.8 sends no event for a toggle button's pressed state that a screen reader
   * speaks: the window announces it, as other news of the call. */
  g_signal_emit (self, signals[SIGNAL_NOTICE], 0,
                 muted ? _("Microphone muted") : _("Microphone on"));
}

static void
on_hold_toggled (GtkToggleButton *button, TrvCallView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->call == NULL)
    return;
  if (!trv_call_set_held (self->call, gtk_toggle_button_get_active (button), &error))
    {
      /* Translators: %s is the reason from the SIP engine (translated, lower case). */
      g_autofree gchar *msg = g_strdup_printf (_("Hold failed: %s"), error->message);
      gtk_label_set_label (self->state_label, msg);
      g_signal_handlers_block_by_func (button, on_hold_toggled, self);
      gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
      g_signal_handlers_unblock_by_func (button, on_hold_toggled, self);
    }
}

static void
send_dtmf (TrvCallView *self, const char *digit)
{
  g_autoptr(GError) error = NULL;

  if (self->call == NULL || trv_call_get_state (self->call) != TRV_CALL_STATE_ACTIVE)
    return;
  if (!trv_call_send_dtmf (self->call, digit, &error))
    {
      g_autofree gchar *msg = g_strdup_printf (_("Cannot send the tone: %s"), error->message);
      gtk_label_set_label (self->dtmf_label, msg);
      gtk_widget_set_visible (GTK_WIDGET (self->dtmf_label), TRUE);
      return;
    }
  g_string_append (self->dtmf_sent, digit);
  gtk_label_set_label (self->dtmf_label, self->dtmf_sent->str);
  gtk_widget_set_visible (GTK_WIDGET (self->dtmf_label), TRUE);
}

static void
on_dialpad_digit_activated (TrvDialpad *dialpad, const char *digit, TrvCallView *self)
{
  send_dtmf (self, digit);
}

static void
on_transfer_clicked (GtkButton *button, TrvCallView *self)
{
  if (self->call)
    trv_transfer_dialog_present (GTK_WIDGET (self), gtk_label_get_label (self->name_label));
}

static void
on_hangup_clicked (GtkButton *button, TrvCallView *self)
{
  if (self->call)
    trv_call_hangup (self->call);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, TrvCallView *self)
{
  /* Digits typed during a call are tones, as on a phone. */
  gunichar c = gdk_keyval_to_unicode (keyval);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || c == 0 ||
      !strchr ("0123456789*#", (int) c) || self->call == NULL ||
      trv_call_get_state (self->call) != TRV_CALL_STATE_ACTIVE)
    return GDK_EVENT_PROPAGATE;
  char digit[2] = { (char) c, '\0' };
  gtk_toggle_button_set_active (self->keypad_button, TRUE);
  send_dtmf (self, digit);
  return GDK_EVENT_STOP;
}

/* ---- public ---------------------------------------------------------------------------- */

void
trv_call_view_set_call (TrvCallView *self, TrvCall *call, const char *title,
                        const char *turn_server)
{
  g_return_if_fail (TRV_IS_CALL_VIEW (self));
  g_return_if_fail (call == NULL || TRV_IS_CALL (call));

  stop_ticking (self);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_set_object (&self->call, call);
  g_free (self->turn_server);
  self->turn_server = g_strdup (turn_server);
  g_string_truncate (self->dtmf_sent, 0);
  gtk_label_set_label (self->dtmf_label, "");
  /* Empty, the selectable label would be a Tab stop named "GtkLabel". */
  gtk_widget_set_visible (GTK_WIDGET (self->dtmf_label), FALSE);
  self->last_received = 0;
  self->last_received_us = 0;
  self->remote_held = call ? trv_call_get_remote_held (call) : FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->silence_label), FALSE);
  gtk_toggle_button_set_active (self->keypad_button, FALSE);
  if (call == NULL)
    return;

  const char *name = trv_call_get_remote_name (call);
  const char *uri = trv_call_get_remote_uri (call);
  g_autofree gchar *short_name = trv_party_short_name (name, uri);
  const char *shown = title ? title : short_name;
  gtk_label_set_label (self->name_label, shown);
  gtk_label_set_label (self->uri_label, uri);
  gtk_widget_set_visible (GTK_WIDGET (self->uri_label), g_strcmp0 (shown, uri) != 0);
  adw_avatar_set_text (self->avatar, shown);

  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
  g_signal_connect_object (call, "path-changed", G_CALLBACK (on_call_path_changed), self, 0);
  g_signal_connect_object (call, "media-started", G_CALLBACK (on_call_media_started), self, 0);
  update_controls (self);
  update_stats (self);
  update_path (self);
  if (trv_call_get_state (call) != TRV_CALL_STATE_ENDED)
    self->tick_source = g_timeout_add (TICK_MS, on_tick, self);
}

TrvCall *
trv_call_view_get_call (TrvCallView *self)
{
  g_return_val_if_fail (TRV_IS_CALL_VIEW (self), NULL);
  return self->call;
}

void
trv_call_view_focus_default (TrvCallView *self)
{
  g_return_if_fail (TRV_IS_CALL_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->hangup_button));
}

GtkWidget *
trv_call_view_new (void)
{
  return g_object_new (TRV_TYPE_CALL_VIEW, NULL);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
trv_call_view_dispose (GObject *object)
{
  TrvCallView *self = TRV_CALL_VIEW (object);

  stop_ticking (self);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRV_TYPE_CALL_VIEW);
  /* dispose_template() only drops the children with an id. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (trv_call_view_parent_class)->dispose (object);
}

static void
trv_call_view_finalize (GObject *object)
{
  TrvCallView *self = TRV_CALL_VIEW (object);
  g_free (self->turn_server);
  g_string_free (self->dtmf_sent, TRUE);
  G_OBJECT_CLASS (trv_call_view_parent_class)->finalize (object);
}

static void
trv_call_view_class_init (TrvCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trv_call_view_dispose;
  object_class->finalize = trv_call_view_finalize;

  signals[SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TRV_TYPE_DIALPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/traverse/Traverse/trv-call-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, avatar);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, name_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, uri_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, state_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, timer_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, silence_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, dtmf_label);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, mute_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, hold_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, keypad_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, complete_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, hangup_button);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, keypad_revealer);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, dialpad);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, connection_group);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, path_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, local_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, remote_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, codec_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, quality_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, rtt_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, loss_row);
  gtk_widget_class_bind_template_child (widget_class, TrvCallView, jitter_row);
  gtk_widget_class_bind_template_callback (widget_class, on_mute_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_dialpad_digit_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hangup_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
trv_call_view_init (TrvCallView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->dtmf_sent = g_string_new (NULL);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
