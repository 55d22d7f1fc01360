/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-config.h: validated audio/media settings. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TRV_TYPE_MEDIA_CONFIG (trv_media_config_get_type ())

#define TRV_DEFAULT_JITTER_MS 60
/* A call ends after this long without RTP or RTCP from the peer (not on hold). */
#define TRV_DEFAULT_INACTIVITY_TIMEOUT_S 30
#define TRV_MIN_INACTIVITY_TIMEOUT_S 5
#define TRV_MAX_INACTIVITY_TIMEOUT_S 3600

typedef struct {
  GStrv codecs;      /* codec names in preference order, e.g. {"opus","G722","PCMU","PCMA"} */
  guint jitter_ms;   /* upper bound of the adaptive jitter buffer (rtpbin latency), 10..1000 */
  gboolean echo_cancel; /* echo cancellation etc. on device audio (webrtcdsp); default TRUE */
  guint inactivity_timeout_s; /* media.inactivity-timeout: 0 = never, else 5..3600; default 30 */
} TrvMediaConfig;

GType           trv_media_config_get_type (void) G_GNUC_CONST;
/* Defaults: all supported codecs in the order opus, G722, PCMU, PCMA; jitter 60 ms;
 * echo cancellation on; inactivity timeout 30 s. */
TrvMediaConfig *trv_media_config_new      (void);
TrvMediaConfig *trv_media_config_copy     (const TrvMediaConfig *self);
void            trv_media_config_free     (TrvMediaConfig *self);
/* Error names the key: "media.codecs: unknown codec 'foo' (known: opus, G722, PCMU, PCMA)". */
gboolean        trv_media_config_validate (TrvMediaConfig *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvMediaConfig, trv_media_config_free)

G_END_DECLS
