/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nice-library.h: libnice, opened on first use instead of at the process's start.
 *
 * libnice brings 25 libraries (GnuTLS, GUPnP, libsoup, libxml2, ICU, ...); linked, the
 * dynamic loader relocates them before main(), about 20 ms of every start of the desktop
 * app, which needs none of them until a call or a network test. trv-nice-library.c
 * defines the libnice functions Traverse calls, each forwarding to libnice opened with
 * dlopen() on the first call. Calling a libnice function missing from that file fails to
 * link: add it there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opens libnice now (once per process; safe from any thread), so that the first call
 * or network test does not wait for it: the desktop app calls it on a worker thread after
 * its window has drawn. FALSE, with the loader's error, when libnice cannot be opened;
 * the first libnice call then aborts with that error (a broken installation). */
gboolean trv_nice_library_load (GError **error);

G_END_DECLS
