#include "trv-error.h"

G_DEFINE_QUARK (trv-error-quark, trv_error)
