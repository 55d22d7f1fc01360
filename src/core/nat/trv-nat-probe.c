/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-probe.c: STUN/TURN network check with libnice's STUN library.
 *
 * The probe runs in a GTask worker thread with blocking GSockets (bounded by timeouts and
 * the cancellable); the two TURN checks run in their own threads meanwhile, so a network
 * that blocks UDP costs one retransmission budget, not three. */
#include "config.h"

#include "trv-nat-probe-private.h"

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>
#include <stun/usages/bind.h>
#include <string.h>

#include "trv-error.h"
#include "trv-main-context.h"
#include "trv-net.h"
#include "trv-server-discovery.h"
#include "trv-host-port.h"
#include "trv-log.h"
#include "trv-stun-transaction.h"
#include "trv-turn-check.h"
#include "trv-proxy.h"

#define STUN_PORT 3478
#define TURNS_PORT 5349
#define BUF_SIZE 4096
#define ATTR_OTHER_ADDRESS 0x802C   /* RFC 5780; libnice has no constant for it */

struct _TrvNatProbe {
  GObject parent_instance;
  TrvNatConfig *config;
  gchar *domain;
  guint timeout_ms;
};

G_DEFINE_FINAL_TYPE (TrvNatProbe, trv_nat_probe, G_TYPE_OBJECT)

/* host[:port] from the config, else what SRV discovery found (host may be NULL).
 * Returns NULL (no error) when neither gives anything; `source` says which one did. */
static GSocketAddress *
find_server (const char *configured, const char *key, const char *what,
             guint16 default_port, const char *discovered_host, guint16 discovered_port,
             const char **source, gchar **host_out, GCancellable *cancellable, GError **error)
{
  g_autofree gchar *host = NULL;
  guint16 port = default_port;

  if (configured && *configured)
    {
      /* The key stays on the error as data (trv_error_get_config_key); the text is words. */
      if (!trv_parse_host_port (configured, default_port, key, &host, &port, error))
        return NULL;
      *source = "config";
    }
  else if (discovered_host)
    {
      host = g_strdup (discovered_host);
      port = discovered_port;
      *source = "srv";
    }
  else
    return NULL;

  g_autofree gchar *ip = trv_net_resolve (host, cancellable, error);
  if (ip == NULL)
    {
      g_prefix_error (error, "%s %s: ", what, *source && g_str_equal (*source, "srv")
                                              ? _("found in DNS") : host);
      return NULL;
    }
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  if (host_out)
    *host_out = g_steal_pointer (&host);
  return g_inet_socket_address_new (addr, port);
}

/* --- STUN ------------------------------------------------------------------------------ */

/* One Binding request from `sock` to `server`; fills mapped (and RFC 5780 OTHER-ADDRESS). */
static gboolean
stun_binding (GSocket *sock, GSocketAddress *server, guint budget_ms, gchar **mapped,
              GSocketAddress **other, GCancellable *cancellable, GError **error)
{
  StunAgent agent;
  StunMessage req, resp;
  guint8 req_buf[BUF_SIZE], resp_buf[BUF_SIZE];

  stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_USE_FINGERPRINT);
  gsize len = stun_usage_bind_create (&agent, &req, req_buf, sizeof req_buf);
  if (!trv_stun_udp_transaction (sock, server, &agent, req_buf, len, resp_buf, &resp, budget_ms,
                                 cancellable, error))
    return FALSE;

  struct sockaddr_storage addr, alt;
  socklen_t addrlen = sizeof addr, altlen = sizeof alt;
  StunUsageBindReturn ret = stun_usage_bind_process (&resp, (struct sockaddr *) &addr, &addrlen,
                                                     (struct sockaddr *) &alt, &altlen);
  if (ret != STUN_USAGE_BIND_RETURN_SUCCESS)
    {
      int code = 0;
      stun_message_find_error (&resp, &code);
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
                   _("the STUN server answered with an error (%d)"), code);
      return FALSE;
    }
  *mapped = trv_stun_native_address_to_string (&addr, addrlen);
  if (other)
    {
      struct sockaddr_storage oa;
      socklen_t oalen = sizeof oa;
      *other = NULL;
      if (stun_message_find_addr (&resp, ATTR_OTHER_ADDRESS, &oa, &oalen) ==
          STUN_MESSAGE_RETURN_SUCCESS)
        *other = g_socket_address_new_from_native (&oa, oalen);
    }
  return *mapped != NULL;
}

/* --- the probe ------------------------------------------------------------------------- */

/* Mapping test: one local socket, Binding to two server addresses. The same public
 * ip:port from both means endpoint-independent mapping (STUN alone works). Fills r; an
 * unanswered Binding is a warning in r, a socket that cannot be bound or a cancellation an
 * error. */
static void
mapping_test (TrvNatProbe *self, GSocketAddress *stun, TrvNatReport *r,
              GCancellable *cancellable, GError **out_error)
{
  g_autoptr(GError) error = NULL;
  GSocketFamily family = g_socket_address_get_family (stun);
  g_autoptr(GSocket) sock = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
  g_autoptr(GSocketAddress) bind_addr = g_inet_socket_address_new (any, 0);
  if (sock && g_socket_bind (sock, bind_addr, FALSE, &error))
    {
      g_autoptr(GSocketAddress) other = NULL;
      g_autoptr(GError) stun_error = NULL;
      if (stun_binding (sock, stun, self->timeout_ms, &r->mapped_address, &other, cancellable,
                        &stun_error))
        {
          r->stun_reachable = TRUE;
          g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sock, NULL);
          GInetAddress *sip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (stun));
          g_autofree gchar *sip_str = g_inet_address_to_string (sip);
          g_autofree gchar *local_ip = trv_net_local_address_for (sip_str, NULL);
          if (local_ip && bound)
            r->local_address = trv_net_join_host_port (
              local_ip, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
          r->behind_nat = g_strcmp0 (r->local_address, r->mapped_address) != 0;
          g_debug ("NAT probe: STUN %s maps %s to %s", r->stun_server,
                   r->local_address ? r->local_address : "?", r->mapped_address);
          if (!r->behind_nat)
            r->mapping = TRV_NAT_MAPPING_NO_NAT;
          else if (other)
            {
              /* RFC 5780 test II: the alternate IP at the primary port, so only the
               * destination address differs. */
              g_autoptr(GSocketAddress) second = g_inet_socket_address_new (
                g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (other)),
                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (stun)));
              r->other_server = trv_stun_address_to_string (second);
              g_debug ("NAT probe: mapping test against %s", r->other_server);
              if (stun_binding (sock, second, self->timeout_ms, &r->other_mapped_address, NULL,
                                cancellable, &stun_error))
                r->mapping = g_str_equal (r->mapped_address, r->other_mapped_address)
                             ? TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT
                             : TRV_NAT_MAPPING_ENDPOINT_DEPENDENT;
              else
                g_ptr_array_add (r->warnings,
                                 g_strdup_printf (_("STUN: the server's second address %s did not "
                                                    "answer (%s)"), r->other_server,
                                                  stun_error->message));
            }
          else
            g_ptr_array_add (r->warnings,
                             g_strdup (_("STUN: the server does not support RFC 5780 (no "
                                         "OTHER-ADDRESS), so the mapping behaviour is unknown")));
        }
      else if (g_error_matches (stun_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (&error, g_steal_pointer (&stun_error));
      else
        {
          g_debug ("NAT probe: STUN %s: %s", r->stun_server, stun_error->message);
          g_ptr_array_add (r->warnings, g_strdup_printf ("STUN: %s: %s", r->stun_server,
                                                         stun_error->message));
        }
    }
  if (error)
    g_propagate_error (out_error, g_steal_pointer (&error));
}

/* The TURN servers to check: `turn` over UDP and TCP, `tls` (the configured server with
 * turn-transport = tls, or a discovered _turns._tcp one) over TLS. */
typedef struct {
  GSocketAddress *turn;
  GSocketAddress *tls;
  gchar *tls_host;
  GProxyResolver *proxy;     /* the HTTP proxy calls would use; NULL: none */
  /* UDP, TCP, TLS straight to the servers; TCP and TLS again through the proxy */
  TrvTurnAllocCheck checks[5];
  GThread *threads[5];
} TurnChecks;

static gboolean
find_turn_servers (TrvNatConfig *cfg, TrvDiscoveredServers *found, TurnChecks *t,
                   const char **source, GCancellable *cancellable, GError **error)
{
  gboolean tls_only = cfg->turn_transport == TRV_TURN_TRANSPORT_TLS;
  gboolean tcp = cfg->turn_transport == TRV_TURN_TRANSPORT_TCP;
  const char *tls_source = NULL;
  if (!tls_only)
    t->turn = find_server (cfg->turn_server, "nat.turn-server", _("TURN server"), STUN_PORT,
                           found ? (tcp ? found->turn_tcp_host : found->turn_udp_host) : NULL,
                           found ? (tcp ? found->turn_tcp_port : found->turn_udp_port) : 0,
                           source, NULL, cancellable, error);
  if (error && *error)
    return FALSE;
  t->tls = find_server (tls_only ? cfg->turn_server : NULL, "nat.turn-server",
                        _("TURN server"), TURNS_PORT,
                        found ? found->turn_tls_host : NULL, found ? found->turn_tls_port : 0,
                        &tls_source, &t->tls_host, cancellable, error);
  if (*source == NULL)
    *source = tls_source;
  return !(error && *error);
}

/* The HTTP proxy a call's TURN over TCP/TLS would go through (trv-proxy.h): the report
 * names it and the TCP and TLS checks run through it too. A blocking lookup: this runs in
 * the probe's thread. */
static void
find_proxy (TrvNatProbe *self, TrvNatReport *r, TurnChecks *t, GCancellable *cancellable)
{
  GInetSocketAddress *target = G_INET_SOCKET_ADDRESS (t->turn ? t->turn : t->tls);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (target));
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvProxy) proxy = trv_proxy_lookup (self->config->http_proxy, ip,
                                                g_inet_socket_address_get_port (target),
                                                cancellable, &error);
  if (error)
    g_ptr_array_add (r->warnings, g_strdup (error->message));
  if (proxy == NULL)
    return;
  trv_log_add_secret (proxy->password);
  r->proxy = trv_proxy_describe (proxy);
  r->proxy_source = g_strdup (proxy->from_system ? "system" : "config");
  t->proxy = trv_proxy_new_resolver (proxy);
  g_debug ("NAT probe: HTTP proxy %s (%s)", r->proxy, r->proxy_source);
}

static void
start_turn_checks (TrvNatProbe *self, TrvNatReport *r, TurnChecks *t, GCancellable *cancellable)
{
  TrvNatConfig *cfg = self->config;
  gboolean have_credentials = cfg->turn_username && *cfg->turn_username && cfg->turn_password;
  if (have_credentials && (t->turn || t->tls))
    find_proxy (self, r, t, cancellable);
  GSocketAddress *servers[5] = { t->turn, t->turn, t->tls, t->proxy ? t->turn : NULL,
                                 t->proxy ? t->tls : NULL };
  if (t->turn)
    r->turn_server = trv_stun_address_to_string (t->turn);
  if (t->tls)
    r->turn_tls_server = trv_net_join_host_port (
      t->tls_host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (t->tls)));
  if (!t->turn && !t->tls)
    g_ptr_array_add (r->warnings, g_strdup (_("TURN: no server configured or discovered; "
                                              "calls behind symmetric NATs or UDP-blocking "
                                              "firewalls will have no audio")));
  else if (!have_credentials)
    g_ptr_array_add (r->warnings, g_strdup (_("TURN: no user name and password are set, so "
                                              "the relay was not tested")));
  for (guint i = 0; i < 5 && have_credentials; i++)
    {
      TrvTurnAllocCheck *c = &t->checks[i];
      if (servers[i] == NULL)
        continue;
      c->server = servers[i];
      c->tcp = i >= 1;
      c->tls = i == 2 || i == 4;
      c->proxy = i >= 3 ? t->proxy : NULL;
      c->tls_host = t->tls_host;
      c->ca_file = cfg->ca_file;
      c->username = cfg->turn_username;
      c->password = cfg->turn_password;
      c->budget_ms = self->timeout_ms;
      c->cancellable = cancellable;
      const char *names[] = { "trv-turn-udp", "trv-turn-tcp", "trv-turn-tls", "trv-proxy-tcp",
                              "trv-proxy-tls" };
      t->threads[i] = g_thread_new (names[i], trv_turn_alloc_check_thread, c);
    }
}

static void
join_turn_checks (TrvNatReport *r, TurnChecks *t)
{
  for (guint i = 0; i < 5; i++)
    if (t->threads[i])
      g_thread_join (t->threads[i]);
  r->turn_udp = t->checks[0].result;
  r->turn_tcp = t->checks[1].result;
  r->turn_tls = t->checks[2].result;
  r->proxy_turn_tcp = t->checks[3].result;
  r->proxy_turn_tls = t->checks[4].result;
  g_clear_object (&t->proxy);
  g_clear_object (&t->turn);
  g_clear_object (&t->tls);
  g_clear_pointer (&t->tls_host, g_free);
}

static TrvNatReport *
probe_work (TrvNatProbe *self, TrvDiscoveredServers *found, GCancellable *cancellable,
            GError **out_error)
{
  TrvNatConfig *cfg = self->config;
  g_autoptr(TrvNatReport) r = trv_nat_report_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *stun_source = NULL, *turn_source = NULL;
  TurnChecks t = { 0 };

  /* What SRV discovery found (run_async looked up whatever the config leaves empty). */
  if (found)
    for (guint i = 0; i < found->warnings->len; i++)
      g_ptr_array_add (r->warnings, g_strdup (found->warnings->pdata[i]));

  if (!find_turn_servers (cfg, found, &t, &turn_source, cancellable, out_error))
    {
      join_turn_checks (r, &t);
      return NULL;
    }
  g_autoptr(GSocketAddress) stun = find_server (cfg->stun_server, "nat.stun-server",
                                                _("STUN server"), STUN_PORT,
                                                found ? found->stun_host : NULL,
                                                found ? found->stun_port : 0,
                                                &stun_source, NULL, cancellable, &error);
  /* With no STUN server of its own the probe asks the TURN server, which answers
   * Binding requests too; a TURN-over-TLS server's host at the STUN port. */
  if (stun == NULL && !error && t.turn)
    stun = g_object_ref (t.turn);
  else if (stun == NULL && !error && t.tls)
    stun = g_inet_socket_address_new (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (t.tls)), STUN_PORT);
  if (stun_source == NULL && stun)
    stun_source = "turn-server";
  if (stun == NULL)
    {
      join_turn_checks (r, &t);
      if (error)
        {
          g_propagate_error (out_error, g_steal_pointer (&error));
          return NULL;
        }
      /* The SRV warnings say which records were looked up and what DNS answered. */
      g_ptr_array_add (r->warnings, NULL);
      g_autofree gchar *lookups = g_strjoinv ("; ", (gchar **) r->warnings->pdata);
      /* The key leads the message (the CLI's usage error); the UI shows the reason. */
      if (found)
        trv_invalid_config (out_error, "nat.stun-server",
                            _("nat.stun-server: no STUN or TURN server is set, and none was "
                              "found in DNS: %s"), lookups);
      else
        trv_invalid_config (out_error, "nat.stun-server",
                            _("nat.stun-server: no STUN or TURN server is set, and there is no "
                              "account domain to look one up in DNS"));
      return NULL;
    }
  r->stun_server = trv_stun_address_to_string (stun);
  r->stun_source = g_strdup (stun_source);
  g_debug ("NAT probe: STUN server %s (%s)", r->stun_server, stun_source ? stun_source : "config");

  start_turn_checks (self, r, &t, cancellable);
  mapping_test (self, stun, r, cancellable, &error);
  if (!error)
    {
      /* The same server by name, so that its IPv6 address (AAAA) can be tried. */
      const char *v6 = cfg->stun_server ? cfg->stun_server : cfg->turn_server;
      g_autofree gchar *found_v6 = NULL;
      if (v6 == NULL && found && found->stun_host)
        v6 = found_v6 = trv_net_join_host_port (found->stun_host, found->stun_port);
      _trv_nat_probe_check_ipv6 (v6, STUN_PORT, r, cancellable);
    }
  join_turn_checks (r, &t);

  if (error)
    {
      g_propagate_error (out_error, g_steal_pointer (&error));
      return NULL;
    }
  trv_nat_report_conclude (r);
  r->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_debug ("NAT probe: done in %.0f ms, behind NAT: %s, mapping %d", r->duration_ms,
           r->behind_nat ? "yes" : "no", r->mapping);
  return g_steal_pointer (&r);
}

/* The work runs in a thread of its own that is joined on the caller's main context before
 * the task completes: once the caller has the result no probe thread is left running, so a
 * process may exit right away (a pooled GTask thread still unwinding then aborted GLib). */
typedef struct {
  GTask *task;
  GThread *thread;
  TrvNatReport *report;
  GError *error;
} Job;

static gboolean
job_done (gpointer data)
{
  Job *job = data;
  g_thread_join (job->thread);
  if (job->report)
    g_task_return_pointer (job->task, job->report, (GDestroyNotify) trv_nat_report_free);
  else
    g_task_return_error (job->task, job->error);
  g_object_unref (job->task);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer data)
{
  Job *job = data;
  job->report = probe_work (g_task_get_source_object (job->task),
                            g_task_get_task_data (job->task),
                            g_task_get_cancellable (job->task), &job->error);
  trv_main_context_defer (g_task_get_context (job->task), job_done, job, NULL);
  return NULL;
}

static void
start_job (GTask *task)
{
  Job *job = g_new0 (Job, 1);
  job->task = task;
  job->thread = g_thread_new ("trv-nat-probe", job_thread, job);
}


/* --- object ---------------------------------------------------------------------------- */

static void
trv_nat_probe_finalize (GObject *object)
{
  TrvNatProbe *self = TRV_NAT_PROBE (object);
  trv_nat_config_free (self->config);
  g_free (self->domain);
  G_OBJECT_CLASS (trv_nat_probe_parent_class)->finalize (object);
}

static void
trv_nat_probe_class_init (TrvNatProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_nat_probe_finalize;
}

static void
trv_nat_probe_init (TrvNatProbe *self)
{
  self->timeout_ms = 3750;  /* 250 + 500 + 1000 + 1000 + 1000 ms between retransmissions */
}

TrvNatProbe *
trv_nat_probe_new (const TrvNatConfig *config, const char *domain)
{
  TrvNatProbe *self = g_object_new (TRV_TYPE_NAT_PROBE, NULL);
  self->config = config ? trv_nat_config_copy (config) : trv_nat_config_new ();
  trv_log_add_secret (self->config->turn_password);
  self->domain = g_strdup (domain);
  return self;
}

void
trv_nat_probe_set_timeout (TrvNatProbe *self, guint timeout_ms)
{
  g_return_if_fail (TRV_IS_NAT_PROBE (self));
  self->timeout_ms = MAX (timeout_ms, 100);
}

static void
on_discovered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  TrvDiscoveredServers *found = trv_server_discovery_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (found == NULL)
    {
      /* Nothing to look up (the domain is an IP literal). With no server set at all that
       * is why the probe cannot run; with a TURN server the probe asks it for the public
       * address too, and a note that servers could not be looked up would read as if
       * none worked. */
      TrvNatProbe *self = g_task_get_source_object (task);
      gboolean any_server = (self->config->stun_server && *self->config->stun_server) ||
                            (self->config->turn_server && *self->config->turn_server);
      if (!any_server)
        {
          GError *config_error = NULL;
          trv_invalid_config (&config_error, "nat.stun-server", "nat.stun-server: %s",
                              error->message);
          g_task_return_error (task, config_error);
          return;
        }
      g_debug ("NAT probe: no SRV discovery: %s", error->message);
      found = g_new0 (TrvDiscoveredServers, 1);
      found->warnings = g_ptr_array_new_with_free_func (g_free);
    }
  g_task_set_task_data (task, found, (GDestroyNotify) trv_discovered_servers_free);
  start_job (g_steal_pointer (&task));
}

void
trv_nat_probe_run_async (TrvNatProbe *self, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_NAT_PROBE (self));
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_nat_probe_run_async);

  TrvNatConfig *cfg = self->config;
  TrvServerNeeds needs = 0;
  if (cfg->stun_server == NULL || *cfg->stun_server == '\0')
    needs |= TRV_SERVER_NEED_STUN;
  /* A discovered TURN-over-TLS server is checked too, whatever the configured transport
   * (the way out of networks that pass only TLS); only with tls is its absence news. */
  gboolean no_turn = cfg->turn_server == NULL || *cfg->turn_server == '\0';
  if (no_turn && cfg->turn_transport == TRV_TURN_TRANSPORT_TLS)
    needs |= TRV_SERVER_NEED_TURN_TLS;
  else if (no_turn)
    needs |= TRV_SERVER_TRY_TURN_TLS | (cfg->turn_transport == TRV_TURN_TRANSPORT_TCP
                                          ? TRV_SERVER_NEED_TURN_TCP : TRV_SERVER_NEED_TURN_UDP);
  if (needs != 0 && self->domain != NULL)
    trv_server_discovery_lookup_async (self->domain, needs, cancellable, on_discovered,
                                       g_steal_pointer (&task));
  else
    start_job (g_steal_pointer (&task));
}

TrvNatReport *
trv_nat_probe_run_finish (TrvNatProbe *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
