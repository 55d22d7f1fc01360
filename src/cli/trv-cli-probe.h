/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-cli-probe.h: traverse-cli's network check: the `probe` command and the probe that
 * picks the mode for nat.mode = auto. */
#pragma once

#include "trv-account-config.h"
#include "trv-nat-config.h"
#include "trv-nat-report.h"
#include "trv-user-agent.h"

G_BEGIN_DECLS

/* `probe`: print the report (as JSON with `as_json`); returns the exit code.
 * `timeout` in seconds, 0: the probe's default. */
int           trv_cli_run_probe         (TrvAccountConfig *account,
                                         TrvNatConfig *nat,
                                         double timeout,
                                         gboolean as_json);
/* nat.mode = auto: probe, tell `agent` the mode to use and say why. Returns the report
 * (NULL when the probe failed) for --stats. */
TrvNatReport *trv_cli_resolve_auto_mode (TrvUserAgent *agent,
                                         TrvAccountConfig *account,
                                         TrvNatConfig *nat,
                                         double timeout);

G_END_DECLS
