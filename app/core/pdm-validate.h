/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The rules for what a person types or a spreadsheet brings: identity
 * numbers, RT/RW, phone numbers, names. No SQLite and no GTK, so the
 * repositories, the importer and the forms all apply the same rules.
 *
 * Every failure is a PDM_ERROR_INVALID_FIELD whose translated message names
 * the field. Where a @warnings array is taken, it must free its elements with
 * g_free(); a warning is worth showing but never refuses the value. */

typedef enum
{
  PDM_SEX_UNKNOWN,
  PDM_SEX_MALE,
  PDM_SEX_FEMALE,
} PdmSex;

/* What a NIK (PPKKCC DDMMYY SSSS) says about its holder. */
typedef struct
{
  /* Kecamatan where the holder was first registered, 6 digits, NUL-terminated. */
  char    region_code[7];
  /* The NIK keeps only two digits of the year; see pdm_nik_parse(). */
  GDate   birth_date;
  PdmSex  sex;
  guint   serial;
} PdmNikInfo;

PdmSex      pdm_sex_from_string          (const char          *text);
const char *pdm_sex_to_code              (PdmSex               sex);

GHashTable *pdm_validate_new_prefix_set  (const char * const  *prefixes);

gboolean    pdm_nik_parse                (const char          *nik,
                                          PdmNikInfo          *out,
                                          GError             **error);
gboolean    pdm_validate_nik             (const char          *nik,
                                          const GDate         *birth_date,
                                          PdmSex               sex,
                                          GHashTable          *known_region_prefixes,
                                          GPtrArray           *warnings,
                                          GError             **error);
gboolean    pdm_validate_kk              (const char          *kk,
                                          GHashTable          *known_region_prefixes,
                                          GPtrArray           *warnings,
                                          GError             **error);

char       *pdm_normalize_rt_rw          (const char          *value,
                                          const char          *field_label,
                                          GError             **error);
char       *pdm_normalize_phone          (const char          *phone,
                                          GError             **error);
char       *pdm_normalize_name           (const char          *name,
                                          const char          *field_label,
                                          GError             **error);

G_END_DECLS
