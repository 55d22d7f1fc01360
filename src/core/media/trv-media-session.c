/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-session.c: one call's audio as the core sees it: start, update after a
 * re-INVITE, mute, RFC 4733 DTMF, statistics and quality, stop. The GStreamer
 * pipeline itself is built and run in trv-media-pipeline.c. All signals are emitted
 * on the context the session was created in. */
#include "config.h"

#include "trv-media-session-private.h"
#include "trv-error.h"
#include "trv-quality.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define DTMF_TONE_MS 160
#define DTMF_GAP_MS 100
#define DTMF_VOLUME 10           /* dBm0 below full power, RFC 4733 section 2.3.4 */

G_DEFINE_FINAL_TYPE (TrvMediaSession, trv_media_session, G_TYPE_OBJECT)

enum { SIGNAL_FIRST_RTP, SIGNAL_DTMF_RECEIVED, SIGNAL_ERROR, SIGNAL_INACTIVE, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_QUALITY, PROP_SILENT, N_PROPS };
static GParamSpec *props[N_PROPS];

/* --- options ---------------------------------------------------------------------- */

TrvMediaOptions *
trv_media_options_new (void)
{
  TrvMediaOptions *o = g_new0 (TrvMediaOptions, 1);
  o->echo_cancel = TRUE;
  return o;
}

TrvMediaOptions *
trv_media_options_copy (const TrvMediaOptions *o)
{
  TrvMediaOptions *c = trv_media_options_new ();
  if (o == NULL)
    return c;
  c->play_file = g_strdup (o->play_file);
  c->record_file = g_strdup (o->record_file);
  c->source_desc = g_strdup (o->source_desc);
  c->sink_desc = g_strdup (o->sink_desc);
  c->echo = o->echo;
  c->jitter_ms = o->jitter_ms;
  c->echo_cancel = o->echo_cancel;
  c->descs_are_devices = o->descs_are_devices;
  return c;
}

void
trv_media_options_free (TrvMediaOptions *o)
{
  if (o == NULL)
    return;
  g_free (o->play_file);
  g_free (o->record_file);
  g_free (o->source_desc);
  g_free (o->sink_desc);
  g_free (o);
}

/* --- signals (main context) ---------------------------------------------------- */

void
_trv_media_session_emit_error (TrvMediaSession *self, GError *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

void
_trv_media_session_emit_dtmf (TrvMediaSession *self, gchar digit)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

gboolean
_trv_media_session_emit_first_rtp (gpointer data)
{
  TrvMediaSession *self = data;
  if (!self->stopped)
    g_signal_emit (self, signals[SIGNAL_FIRST_RTP], 0);
  return G_SOURCE_REMOVE;
}

/* --- inactivity ------------------------------------------------------------------- */

static gint64
last_rx_us (TrvMediaSession *self)
{
  g_mutex_lock (&self->lock);
  gint64 last = self->last_rx_us;
  g_mutex_unlock (&self->lock);
  return last;
}

void
_trv_media_session_note_rx (TrvMediaSession *self)
{
  gint64 now = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  self->last_rx_us = now;
  g_mutex_unlock (&self->lock);
}

/* Four times a second on the session's context: a cheap look at one timestamp, so that
 * the user hears of the silence at most a quarter second after TRV_INACTIVITY_WARN_S. */
static gboolean
on_inactivity_tick (gpointer data)
{
  TrvMediaSession *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 last = last_rx_us (self);
  TrvInactivityEvents events = trv_inactivity_check (&self->inactivity, last, now);
  guint silent_s = trv_inactivity_silent_s (&self->inactivity, last, now);
  if (events & TRV_INACTIVITY_SILENT_CHANGED)
    {
      g_debug ("media %p: peer %s (%u s without RTP/RTCP)", (gpointer) self,
               self->inactivity.silent ? "silent" : "heard again", silent_s);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SILENT]);
    }
  if (events & TRV_INACTIVITY_TIMED_OUT)
    {
      g_debug ("media %p: inactivity timeout after %u s", (gpointer) self, silent_s);
      g_signal_emit (self, signals[SIGNAL_INACTIVE], 0, silent_s);
    }
  return G_SOURCE_CONTINUE;
}

/* After start and each update: media is expected from the peer only when the direction
 * lets both sides send (a hold by either side may send nothing, RFC 3264 8.4). */
static void
expect_media (TrvMediaSession *self)
{
  gboolean expecting = self->negotiation->direction == TRV_DIRECTION_SENDRECV;
  if (expecting != self->inactivity.expecting)
    g_debug ("media %p: %s media from the peer", (gpointer) self,
             expecting ? "expecting" : "not expecting (hold)");
  trv_inactivity_expect (&self->inactivity, expecting, g_get_monotonic_time ());
  if (self->inactivity_source == 0)
    {
      g_autoptr(GSource) source = g_timeout_source_new (250);
      g_source_set_callback (source, on_inactivity_tick, self, NULL);
      self->inactivity_source = g_source_attach (source, self->context);
    }
  /* A hold clears the warning at once, not a second later. */
  on_inactivity_tick (self);
}

void
trv_media_session_set_inactivity_timeout (TrvMediaSession *self, guint seconds)
{
  g_return_if_fail (TRV_IS_MEDIA_SESSION (self));
  self->inactivity.timeout_s = seconds;
}

guint
trv_media_session_get_silent_s (TrvMediaSession *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), 0);
  return trv_inactivity_silent_s (&self->inactivity, last_rx_us (self), g_get_monotonic_time ());
}

gboolean
trv_media_session_get_silent (TrvMediaSession *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  return self->inactivity.silent;
}

/* --- start and update ------------------------------------------------------------- */

gboolean
trv_media_session_start (TrvMediaSession *self, const TrvNegotiation *negotiation,
                         GError **error)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (negotiation != NULL && negotiation->codec != NULL, FALSE);
  if (self->started || self->stopped)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   /* Translators: %s is "stopped" or "started". */
                   _("the media session was already %s"),
                   self->stopped ? _("stopped") : _("started"));
      return FALSE;
    }
  self->started = TRUE;
  self->negotiation = trv_negotiation_copy (negotiation);
  if (!trv_media_transport_set_remote (self->transport, negotiation->remote,
                                       negotiation->remote && negotiation->remote->rtcp_mux, error))
    return FALSE;
  if (!_trv_media_session_run_pipeline (self, error))
    return FALSE;
  expect_media (self);
  return TRUE;
}

static gboolean
same_media_format (const TrvNegotiation *a, const TrvNegotiation *b)
{
  return a->codec == b->codec && a->send_pt == b->send_pt && a->recv_pt == b->recv_pt &&
         a->send_dtmf_pt == b->send_dtmf_pt && a->recv_dtmf_pt == b->recv_dtmf_pt &&
         a->ptime == b->ptime &&
         (a->remote && a->remote->rtcp_mux) == (b->remote && b->remote->rtcp_mux) &&
         g_strcmp0 (a->local_crypto_key, b->local_crypto_key) == 0 &&
         g_strcmp0 (a->remote ? a->remote->crypto_key : NULL,
                    b->remote ? b->remote->crypto_key : NULL) == 0;
}

gboolean
trv_media_session_update (TrvMediaSession *self, const TrvNegotiation *negotiation,
                          GError **error)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (negotiation != NULL && negotiation->codec != NULL, FALSE);
  if (!self->started)
    return trv_media_session_start (self, negotiation, error);
  if (self->stopped)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("the media session is stopped"));
      return FALSE;
    }
  gboolean rebuild = !same_media_format (self->negotiation, negotiation);
  trv_negotiation_free (self->negotiation);
  self->negotiation = trv_negotiation_copy (negotiation);
  if (!trv_media_transport_set_remote (self->transport, negotiation->remote,
                                       negotiation->remote && negotiation->remote->rtcp_mux, error))
    return FALSE;
  if (!rebuild && self->pipeline)
    _trv_media_session_apply_direction (self);
  else
    {
      _trv_media_session_teardown_pipeline (self);
      if (!_trv_media_session_run_pipeline (self, error))
        return FALSE;
    }
  /* A renegotiation (hold, resume, new path) is the peer's sign of life. */
  expect_media (self);
  return TRUE;
}

void
trv_media_session_set_muted (TrvMediaSession *self, gboolean muted)
{
  g_return_if_fail (TRV_IS_MEDIA_SESSION (self));
  self->muted = muted;
  if (self->volume)
    g_object_set (self->volume, "mute", muted, NULL);
}

gboolean
trv_media_session_get_muted (TrvMediaSession *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  return self->muted;
}

/* --- DTMF ------------------------------------------------------------------------- */

static gboolean
dtmf_event (TrvMediaSession *self, gint number, gboolean start)
{
  if (self->dtmfsrc == NULL)
    return FALSE;
  GstStructure *s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1,
                                       "number", G_TYPE_INT, number,
                                       "volume", G_TYPE_INT, DTMF_VOLUME,
                                       "start", G_TYPE_BOOLEAN, start, NULL);
  if (!start)
    gst_structure_remove_fields (s, "number", "volume", NULL);
  /* The event must enter at rtpdtmfsrc's src pad; sent to the element it is lost. */
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->dtmfsrc, "src");
  return gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s));
}

static gboolean dtmf_step (gpointer data);

/* Timers run on the session's context, like every signal it emits. */
static guint
dtmf_schedule (TrvMediaSession *self, guint ms)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);
  g_source_set_callback (source, dtmf_step, self, NULL);
  return g_source_attach (source, self->context);
}

/* One step of the digit queue: tone on, tone off, gap, next. */
static gboolean
dtmf_step (gpointer data)
{
  TrvMediaSession *self = data;
  self->dtmf_source = 0;
  if (self->dtmf_playing)
    {
      dtmf_event (self, 0, FALSE);
      self->dtmf_playing = FALSE;
      self->dtmf_source = dtmf_schedule (self, DTMF_GAP_MS);
      return G_SOURCE_REMOVE;
    }
  if (self->dtmf_queue->len == 0 || self->dtmfsrc == NULL)
    return G_SOURCE_REMOVE;
  gint number = trv_dtmf_event_of (self->dtmf_queue->str[0]);
  g_string_erase (self->dtmf_queue, 0, 1);
  self->dtmf_playing = dtmf_event (self, number, TRUE);
  self->dtmf_source = dtmf_schedule (self, self->dtmf_playing ? DTMF_TONE_MS : DTMF_GAP_MS);
  return G_SOURCE_REMOVE;
}

gboolean
trv_media_session_can_send_dtmf (TrvMediaSession *self)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  return self->negotiation && self->negotiation->send_dtmf_pt >= 0 && !self->stopped;
}

gboolean
trv_media_session_send_dtmf (TrvMediaSession *self, const char *digits, GError **error)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  if (!trv_media_session_can_send_dtmf (self) || self->dtmfsrc == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("the peer did not negotiate RFC 4733 telephone-event"));
      return FALSE;
    }
  if (digits == NULL || *digits == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("no DTMF digits given"));
      return FALSE;
    }
  for (const char *p = digits; *p; p++)
    if (trv_dtmf_event_of (*p) < 0)
      {
        g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                     _("'%c' is not a DTMF digit (0-9, *, #, A-D)"), *p);
        return FALSE;
      }
  if (!trv_direction_can_send (self->negotiation->direction))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("cannot send DTMF while the call is on hold"));
      return FALSE;
    }
  g_string_append (self->dtmf_queue, digits);
  if (self->dtmf_source == 0)
    self->dtmf_source = dtmf_schedule (self, 0);
  return TRUE;
}

/* --- statistics --------------------------------------------------------------------- */

void
trv_media_session_get_stats (TrvMediaSession *self, TrvMediaStats *stats)
{
  g_return_if_fail (TRV_IS_MEDIA_SESSION (self));
  g_return_if_fail (stats != NULL);
  memset (stats, 0, sizeof *stats);
  stats->rtt_ms = -1;
  gint64 sent = self->transport ? trv_media_transport_get_rtp_sent (self->transport) : -1;
  g_mutex_lock (&self->lock);
  /* Packets libnice refused (no pair, consent lost) never left: not sent. */
  stats->rtp_sent = sent >= 0 ? (guint64) sent : (guint64) self->rtp_sent;
  stats->rtp_received = self->rtp_received;
  stats->first_rtp_us = self->first_rtp_us;
  g_mutex_unlock (&self->lock);
  stats->jitter_buffer_ms = self->jitter.latency_ms;
  stats->rtp_late = self->jitter.late;
  if (self->rtpbin == NULL)
    {
      if (self->have_last_stats)
        {
          stats->rtp_lost = self->last_stats.rtp_lost;
          stats->jitter_ms = self->last_stats.jitter_ms;
          stats->rtt_ms = self->last_stats.rtt_ms;
        }
      return;
    }

  GObject *session = NULL;
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return;
  GstStructure *s = NULL;
  g_object_get (session, "stats", &s, NULL);
  g_object_unref (session);
  if (s == NULL)
    return;
  const GValue *arr = gst_structure_get_value (s, "source-stats");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GValueArray *sources = arr ? g_value_get_boxed (arr) : NULL;
  guint64 best_received = 0;
  for (guint i = 0; sources && i < sources->n_values; i++)
    {
      const GstStructure *src = g_value_get_boxed (g_value_array_get_nth (sources, i));
      gboolean internal = FALSE, have_rb = FALSE;
      guint rtt = 0, lsr = 0;
      gst_structure_get_boolean (src, "internal", &internal);
      /* A report block from the peer that echoes one of our SRs (LSR != 0) gives the
       * round trip in NTP short format (1/65536 s); 0 is a real value on loopback. */
      if (!internal && gst_structure_get_boolean (src, "have-rb", &have_rb) && have_rb &&
          gst_structure_get_uint (src, "rb-lsr", &lsr) && lsr != 0 &&
          gst_structure_get_uint (src, "rb-round-trip", &rtt))
        stats->rtt_ms = rtt * 1000.0 / 65536.0;
      if (internal)
        continue;
      guint64 received = 0;
      gint lost = 0, clock_rate = 0;
      guint jitter = 0;
      gst_structure_get_uint64 (src, "packets-received", &received);
      if (received == 0 || received < best_received)
        continue;
      best_received = received;
      /* RFC 3550 lets duplicates make the count negative; nothing was lost then. */
      if (gst_structure_get_int (src, "packets-lost", &lost))
        stats->rtp_lost = MAX (lost, 0);
      if (gst_structure_get_uint (src, "jitter", &jitter) &&
          gst_structure_get_int (src, "clock-rate", &clock_rate) && clock_rate > 0)
        stats->jitter_ms = jitter * 1000.0 / clock_rate;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  gst_structure_free (s);
}

void
_trv_media_session_update_quality (TrvMediaSession *self)
{
  TrvMediaStats stats;
  trv_media_session_get_stats (self, &stats);
  const TrvNegotiation *n = self->negotiation;
  if (self->pipeline)
    _trv_media_session_adapt (self, stats.jitter_ms);
  guint jitter_buffer = self->jitter.latency_ms ? self->jitter.latency_ms
                      : self->options->jitter_ms ? self->options->jitter_ms : 60;
  if (trv_quality_tracker_update (&self->quality, n && n->codec ? n->codec->name : NULL,
                                  stats.rtp_received, stats.rtp_lost, stats.rtt_ms,
                                  stats.jitter_ms, jitter_buffer, n && n->ptime ? n->ptime : 20))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_QUALITY]);
}

gboolean
trv_media_session_get_quality (TrvMediaSession *self, TrvQuality *quality)
{
  g_return_val_if_fail (TRV_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (quality != NULL, FALSE);
  /* Before the first RTCP (short calls), figures since the start are better than none. */
  if (!self->quality.have_previous && self->pipeline && !self->stopped)
    _trv_media_session_update_quality (self);
  *quality = self->quality.current;
  /* The figures are those of the last packets: while the peer is silent (audio stopped,
   * path lost) they would claim a quality the call no longer has. */
  return self->quality.have_previous && !self->inactivity.silent;
}

/* --- life cycle ------------------------------------------------------------------- */

void
trv_media_session_stop (TrvMediaSession *self)
{
  g_return_if_fail (TRV_IS_MEDIA_SESSION (self));
  if (self->stopped)
    return;
  self->stopped = TRUE;
  if (self->inactivity_source)
    {
      GSource *source = g_main_context_find_source_by_id (self->context,
                                                          self->inactivity_source);
      if (source)
        g_source_destroy (source);
      self->inactivity_source = 0;
    }
  if (self->dtmf_source)
    {
      GSource *source = g_main_context_find_source_by_id (self->context, self->dtmf_source);
      if (source)
        g_source_destroy (source);
      self->dtmf_source = 0;
    }
  /* Last figures for the stats written after hang-up (short calls may have had no RTCP). */
  if (self->pipeline)
    _trv_media_session_update_quality (self);
  _trv_media_session_teardown_pipeline (self);
  if (self->transport)
    trv_media_transport_close (self->transport);
}

TrvMediaSession *
trv_media_session_new (TrvMediaTransport *transport, const TrvMediaOptions *options)
{
  g_return_val_if_fail (TRV_IS_MEDIA_TRANSPORT (transport), NULL);
  /* The desktop initializes GStreamer on a thread (src/ui/main.c): wait for it. */
  gst_init (NULL, NULL);
  TrvMediaSession *self = g_object_new (TRV_TYPE_MEDIA_SESSION, NULL);
  self->transport = g_object_ref (transport);
  self->options = trv_media_options_copy (options);
  return self;
}

static void
trv_media_session_dispose (GObject *object)
{
  TrvMediaSession *self = TRV_MEDIA_SESSION (object);
  trv_media_session_stop (self);
  g_clear_object (&self->transport);
  G_OBJECT_CLASS (trv_media_session_parent_class)->dispose (object);
}

static void
trv_media_session_finalize (GObject *object)
{
  TrvMediaSession *self = TRV_MEDIA_SESSION (object);
  trv_media_options_free (self->options);
  g_clear_pointer (&self->negotiation, trv_negotiation_free);
  g_string_free (self->dtmf_queue, TRUE);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (trv_media_session_parent_class)->finalize (object);
}

static void
trv_media_session_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  TrvMediaSession *self = TRV_MEDIA_SESSION (object);
  switch (prop_id)
    {
    case PROP_QUALITY:
      g_value_set_boxed (value, &self->quality.current);
      break;
    case PROP_SILENT:
      g_value_set_boolean (value, self->inactivity.silent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_media_session_class_init (TrvMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_media_session_dispose;
  object_class->finalize = trv_media_session_finalize;
  object_class->get_property = trv_media_session_get_property;

  /* Notified on the main context after each RTCP report from the peer. */
  props[PROP_QUALITY] =
    g_param_spec_boxed ("quality", NULL, NULL, TRV_TYPE_QUALITY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Nothing from the peer for TRV_INACTIVITY_WARN_S while media is expected. */
  props[PROP_SILENT] =
    g_param_spec_boolean ("silent", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FIRST_RTP] =
    g_signal_new ("first-rtp", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_CHAR);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_INACTIVE] =
    g_signal_new ("inactive", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
trv_media_session_init (TrvMediaSession *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->dtmf_queue = g_string_new (NULL);
  trv_quality_tracker_init (&self->quality);
  trv_inactivity_init (&self->inactivity, TRV_INACTIVITY_WARN_S, 0);
}
