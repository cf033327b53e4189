/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-error"

#include "config.h"

#include "pdm-error.h"

G_DEFINE_QUARK (pdm-error-quark, pdm_error)
