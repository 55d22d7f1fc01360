/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sofia.h: sofia-sip includes with the magic types Traverse uses. Include this
 * instead of <sofia-sip/nua.h> so every file agrees on NUA_MAGIC_T/NUA_HMAGIC_T. */
#pragma once

#define NUA_MAGIC_T  void
#define NUA_HMAGIC_T void
#define SU_ROOT_MAGIC_T void

#include <sofia-sip/su_glib.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/su_tag_io.h>
