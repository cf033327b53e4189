/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PDM_ERROR (pdm_error_quark ())

/* Errors a user can cause or meet; each carries a translated message. */
typedef enum
{
  PDM_ERROR_FAILED,
  PDM_ERROR_DATABASE_OPEN,      /* the file could not be opened at all */
  PDM_ERROR_DATABASE_FOREIGN,   /* the file is not a Pendamping database */
  PDM_ERROR_DATABASE_TOO_NEW,   /* written by a newer Pendamping */
  PDM_ERROR_DATABASE,           /* SQLite failed while working on a good file */
  PDM_ERROR_INVALID_DATA,       /* shipped or imported data is malformed */
  PDM_ERROR_INVALID_FIELD,      /* a value a person typed or imported breaks a rule */
  PDM_ERROR_DUPLICATE,          /* the record would repeat one that exists (a NIK) */
  PDM_ERROR_NOT_FOUND,          /* the record asked for is not there */
  PDM_ERROR_CANCELLED,          /* long work stopped at the user's request */
  PDM_ERROR_IMMUTABLE,          /* the record may never change (a submitted response) */
  PDM_ERROR_EXPRESSION,         /* a form expression does not parse, check or evaluate */
} PdmError;

GQuark pdm_error_quark (void);

G_END_DECLS
