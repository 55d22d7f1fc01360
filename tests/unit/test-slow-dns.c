/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resolver that takes SLOW_MS to answer: starting an agent whose registrar (or, when it
 * does not register, domain) is a name, and dialling a name, must not block the main loop
 * meanwhile. The slow resolver blocks
 * in its synchronous lookup and answers its asynchronous one from a main-loop timeout,
 * so a synchronous lookup on the main loop shows up as a long start()/dial(). */
#include <glib.h>
#include <gst/gst.h>
#include <string.h>

#include "trv-error.h"
#include "trv-net.h"
#include "trv-user-agent.h"
#include "trv-test-util.h"

#define SLOW_MS 1500

typedef struct {
  GResolver parent_instance;
} TrvSlowResolver;

typedef struct {
  GResolverClass parent_class;
} TrvSlowResolverClass;

static GType trv_slow_resolver_get_type (void);
G_DEFINE_TYPE (TrvSlowResolver, trv_slow_resolver, G_TYPE_RESOLVER)

/* slow.traverse.test is 127.0.0.1; every other name does not exist. */
static GList *
answer (const char *hostname, GError **error)
{
  if (g_str_equal (hostname, "slow.traverse.test"))
    return g_list_append (NULL, g_inet_address_new_from_string ("127.0.0.1"));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "no address for '%s' (slow test resolver)", hostname);
  return NULL;
}

static GList *
slow_lookup_by_name (GResolver *resolver, const gchar *hostname, GCancellable *cancellable,
                     GError **error)
{
  g_usleep (SLOW_MS * 1000);
  return answer (hostname, error);
}

static gboolean
on_slow_answer (gpointer data)
{
  GTask *task = data;
  GError *error = NULL;
  GList *result = answer (g_task_get_task_data (task), &error);
  if (result)
    g_task_return_pointer (task, result, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
slow_lookup_by_name_async (GResolver *resolver, const gchar *hostname,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (hostname), g_free);
  g_timeout_add (SLOW_MS, on_slow_answer, task);
}

static GList *
slow_lookup_by_name_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
trv_slow_resolver_class_init (TrvSlowResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);
  resolver_class->lookup_by_name = slow_lookup_by_name;
  resolver_class->lookup_by_name_async = slow_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = slow_lookup_by_name_finish;
}

static void
trv_slow_resolver_init (TrvSlowResolver *self)
{
}

/* --- main-loop liveness ------------------------------------------------------------ */

static gboolean
on_tick (gpointer data)
{
  guint *ticks = data;
  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
agent_listening (gpointer agent)
{
  return trv_user_agent_get_contact_uri (agent) != NULL;
}

static gboolean
registration_failed (gpointer agent)
{
  return trv_user_agent_get_registration_state (agent) == TRV_REGISTRATION_FAILED;
}

static TrvUserAgent *
registering_agent (const char *registrar)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("alice");
  g_free (acc->registrar);
  acc->registrar = g_strdup (registrar);
  acc->do_register = TRUE;
  g_assert_true (trv_account_config_validate (acc, NULL));
  return trv_user_agent_new (acc, NULL, NULL);
}

/* start() returns at once; the main loop keeps running while the registrar's name
 * resolves; then sofia's stack is up. */
static void
test_slow_registrar (void)
{
  /* Nothing answers there: registration fails later, which is not what this tests. */
  guint16 port = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_UDP, NULL);
  g_autofree gchar *registrar = g_strdup_printf ("slow.traverse.test:%u", port);
  g_autoptr(TrvUserAgent) agent = registering_agent (registrar);
  guint ticks = 0;
  guint tick = g_timeout_add (50, on_tick, &ticks);
  g_autoptr(GError) error = NULL;

  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_start (agent, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((g_get_monotonic_time () - t0) / 1000, <, SLOW_MS / 3);
  g_assert_null (trv_user_agent_get_contact_uri (agent));

  g_assert_true (trv_test_wait_for (agent_listening, agent, SLOW_MS * 3));
  /* 50 ms ticks all through the lookup: the loop was never blocked for long. */
  g_assert_cmpuint (ticks, >=, SLOW_MS / 50 / 2);
  g_assert_nonnull (strstr (trv_user_agent_get_contact_uri (agent), "@127.0.0.1:"));
  g_source_remove (tick);
  trv_test_agent_shutdown (agent, 5000);
}

/* A name that does not resolve: a registration failure with the same message as before,
 * without blocking. */
static void
test_unresolvable_registrar (void)
{
  g_autoptr(TrvUserAgent) agent = registering_agent ("gone.traverse.test");
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_start (agent, NULL, &error));
  g_assert_cmpint ((g_get_monotonic_time () - t0) / 1000, <, SLOW_MS / 3);
  g_assert_true (trv_test_wait_for (registration_failed, agent, SLOW_MS * 3));
  const GError *why = trv_user_agent_get_registration_error (agent);
  g_assert_error (why, TRV_ERROR, TRV_ERROR_UNRESOLVABLE);
  g_assert_nonnull (strstr (why->message, "cannot resolve host 'gone.traverse.test'"));
  trv_test_agent_shutdown (agent, 5000);
}

/* Dialling a name returns the call at once (sofia resolves the name itself, off the
 * loop); before, the media address was found through a blocking lookup. */
static void
test_dial_name (void)
{
  g_autoptr(TrvUserAgent) agent = trv_user_agent_new (NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_user_agent_start (agent, "127.0.0.1", &error));
  gint64 t0 = g_get_monotonic_time ();
  TrvCall *call = trv_user_agent_dial (agent, "sip:bob@slow.traverse.test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_cmpint ((g_get_monotonic_time () - t0) / 1000, <, SLOW_MS / 3);
  trv_call_hangup (call);
  trv_test_agent_shutdown (agent, 5000);
}

/* --- accounts that do not register ------------------------------------------------ */

typedef struct {
  guint count;
  GError *error;
} Started;

static void
on_started (TrvUserAgent *agent, const GError *error, Started *started)
{
  started->count++;
  g_clear_error (&started->error);
  started->error = error ? g_error_copy (error) : NULL;
}

static gboolean
has_started (gpointer data)
{
  return ((Started *) data)->count > 0;
}

/* register = false with the domain a name: the listen address is chosen from it. */
static TrvUserAgent *
direct_agent (const char *domain, Started *started)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("carol");
  g_free (acc->address);
  acc->address = g_strdup_printf ("sip:carol@%s", domain);
  g_assert_true (trv_account_config_validate (acc, NULL));
  g_assert_false (acc->do_register);
  TrvUserAgent *agent = trv_user_agent_new (acc, NULL, NULL);
  g_autoptr(TrvMediaOptions) options = trv_media_options_new ();
  options->source_desc = g_strdup ("audiotestsrc is-live=true wave=sine freq=440");
  options->sink_desc = g_strdup ("fakesink sync=false");
  options->jitter_ms = 40;
  trv_user_agent_set_media_options (agent, options);
  g_signal_connect (agent, "started", G_CALLBACK (on_started), started);
  return agent;
}

/* start() returns at once, the loop keeps ticking while the domain resolves, then
 * "started" says the agent listens toward it, and a call from it goes through. */
static void
test_slow_domain_no_register (void)
{
  Started started = { 0 };
  g_autoptr(TrvUserAgent) agent = direct_agent ("slow.traverse.test", &started);
  g_autoptr(TrvAccountConfig) bob_acc = trv_test_account_new ("bob");
  g_autoptr(TrvUserAgent) bob = trv_test_agent_start (bob_acc);
  trv_user_agent_set_auto_answer (bob, TRUE);
  guint ticks = 0;
  guint tick = g_timeout_add (50, on_tick, &ticks);
  g_autoptr(GError) error = NULL;

  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_start (agent, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((g_get_monotonic_time () - t0) / 1000, <, SLOW_MS / 3);
  g_assert_null (trv_user_agent_get_contact_uri (agent));
  g_assert_cmpint (trv_user_agent_get_registration_state (agent), ==,
                   TRV_REGISTRATION_DISABLED);

  g_assert_true (trv_test_wait_for (has_started, &started, SLOW_MS * 3));
  g_assert_cmpuint (started.count, ==, 1);
  g_assert_no_error (started.error);
  g_assert_cmpuint (ticks, >=, SLOW_MS / 50 / 2);
  g_assert_nonnull (strstr (trv_user_agent_get_contact_uri (agent), "carol@127.0.0.1:"));
  g_source_remove (tick);

  TrvCall *call = trv_user_agent_dial (agent, trv_user_agent_get_contact_uri (bob), &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, 5000));
  trv_call_hangup (call);
  trv_test_agent_shutdown (agent, 5000);
  trv_test_agent_shutdown (bob, 5000);
}

/* A domain that does not resolve: start() still returns at once, and "started" carries
 * the error start() used to return. */
static void
test_unresolvable_domain_no_register (void)
{
  Started started = { 0 };
  g_autoptr(TrvUserAgent) agent = direct_agent ("gone.traverse.test", &started);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_start (agent, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((g_get_monotonic_time () - t0) / 1000, <, SLOW_MS / 3);
  g_assert_true (trv_test_wait_for (has_started, &started, SLOW_MS * 3));
  g_assert_error (started.error, TRV_ERROR, TRV_ERROR_UNRESOLVABLE);
  g_assert_nonnull (strstr (started.error->message, "cannot resolve host 'gone.traverse.test'"));
  g_assert_null (trv_user_agent_get_contact_uri (agent));
  g_assert_null (trv_user_agent_dial (agent, "sip:bob@127.0.0.1", &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);
  g_clear_error (&started.error);
  trv_test_agent_shutdown (agent, 5000);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);   /* the call's media */
  g_test_init (&argc, &argv, NULL);
  g_autoptr(GResolver) slow = g_object_new (trv_slow_resolver_get_type (), NULL);
  g_resolver_set_default (slow);
  g_test_add_func ("/dns/slow-registrar", test_slow_registrar);
  g_test_add_func ("/dns/unresolvable-registrar", test_unresolvable_registrar);
  g_test_add_func ("/dns/dial-name", test_dial_name);
  g_test_add_func ("/dns/slow-domain-no-register", test_slow_domain_no_register);
  g_test_add_func ("/dns/unresolvable-domain-no-register",
                   test_unresolvable_domain_no_register);
  return g_test_run ();
}
