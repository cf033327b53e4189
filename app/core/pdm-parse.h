/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parsers for cells imported from spreadsheets. Their errors are
 * PDM_ERROR_INVALID_FIELD with a reason that names the value but not the
 * column, for the importer to prefix with the row and column. */

gboolean pdm_parse_date                (const char  *text,
                                        GDate       *out,
                                        GError     **error);
gboolean pdm_parse_id_number           (const char  *text,
                                        guint        expected_digits,
                                        char       **out_digits,
                                        GError     **error);
gboolean pdm_parse_is_excel_scientific (const char  *text);
gboolean pdm_parse_int_in_range        (const char  *text,
                                        int          min,
                                        int          max,
                                        int         *out,
                                        GError     **error);

G_END_DECLS
