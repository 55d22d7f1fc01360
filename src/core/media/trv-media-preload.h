/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-preload.h: loads the GStreamer plugins of the first call ahead of it. */
#pragma once

#include "trv-media-config.h"
#include "trv-media-session.h"

G_BEGIN_DECLS

/* Starts a worker thread that loads the plugins a call with this configuration needs:
 * RTP, DTMF, the transport's elements, the preferred codec (the first of media->codecs),
 * SRTP when @srtp, the echo canceller when the options call for it. Loading a plugin
 * (dlopen + plugin_init) is most of the cost of building a call's pipeline (~30 ms for
 * opus, ~80 ms for G.722 through libav); done here it overlaps with signalling instead
 * of delaying the first audio. Other codecs still load on demand. Racing with a pipeline
 * being built is harmless: GStreamer serialises plugin loading. Join the thread with
 * g_thread_join() before the process exits. */
GThread *trv_media_preload_start (const TrvMediaConfig *media, const TrvMediaOptions *options,
                                  gboolean srtp);

/* The desktop app holds preloads (and its own GStreamer initialization) back until its
 * window has drawn: on a two-core machine they would compete with the window for the CPU,
 * and the first call is seconds away. While held, a preload thread waits before doing
 * anything (at most TRV_MEDIA_PRELOAD_MAX_HOLD_S, so a thread is never joined forever);
 * release lets every waiting one go. A process that never holds is not affected. */
#define TRV_MEDIA_PRELOAD_MAX_HOLD_S 10
void     trv_media_preload_hold      (void);
void     trv_media_preload_release   (void);
/* Waits while held; for other threads that must not start before the release. */
void     trv_media_preload_wait      (void);

/* The element factories trv_media_preload_start() loads, for tests; free with g_strfreev. */
GStrv    trv_media_preload_factories (const TrvMediaConfig *media,
                                      const TrvMediaOptions *options, gboolean srtp);

G_END_DECLS
