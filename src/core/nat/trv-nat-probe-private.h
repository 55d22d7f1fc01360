/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-probe-private.h: shared by the files of TrvNatProbe: trv-nat-probe.c (STUN,
 * mapping, TURN) and trv-nat-probe-ipv6.c. */
#pragma once

#include "trv-nat-probe.h"

G_BEGIN_DECLS

/* Blocking (the probe's worker thread): fills r->ipv6_*: a global IPv6 address of this
 * device, and, when `server` ("host[:port]", NULL: none) has an IPv6 address, whether it
 * answers a STUN Binding request over IPv6 (only tried with a global address). */
void _trv_nat_probe_check_ipv6 (const char *server, guint16 port, TrvNatReport *r,
                                GCancellable *cancellable);

G_END_DECLS
