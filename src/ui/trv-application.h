/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application.h: the Traverse desktop application (single instance, sip:/tel: links). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRV_APPLICATION_ID "io.github.traverse.Traverse"

#define TRV_TYPE_APPLICATION (trv_application_get_type ())
G_DECLARE_FINAL_TYPE (TrvApplication, trv_application, TRV, APPLICATION, AdwApplication)

TrvApplication *trv_application_new (void);

G_END_DECLS
