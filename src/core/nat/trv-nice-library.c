/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nice-library.c: the libnice functions Traverse calls, forwarded to libnice opened on
 * first use (see trv-nice-library.h for why). The prototypes come from libnice's headers,
 * so a definition here that does not match libnice's does not compile. */
#include "config.h"

#include "trv-nice-library.h"
#include "trv-error.h"

#include <gmodule.h>
#include <nice/agent.h>
#include <stun/stunagent.h>
#include <stun/stunmessage.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>

/* F (return type, name, parameters, arguments) for each function forwarded. */
#define TRV_NICE_FUNCTIONS(F, V)                                                          \
  F (gboolean, nice_address_equal_no_port, (const NiceAddress *a, const NiceAddress *b),  \
     (a, b))                                                                              \
  F (guint, nice_address_get_port, (const NiceAddress *addr), (addr))                     \
  V (nice_address_init, (NiceAddress *addr), (addr))                                      \
  F (int, nice_address_ip_version, (const NiceAddress *addr), (addr))                     \
  F (gboolean, nice_address_set_from_string, (NiceAddress *addr, const gchar *str),       \
     (addr, str))                                                                         \
  V (nice_address_set_port, (NiceAddress *addr, guint port), (addr, port))                \
  V (nice_address_to_string, (const NiceAddress *addr, gchar *dst), (addr, dst))          \
  F (gboolean, nice_agent_add_local_address, (NiceAgent *agent, NiceAddress *addr),       \
     (agent, addr))                                                                       \
  F (guint, nice_agent_add_stream, (NiceAgent *agent, guint n_components),                \
     (agent, n_components))                                                               \
  F (gboolean, nice_agent_attach_recv,                                                    \
     (NiceAgent *agent, guint stream_id, guint component_id, GMainContext *ctx,           \
      NiceAgentRecvFunc func, gpointer data),                                             \
     (agent, stream_id, component_id, ctx, func, data))                                   \
  V (nice_agent_close_async,                                                              \
     (NiceAgent *agent, GAsyncReadyCallback callback, gpointer callback_data),            \
     (agent, callback, callback_data))                                                    \
  F (gboolean, nice_agent_consent_lost,                                                   \
     (NiceAgent *agent, guint stream_id, guint component_id),                             \
     (agent, stream_id, component_id))                                                    \
  F (gboolean, nice_agent_gather_candidates, (NiceAgent *agent, guint stream_id),         \
     (agent, stream_id))                                                                  \
  F (gchar *, nice_agent_generate_local_candidate_sdp,                                    \
     (NiceAgent *agent, NiceCandidate *candidate), (agent, candidate))                    \
  F (GSList *, nice_agent_get_local_candidates,                                           \
     (NiceAgent *agent, guint stream_id, guint component_id),                             \
     (agent, stream_id, component_id))                                                    \
  F (gboolean, nice_agent_get_local_credentials,                                          \
     (NiceAgent *agent, guint stream_id, gchar **ufrag, gchar **pwd),                     \
     (agent, stream_id, ufrag, pwd))                                                      \
  F (GSList *, nice_agent_get_remote_candidates,                                          \
     (NiceAgent *agent, guint stream_id, guint component_id),                             \
     (agent, stream_id, component_id))                                                    \
  F (NiceAgent *, nice_agent_new_full,                                                    \
     (GMainContext *ctx, NiceCompatibility compat, NiceAgentOption flags),                \
     (ctx, compat, flags))                                                                \
  F (NiceCandidate *, nice_agent_parse_remote_candidate_sdp,                              \
     (NiceAgent *agent, guint stream_id, const gchar *sdp), (agent, stream_id, sdp))      \
  V (nice_agent_remove_stream, (NiceAgent *agent, guint stream_id), (agent, stream_id))   \
  F (gboolean, nice_agent_restart_stream, (NiceAgent *agent, guint stream_id),            \
     (agent, stream_id))                                                                  \
  F (gint, nice_agent_send,                                                               \
     (NiceAgent *agent, guint stream_id, guint component_id, guint len,                   \
      const gchar *buf),                                                                  \
     (agent, stream_id, component_id, len, buf))                                          \
  F (gboolean, nice_agent_set_local_credentials,                                          \
     (NiceAgent *agent, guint stream_id, const gchar *ufrag, const gchar *pwd),           \
     (agent, stream_id, ufrag, pwd))                                                      \
  F (gboolean, nice_agent_set_relay_info,                                                 \
     (NiceAgent *agent, guint stream_id, guint component_id, const gchar *server_ip,      \
      guint server_port, const gchar *username, const gchar *password,                    \
      NiceRelayType type),                                                                \
     (agent, stream_id, component_id, server_ip, server_port, username, password, type))  \
  F (int, nice_agent_set_remote_candidates,                                               \
     (NiceAgent *agent, guint stream_id, guint component_id, const GSList *candidates),   \
     (agent, stream_id, component_id, candidates))                                        \
  F (gboolean, nice_agent_set_remote_credentials,                                         \
     (NiceAgent *agent, guint stream_id, const gchar *ufrag, const gchar *pwd),           \
     (agent, stream_id, ufrag, pwd))                                                      \
  F (gboolean, nice_agent_set_selected_pair,                                              \
     (NiceAgent *agent, guint stream_id, guint component_id, const gchar *lfoundation,    \
      const gchar *rfoundation),                                                          \
     (agent, stream_id, component_id, lfoundation, rfoundation))                          \
  F (gboolean, nice_agent_set_selected_remote_candidate,                                  \
     (NiceAgent *agent, guint stream_id, guint component_id, NiceCandidate *candidate),   \
     (agent, stream_id, component_id, candidate))                                         \
  F (NiceCandidate *, nice_candidate_copy, (const NiceCandidate *candidate), (candidate)) \
  V (nice_candidate_free, (NiceCandidate *candidate), (candidate))                        \
  F (NiceCandidate *, nice_candidate_new, (NiceCandidateType type), (type))               \
  F (const gchar *, nice_component_state_to_string, (NiceComponentState state), (state))  \
  V (stun_agent_init,                                                                     \
     (StunAgent *agent, const uint16_t *known_attributes,                                 \
      StunCompatibility compatibility, StunAgentUsageFlags usage_flags),                  \
     (agent, known_attributes, compatibility, usage_flags))                               \
  F (StunValidationStatus, stun_agent_validate,                                           \
     (StunAgent *agent, StunMessage *msg, const uint8_t *buffer, size_t buffer_len,       \
      StunMessageIntegrityValidate validater, void *validater_data),                      \
     (agent, msg, buffer, buffer_len, validater, validater_data))                         \
  F (StunMessageReturn, stun_message_find_addr,                                           \
     (const StunMessage *msg, StunAttribute type, struct sockaddr_storage *addr,          \
      socklen_t *addrlen),                                                                \
     (msg, type, addr, addrlen))                                                          \
  F (StunMessageReturn, stun_message_find_error, (const StunMessage *msg, int *code),     \
     (msg, code))                                                                         \
  F (StunMessageReturn, stun_message_find_xor_addr,                                       \
     (const StunMessage *msg, StunAttribute type, struct sockaddr_storage *addr,          \
      socklen_t *addrlen),                                                                \
     (msg, type, addr, addrlen))                                                          \
  F (StunClass, stun_message_get_class, (const StunMessage *msg), (msg))                  \
  F (uint16_t, stun_message_length, (const StunMessage *msg), (msg))                      \
  F (size_t, stun_usage_bind_create,                                                      \
     (StunAgent *agent, StunMessage *msg, uint8_t *buffer, size_t buffer_len),            \
     (agent, msg, buffer, buffer_len))                                                    \
  F (StunUsageBindReturn, stun_usage_bind_process,                                        \
     (StunMessage *msg, struct sockaddr *addr, socklen_t *addrlen,                        \
      struct sockaddr *alternate_server, socklen_t *alternate_server_len),                \
     (msg, addr, addrlen, alternate_server, alternate_server_len))                        \
  F (size_t, stun_usage_turn_create,                                                      \
     (StunAgent *agent, StunMessage *msg, uint8_t *buffer, size_t buffer_len,             \
      StunMessage *previous_response, StunUsageTurnRequestPorts request_ports,            \
      int32_t bandwidth, int32_t lifetime, uint8_t *username, size_t username_len,        \
      uint8_t *password, size_t password_len, StunUsageTurnCompatibility compatibility),  \
     (agent, msg, buffer, buffer_len, previous_response, request_ports, bandwidth,        \
      lifetime, username, username_len, password, password_len, compatibility))           \
  F (size_t, stun_usage_turn_create_refresh,                                              \
     (StunAgent *agent, StunMessage *msg, uint8_t *buffer, size_t buffer_len,             \
      StunMessage *previous_response, int32_t lifetime, uint8_t *username,                \
      size_t username_len, uint8_t *password, size_t password_len,                        \
      StunUsageTurnCompatibility compatibility),                                          \
     (agent, msg, buffer, buffer_len, previous_response, lifetime, username,              \
      username_len, password, password_len, compatibility))

#define FIELD(ret, name, params, args) ret (*name) params;
#define FIELD_VOID(name, params, args) void (*name)params;
typedef struct {
  TRV_NICE_FUNCTIONS (FIELD, FIELD_VOID)
} NiceFunctions;

#define NAME(ret, name, params, args) #name,
#define NAME_VOID(name, params, args) #name,
static const char *const function_names[] = { TRV_NICE_FUNCTIONS (NAME, NAME_VOID) };

G_STATIC_ASSERT (sizeof (NiceFunctions) == G_N_ELEMENTS (function_names) * sizeof (gpointer));

static NiceFunctions functions;
static GError *load_error;

static gpointer
open_library (gpointer data)
{
  /* Local: its symbols stay out of the global scope (the GStreamer elements that a call
   * loads link the same libnice and find it loaded). stun_message_length(), which
   * sofia-sip exports too, still resolves to the forwarder below for libnice's own calls:
   * the executables export it (src/core/meson.build). */
  GModule *module = g_module_open (TRV_NICE_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (&load_error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   "cannot load libnice (%s): %s", TRV_NICE_SONAME, g_module_error ());
      return NULL;
    }
  gpointer *slots = (gpointer *) &functions;
  for (guint i = 0; i < G_N_ELEMENTS (function_names); i++)
    if (!g_module_symbol (module, function_names[i], &slots[i]) || slots[i] == NULL)
      {
        g_set_error (&load_error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                     "libnice (%s) has no %s: it is older than Traverse needs",
                     TRV_NICE_SONAME, function_names[i]);
        g_module_close (module);
        return NULL;
      }
  g_module_make_resident (module);
  g_debug ("libnice: loaded %s", TRV_NICE_SONAME);
  return &functions;
}

static const NiceFunctions *
nice_functions (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, open_library, NULL);
}

gboolean
trv_nice_library_load (GError **error)
{
  if (nice_functions () != NULL)
    return TRUE;
  if (error)
    *error = g_error_copy (load_error);
  return FALSE;
}

/* What a forwarder calls: libnice cannot be missing in a working installation (the
 * package depends on it), and there is no sane way on without it. */
static const NiceFunctions *
nice_or_abort (void)
{
  const NiceFunctions *f = nice_functions ();
  if (G_UNLIKELY (f == NULL))
    g_error ("%s", load_error->message);
  return f;
}

#define FORWARD(ret, name, params, args)                                                 \
  ret name params                                                                        \
  {                                                                                      \
    return nice_or_abort ()->name args;                                                  \
  }
#define FORWARD_VOID(name, params, args)                                                 \
  void name params                                                                       \
  {                                                                                      \
    nice_or_abort ()->name args;                                                         \
  }
TRV_NICE_FUNCTIONS (FORWARD, FORWARD_VOID)
