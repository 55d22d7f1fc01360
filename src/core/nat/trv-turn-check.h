/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-turn-check.h: one TURN allocation check for the NAT probe, run in a thread. */
#pragma once

#include <gio/gio.h>
#include "trv-nat-report.h"

G_BEGIN_DECLS

typedef struct {
  GSocketAddress *server;
  gboolean tcp;
  gboolean tls;            /* over TCP, then TLS with tls_host's certificate checked */
  const gchar *tls_host;
  const gchar *ca_file;
  const gchar *username;
  const gchar *password;
  guint budget_ms;
  GCancellable *cancellable;
  GProxyResolver *proxy;   /* TCP/TLS through this HTTP proxy; NULL: straight */
  TrvTurnCheckResult result;
} TrvTurnAllocCheck;

/* GThreadFunc: fills check->result (and logs how it went); returns NULL. */
gpointer trv_turn_alloc_check_thread (gpointer check);

G_END_DECLS
