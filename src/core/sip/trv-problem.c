/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-problem.c: plain words and an action for registration, start and call failures. */
#include "config.h"

#include "trv-problem.h"

#include <glib/gi18n-lib.h>

#include "trv-error.h"

G_DEFINE_BOXED_TYPE (TrvProblem, trv_problem, trv_problem_copy, trv_problem_free)

TrvProblem *
trv_problem_copy (const TrvProblem *self)
{
  TrvProblem *copy = g_new0 (TrvProblem, 1);
  copy->action = self->action;
  copy->text = g_strdup (self->text);
  copy->detail = g_strdup (self->detail);
  copy->sip_status = self->sip_status;
  copy->uri = g_strdup (self->uri);
  return copy;
}

void
trv_problem_free (TrvProblem *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_free (self->detail);
  g_free (self->uri);
  g_free (self);
}

/* The error's own message is the technical story: it names the server or peer and the
 * SIP status and reason phrase where there was one. */
static TrvProblem *
problem_new (TrvProblemAction action, const char *text, const GError *error, guint status)
{
  TrvProblem *self = g_new0 (TrvProblem, 1);
  self->action = action;
  self->text = g_strdup (text);
  self->sip_status = trv_error_get_sip_status (error) ? trv_error_get_sip_status (error)
                                                      : status;
  self->uri = g_strdup (trv_error_get_uri (error));
  if (error)
    self->detail = g_strdup (error->message);
  else if (self->sip_status)
    /* Translators: %u is a SIP status code such as 404. */
    self->detail = g_strdup_printf (_("SIP status %u"), self->sip_status);
  g_debug ("problem: action %d, status %u", action, self->sip_status);
  return self;
}

TrvProblem *
trv_problem_new_for_registration (const GError *error)
{
  guint status = trv_error_get_sip_status (error);
  gint code = error && error->domain == TRV_ERROR ? error->code : TRV_ERROR_FAILED;

  switch (code)
    {
    case TRV_ERROR_AUTH_FAILED:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The server did not accept the user name or password of this "
                            "account. Check them in the account’s settings."), error, 0);
    case TRV_ERROR_UNKNOWN_REALM:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The server asks for a password this account does not have. "
                            "Enter it in the account’s settings."), error, 0);
    case TRV_ERROR_UNRESOLVABLE:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The server’s name cannot be found. Check your internet "
                            "connection and the server in the account’s settings."), error, 0);
    case TRV_ERROR_TLS:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The server’s identity cannot be verified, so Traverse does not "
                            "connect to it. Check the server in the account’s settings."),
                          error, 0);
    case TRV_ERROR_INVALID_CONFIG:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("A setting of this account is not valid. Correct it in the "
                            "account’s settings."), error, 0);
    case TRV_ERROR_UNREACHABLE:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The server does not answer. Check your internet connection; "
                            "Traverse keeps trying."), error, 0);
    default:
      break;
    }
  if (status == 404)
    return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                        _("The server does not know this account. Check the address in the "
                          "account’s settings."), error, 0);
  if (status >= 500)
    return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                        _("The server has a problem right now. Traverse keeps trying."),
                        error, 0);
  return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                      _("The server did not sign in this account. Traverse keeps trying; if "
                        "this goes on, check the account’s settings."), error, 0);
}

TrvProblem *
trv_problem_new_for_start (const GError *error)
{
  gint code = error && error->domain == TRV_ERROR ? error->code : TRV_ERROR_FAILED;
  const char *key = trv_error_get_config_key (error);

  switch (code)
    {
    case TRV_ERROR_INVALID_CONFIG:
      /* The key says which page holds the setting ("account.proxy", "nat.stun-server"). */
      if (key && g_str_has_prefix (key, "account."))
        return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                            _("A setting of the account is not valid, so calls are not "
                              "possible. Correct it in the account’s settings."), error, 0);
      return problem_new (TRV_PROBLEM_ACTION_NETWORK_SETTINGS,
                          _("A network setting is not valid, so calls are not possible. "
                            "Correct it in the network settings."), error, 0);
    case TRV_ERROR_UNREACHABLE:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("Traverse cannot open a network port for calls; another program "
                            "may be using it. Try again in a moment."), error, 0);
    case TRV_ERROR_UNRESOLVABLE:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The server’s name cannot be found. Check your internet "
                            "connection and the server in the account’s settings."), error, 0);
    case TRV_ERROR_NO_RESOURCES:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The computer is short of resources for calls. Close some "
                            "programs and try again."), error, 0);
    default:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("Calls are not possible right now. Try again; if this goes on, "
                            "check the account and network settings."), error, 0);
    }
}

/* The peer (or the provider on the way) said no: by the status it gave. */
static TrvProblem *
refused (guint status, const GError *error)
{
  switch (status)
    {
    case 486:
    case 600:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The other side is busy. Try again later."), error, status);
    case 603:
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("The other side declined the call."), error, status);
    case 404:
    case 410:
    case 484:
    case 604:
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("Nobody can be reached at this address. Check the number or "
                            "address."), error, status);
    case 480:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The other side is not available right now. Try again later."),
                          error, status);
    case 488:
    case 606:
      /* Without a Warning that names the codecs (those are TRV_ERROR_NO_COMMON_CODEC). */
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("The other phone could not accept this call’s settings (sound "
                            "formats, encryption or addresses), so the call cannot be "
                            "connected."), error, status);
    default:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The call was not accepted. Try again later."), error, status);
    }
}

TrvProblem *
trv_problem_new_for_call_end (TrvCallEndReason reason, guint sip_status, const GError *error,
                              gboolean heard_audio)
{
  gint code = error && error->domain == TRV_ERROR ? error->code : TRV_ERROR_FAILED;

  switch (reason)
    {
    case TRV_CALL_END_LOCAL_HANGUP:
    case TRV_CALL_END_REMOTE_HANGUP:
    case TRV_CALL_END_DECLINED:
    case TRV_CALL_END_CANCELLED:
      return NULL;
    case TRV_CALL_END_NO_MEDIA:
      if (heard_audio)
        return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                            _("The connection was lost: nothing arrived from the other side "
                              "any more. Try calling again."), error, 0);
      return problem_new (TRV_PROBLEM_ACTION_NETWORK_SETTINGS,
                          code == TRV_ERROR_NO_PATH
                          ? _("No sound can pass between you and the other side on this "
                              "network. Another connection method may work: see the network "
                              "settings.")
                          : _("No sound arrived from the other side: the network blocks the "
                              "audio. The network settings may help."), error, 0);
    case TRV_CALL_END_REJECTED:
    case TRV_CALL_END_FAILED:
    case TRV_CALL_END_NONE:
    default:
      break;
    }

  switch (code)
    {
    case TRV_ERROR_AUTH_FAILED:
    case TRV_ERROR_UNKNOWN_REALM:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("Your provider refused to place this call. Check the user name "
                            "and password in the account’s settings."), error, sip_status);
    case TRV_ERROR_UNREACHABLE:
    case TRV_ERROR_UNRESOLVABLE:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The other side cannot be reached. Check the address and your "
                            "internet connection."), error, sip_status);
    case TRV_ERROR_NO_PATH:   /* e.g. no common address family, found before any audio */
      return problem_new (TRV_PROBLEM_ACTION_NETWORK_SETTINGS,
                          _("No sound can pass between you and the other side on this "
                            "network. Another connection method may work: see the network "
                            "settings."), error, sip_status);
    case TRV_ERROR_NO_COMMON_CODEC:
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("The other phone supports none of the sound formats Traverse "
                            "uses, so the call cannot be connected."), error, sip_status);
    case TRV_ERROR_SRTP_UNSUPPORTED:
      return problem_new (TRV_PROBLEM_ACTION_EDIT_ACCOUNT,
                          _("The other phone cannot encrypt the call, and this account "
                            "requires encryption. See the account’s settings."),
                          error, sip_status);
    case TRV_ERROR_MALFORMED_SDP:
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("The other phone answered in a way Traverse does not understand, "
                            "so the call cannot be connected."), error, sip_status);
    case TRV_ERROR_MEDIA:
      return problem_new (TRV_PROBLEM_ACTION_NONE,
                          _("The sound device cannot be used. Check the audio settings."),
                          error, sip_status);
    case TRV_ERROR_NO_RESOURCES:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The computer is short of resources for calls. Close some "
                            "programs and try again."), error, sip_status);
    case TRV_ERROR_TIMEOUT:
      return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                          _("The other side did not answer in time. Try again."),
                          error, sip_status);
    default:
      break;
    }
  if (reason == TRV_CALL_END_REJECTED)
    return refused (trv_error_get_sip_status (error) ? trv_error_get_sip_status (error)
                                                     : sip_status, error);
  return problem_new (TRV_PROBLEM_ACTION_TRY_AGAIN,
                      _("The call could not be connected. Try again."), error, sip_status);
}

TrvProblem *
trv_problem_new_for_call (TrvCall *call)
{
  g_return_val_if_fail (TRV_IS_CALL (call), NULL);
  return trv_problem_new_for_call_end (trv_call_get_end_reason (call),
                                       trv_call_get_sip_status (call),
                                       trv_call_get_error (call),
                                       trv_call_get_first_rtp_ms (call) >= 0);
}
