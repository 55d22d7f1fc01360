/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-error.h: the project's error domain. Codes mean something to a user. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRV_ERROR (trv_error_quark ())

typedef enum {
  TRV_ERROR_FAILED,           /* anything without a better code */
  TRV_ERROR_INVALID_CONFIG,   /* a setting is wrong; the message names the key and why */
  TRV_ERROR_NOT_AVAILABLE,    /* a feature this build/network cannot provide yet */
  TRV_ERROR_AUTH_FAILED,      /* the server refused our credentials */
  TRV_ERROR_UNKNOWN_REALM,    /* challenged for a realm we have no credentials for */
  TRV_ERROR_UNREACHABLE,      /* no answer / connection refused / transport error */
  TRV_ERROR_UNRESOLVABLE,     /* DNS could not resolve the server */
  TRV_ERROR_TLS,              /* TLS handshake or certificate verification failed */
  TRV_ERROR_REGISTRATION,     /* any other registration failure (status in message) */
  TRV_ERROR_REJECTED,         /* the peer rejected the call (4xx/5xx/6xx) */
  TRV_ERROR_CALL_FAILED,      /* the call could not be set up for another reason */
  TRV_ERROR_NO_COMMON_CODEC,  /* offer/answer found no codec both sides support */
  TRV_ERROR_MALFORMED_SDP,    /* the peer's SDP cannot be parsed or is incomplete */
  TRV_ERROR_NO_MEDIA,         /* no RTP arrived within the timeout */
  TRV_ERROR_MEDIA,            /* the audio pipeline failed (device, codec plugin) */
  TRV_ERROR_TIMEOUT,          /* an operation did not finish in time */
  TRV_ERROR_INVALID_STATE,    /* an action that does not fit the call's state */
  TRV_ERROR_SRTP_UNSUPPORTED, /* SRTP is required, but the peer has no usable key/suite */
  TRV_ERROR_NO_RESOURCES,     /* the process is short of a resource (e.g. too many open files) */
  TRV_ERROR_NO_PATH,          /* no media path can exist (NAT traversal): the message names
                               * the cause and a mode that works */
} TrvError;

GQuark trv_error_quark (void);

/* Sets a TRV_ERROR_INVALID_CONFIG error about the setting KEY (e.g. "account.proxy")
 * and returns FALSE. The message, from FORMAT, names the key for the reader; the key
 * itself travels as data (trv_error_get_config_key). KEY is NULL for an error about no
 * single setting (e.g. the file's syntax). */
gboolean trv_invalid_config (GError **error, const char *key,
                             const char *format, ...) G_GNUC_PRINTF (3, 4);

/* The key of the setting an error is about, or NULL (not a config error, or about no
 * single setting). */
const char *trv_error_get_config_key (const GError *error);

/* What is wrong with that setting, without the key in front, for showing next to the
 * setting's field; the whole message for any other error. */
const char *trv_error_get_config_reason (const GError *error);

/* Attaches the SIP status (e.g. 401) and the URI of the server or peer that gave it to a
 * TRV_ERROR error, as data for a front end's detail; returns @error. */
GError     *trv_error_set_sip (GError *error, guint status, const char *uri);
/* That status (0: none) and URI (NULL: none). */
guint       trv_error_get_sip_status (const GError *error);
const char *trv_error_get_uri (const GError *error);

G_END_DECLS
