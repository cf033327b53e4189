/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads the CSV files that Excel writes in Indonesian settings: `;` or `,`
 * separators, UTF-8 with or without a BOM, or Windows-1252. */
typedef struct _PdmCsvReader PdmCsvReader;

PdmCsvReader *pdm_csv_reader_new           (GBytes              *data,
                                            GError             **error);
void          pdm_csv_reader_free          (PdmCsvReader        *self);
char          pdm_csv_reader_get_separator (PdmCsvReader        *self);
gboolean      pdm_csv_reader_read_row      (PdmCsvReader        *self,
                                            GPtrArray          **out_fields,
                                            guint               *out_row_number,
                                            GError             **error);

char         *pdm_csv_normalize_header     (const char          *header);
int           pdm_csv_find_column          (GPtrArray           *header_fields,
                                            const char * const  *aliases);

void          pdm_csv_append_bom           (GString             *out);
void          pdm_csv_append_row           (GString             *out,
                                            const char * const  *fields,
                                            gsize                n_fields,
                                            char                 separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmCsvReader, pdm_csv_reader_free)

G_END_DECLS
