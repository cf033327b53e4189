/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-rules"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pdm-error.h"
#include "pdm-parse.h"
#include "pdm-rules.h"
#include "pdm-util.h"
#include "pdm-validate.h"

static const char * const relationships[] = {
  "Kepala Keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu", "Orang Tua", "Mertua",
  "Famili Lain", "Lainnya", NULL
};

static const char * const visit_kinds[] = {
  "kunjungan rumah", "groundcheck", "rujukan", "penyaluran bantuan", "lainnya", NULL
};

/* The national programs that use DTSEN; other program names are kept as
 * written, since kelurahan also record local ones. */
static const char * const programs[] = { "BPNT", "PBI-JK", "PKH", NULL };

static const char * const volunteer_statuses[] = { "aktif", "nonaktif", NULL };
static const char * const household_statuses[] = {
  "aktif", "pindah", "meninggal", "tidak ditemukan", NULL
};
static const char * const proposal_statuses[] = { "diajukan", "disetujui", "ditolak", NULL };

const char * const *
pdm_rules_get_relationships (void)
{
  return relationships;
}

const char * const *
pdm_rules_get_visit_kinds (void)
{
  return visit_kinds;
}

const char * const *
pdm_rules_get_programs (void)
{
  return programs;
}

/* What a check needs while it walks one record. */
typedef struct
{
  PdmRepository  *repository;
  PdmRecord      *record;
  GPtrArray      *warnings;
  const char    **out_field;
} Check;

static gboolean
fail (Check       *check,
      const char  *field,
      GError     **error,
      GError      *reason)
{
  if (check->out_field != NULL)
    *check->out_field = field;
  g_propagate_error (error, reason);

  return FALSE;
}

static gboolean
fail_literal (Check       *check,
              const char  *field,
              GError     **error,
              const char  *message)
{
  return fail (check, field, error,
               g_error_new_literal (PDM_ERROR, PDM_ERROR_INVALID_FIELD, message));
}

static void
warn (Check      *check,
      const char *message)
{
  if (check->warnings != NULL)
    g_ptr_array_add (check->warnings, g_strdup (message));
}

static const char *
get (Check      *check,
     const char *field)
{
  const char *value = pdm_record_get (check->record, field);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Empty text is stored as NULL, so "" and nothing never differ. */
static void
normalise_empty (PdmRecord *record)
{
  for (guint i = 0; i < record->info->n_fields; i++)
    if (record->values[i] != NULL && *g_strstrip (record->values[i]) == '\0')
      g_clear_pointer (&record->values[i], g_free);
}

static gboolean
check_name (Check       *check,
            const char  *field,
            const char  *label,
            GError     **error)
{
  GError *reason = NULL;
  g_autofree char *name = NULL;

  if (get (check, field) == NULL)
    return fail (check, field, error,
                 g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD, _("%s is required"), label));

  name = pdm_normalize_name (get (check, field), label, &reason);
  if (name == NULL)
    return fail (check, field, error, reason);

  pdm_record_set (check->record, field, name);

  return TRUE;
}

static gboolean
check_optional_text (Check       *check,
                     const char  *field,
                     const char  *label,
                     GError     **error)
{
  if (get (check, field) == NULL)
    return TRUE;

  return check_name (check, field, label, error);
}

static gboolean
check_date (Check       *check,
            const char  *field,
            const char  *label,
            gboolean     required,
            GDate       *out_date,
            GError     **error)
{
  const char *text = get (check, field);
  GError *reason = NULL;
  GDate date;
  char iso[11];

  if (text == NULL)
    {
      if (!required)
        return TRUE;

      return fail (check, field, error,
                   g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                                /* Translators: %s is a field name, such as the visit date */
                                _("%s is required"), label));
    }

  if (!pdm_parse_date (text, &date, &reason))
    {
      g_prefix_error (&reason, "%s: ", label);
      return fail (check, field, error, reason);
    }

  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &date);
  pdm_record_set (check->record, field, iso);
  if (out_date != NULL)
    *out_date = date;

  return TRUE;
}

static gboolean
check_choice (Check               *check,
              const char          *field,
              const char          *label,
              const char * const  *choices,
              const char          *fallback,
              GError             **error)
{
  const char *value = get (check, field);
  g_autofree char *list = NULL;

  if (value == NULL)
    {
      pdm_record_set (check->record, field, fallback);
      if (fallback != NULL)
        return TRUE;

      return fail (check, field, error,
                   g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD, _("%s is required"), label));
    }

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (value, choices[i]) == 0)
      {
        pdm_record_set (check->record, field, choices[i]);
        return TRUE;
      }

  list = g_strjoinv (", ", (char **) choices);
  return fail (check, field, error,
               g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                            /* Translators: a field, the value typed, the allowed values */
                            _("%s “%s” is not one of: %s"), label, value, list));
}

static gboolean
check_sex (Check   *check,
           PdmSex  *out_sex,
           GError **error)
{
  const char *value = get (check, "sex");

  *out_sex = pdm_sex_from_string (value);
  if (value != NULL && *out_sex == PDM_SEX_UNKNOWN)
    return fail (check, "sex", error,
                 g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                              _("Sex “%s” is not L (laki-laki) or P (perempuan)"), value));

  pdm_record_set (check->record, "sex", pdm_sex_to_code (*out_sex));

  return TRUE;
}

/* The first column of the first row of @sql for @key, or NULL. Statements
 * stay prepared in the repository: an import checks thousands of rows. */
static char *
lookup (Check      *check,
        const char *sql,
        const char *key)
{
  sqlite3_stmt *stmt = pdm_repository_prepare_cached (check->repository, sql, NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

static gboolean
row_exists (Check       *check,
            const char  *sql,
            const char  *key)
{
  g_autofree char *found = lookup (check, sql, key);

  return found != NULL;
}

static gboolean
check_kelurahan (Check    *check,
                 gboolean  required,
                 GError  **error)
{
  const char *code = get (check, "kelurahan_code");

  if (code == NULL && !required)
    return TRUE;

  if (code == NULL)
    return fail_literal (check, "kelurahan_code", error, _("Kelurahan is required"));

  if (!row_exists (check, "SELECT 1 FROM region WHERE code = ?1 AND level = 'kelurahan'", code))
    return fail (check, "kelurahan_code", error,
                 g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                              _("Kelurahan code “%s” is not a kelurahan of Kota Bukittinggi"),
                              code));

  return TRUE;
}

static gboolean
check_reference (Check       *check,
                 const char  *field,
                 const char  *table,
                 const char  *label,
                 gboolean     required,
                 GError     **error)
{
  const char *id = get (check, field);
  g_autofree char *sql = NULL;
  g_autofree char *deleted = NULL;

  if (id == NULL)
    {
      if (!required)
        return TRUE;

      return fail (check, field, error,
                   g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD, _("%s is required"), label));
    }

  sql = g_strdup_printf ("SELECT deleted FROM %s WHERE id = ?1", table);
  deleted = lookup (check, sql, id);
  if (deleted == NULL)
    return fail (check, field, error,
                 g_error_new (PDM_ERROR, PDM_ERROR_NOT_FOUND,
                              _("%s: the chosen record is not in the database"), label));

  /* A record that was deleted since it was chosen (a PSM who stopped) is
   * kept and pointed out, so saving other fields still works. */
  if (!g_str_equal (deleted, "0"))
    {
      g_autofree char *message = g_strdup_printf (_("%s: the chosen record was deleted"), label);

      warn (check, message);
    }

  return TRUE;
}

/* The kecamatan of Kota Bukittinggi as NIK/KK prefixes ("137501"...). The
 * region list is shipped data, so it is read once per repository. */
static GHashTable *
known_prefixes (Check *check)
{
  GHashTable *prefixes = g_object_get_data (G_OBJECT (check->repository), "pdm-known-prefixes");
  sqlite3_stmt *stmt;

  if (prefixes != NULL)
    return prefixes;

  prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  stmt = pdm_repository_prepare_cached (check->repository,
                                        "SELECT code FROM region WHERE level = 'kecamatan'", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      GString *digits = g_string_new (NULL);

      for (const char *c = code; *c != '\0'; c++)
        if (g_ascii_isdigit (*c))
          g_string_append_c (digits, *c);
      g_hash_table_add (prefixes, g_string_free (digits, FALSE));
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  g_object_set_data_full (G_OBJECT (check->repository), "pdm-known-prefixes", prefixes,
                          (GDestroyNotify) g_hash_table_unref);

  return prefixes;
}

/* A NIK names one person: refuse a second record of the same kind with it,
 * saying where it already is. */
static gboolean
check_nik_unique (Check       *check,
                  const char  *nik,
                  GError     **error)
{
  const char *table = check->record->info->name;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  GError *reason = NULL;

  if (check->record->info->table == PDM_TABLE_PERSON)
    sql = g_strdup ("SELECT p.full_name, h.head_name, h.kk_number FROM person p "
                    "LEFT JOIN household h ON h.id = p.household_id "
                    "WHERE p.nik = ?1 AND p.deleted = 0 AND p.id IS NOT ?2 LIMIT 1");
  else
    sql = g_strdup_printf ("SELECT full_name, NULL, NULL FROM %s "
                           "WHERE nik = ?1 AND deleted = 0 AND id IS NOT ?2 LIMIT 1", table);

  stmt = pdm_repository_prepare_cached (check->repository, sql, &reason);
  if (stmt == NULL)
    return fail (check, "nik", error, reason);
  sqlite3_bind_text (stmt, 1, nik, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, check->record->id, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *head = (const char *) sqlite3_column_text (stmt, 1);
      const char *kk = (const char *) sqlite3_column_text (stmt, 2);

      if (head != NULL)
        reason = g_error_new (PDM_ERROR, PDM_ERROR_DUPLICATE,
                              /* Translators: NIK, a person's name, the head of household, KK */
                              _("NIK %s is already recorded for %s, in the household of %s "
                                "(KK %s)"),
                              nik, name, head, kk != NULL ? kk : "-");
      else
        reason = g_error_new (PDM_ERROR, PDM_ERROR_DUPLICATE,
                              _("NIK %s is already recorded for the volunteer %s"), nik, name);
    }
  sqlite3_reset (stmt);

  if (reason != NULL)
    return fail (check, "nik", error, reason);

  return TRUE;
}

/* NIK structure and its agreement with birth date and sex; a missing birth
 * date or sex is taken from the NIK. */
static gboolean
check_nik (Check     *check,
           gboolean   required,
           GError   **error)
{
  const char *nik = get (check, "nik");
  GHashTable *prefixes;
  GError *reason = NULL;
  g_autofree char *digits = NULL;
  PdmNikInfo info;
  GDate birth_date;
  gboolean has_birth_date = FALSE;
  PdmSex sex;

  if (nik == NULL)
    return !required || fail_literal (check, "nik", error, _("NIK is required"));

  if (!pdm_parse_id_number (nik, 16, &digits, &reason))
    {
      g_prefix_error (&reason, "NIK: ");
      return fail (check, "nik", error, reason);
    }
  pdm_record_set (check->record, "nik", digits);

  if (!check_sex (check, &sex, error) ||
      !check_date (check, "birth_date", _("Birth date"), FALSE, &birth_date, error))
    return FALSE;
  has_birth_date = get (check, "birth_date") != NULL;

  prefixes = known_prefixes (check);
  if (!pdm_validate_nik (digits, has_birth_date ? &birth_date : NULL, sex, prefixes,
                         check->warnings, &reason))
    return fail (check, "nik", error, reason);

  if (pdm_nik_parse (digits, &info, NULL))
    {
      char iso[11];

      if (!has_birth_date)
        {
          g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &info.birth_date);
          pdm_record_set (check->record, "birth_date", iso);
        }
      if (sex == PDM_SEX_UNKNOWN)
        pdm_record_set (check->record, "sex", pdm_sex_to_code (info.sex));
    }

  return check_nik_unique (check, digits, error);
}

static gboolean
check_phone (Check   *check,
             GError **error)
{
  GError *reason = NULL;
  g_autofree char *phone = NULL;

  if (get (check, "phone") == NULL)
    return TRUE;

  phone = pdm_normalize_phone (get (check, "phone"), &reason);
  if (reason != NULL)
    return fail (check, "phone", error, reason);

  pdm_record_set (check->record, "phone", phone);

  return TRUE;
}

/* Letters only, case-folded: "Siti  Aminah" and "SITI AMINAH" compare equal. */
static char *
name_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  GString *key = g_string_new (NULL);

  for (const char *c = folded; *c != '\0'; c = g_utf8_next_char (c))
    if (g_unichar_isalpha (g_utf8_get_char (c)))
      g_string_append_unichar (key, g_utf8_get_char (c));

  return g_string_free (key, FALSE);
}

/* Levenshtein distance, capped: only "one or two typing slips" matters. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }

  return row[lb];
}

/* A person with a similar name and the same birth date in the same
 * kelurahan is probably the same person entered twice: say so, don't refuse
 * (twins and namesakes exist). */
static void
warn_possible_duplicate (Check *check)
{
  const char *birth_date = get (check, "birth_date");
  const char *household_id = get (check, "household_id");
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt = NULL;

  if (birth_date == NULL || household_id == NULL || get (check, "full_name") == NULL)
    return;

  key = name_key (get (check, "full_name"));
  stmt = pdm_repository_prepare_cached (check->repository,
                                        "SELECT p.full_name, h.head_name FROM person p "
                                        "JOIN household h ON h.id = p.household_id "
                                        "WHERE p.birth_date = ?1 AND p.deleted = 0 "
                                        "AND p.id IS NOT ?2 "
                                        "AND h.kelurahan_code = (SELECT kelurahan_code "
                                        "  FROM household WHERE id = ?3)",
                                        NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, birth_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, check->record->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, household_id, -1, SQLITE_TRANSIENT);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *other = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *other_key = name_key (other);

      if (edit_distance (key, other_key) <= 2)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("%s may already be recorded as %s, born the same day, in "
                                       "the household of %s"),
                                     get (check, "full_name"), other,
                                     (const char *) sqlite3_column_text (stmt, 1));
          warn (check, message);
          break;
        }
    }
  sqlite3_reset (stmt);
}

/* "pkh, Sembako;PBI JK" → "BPNT,PBI-JK,PKH": known names canonical, a set. */
static void
normalise_programs (Check *check)
{
  static const struct { const char *alias; const char *program; } aliases[] = {
    { "bpnt", "BPNT" }, { "sembako", "BPNT" }, { "bpntsembako", "BPNT" },
    { "pbijk", "PBI-JK" }, { "pbi", "PBI-JK" }, { "pkh", "PKH" },
  };
  const char *value = get (check, "programs");
  g_autoptr(GPtrArray) set = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    return;

  parts = g_strsplit_set (value, ",;", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *key = name_key (parts[i]);
      const char *program = g_strstrip (parts[i]);

      if (*program == '\0')
        continue;
      for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
        if (g_str_equal (key, aliases[a].alias))
          program = aliases[a].program;
      if (!g_ptr_array_find_with_equal_func (set, program, g_str_equal, NULL))
        g_ptr_array_add (set, g_strdup (program));
    }

  g_ptr_array_sort (set, (GCompareFunc) pdm_compare_strings_indirect);
  g_ptr_array_add (set, NULL);
  {
    g_autofree char *joined = g_strjoinv (",", (char **) set->pdata);

    pdm_record_set (check->record, "programs", *joined != '\0' ? joined : NULL);
  }
}

static gboolean
check_volunteer (Check   *check,
                 GError **error)
{
  return check_name (check, "full_name", _("Full name"), error) &&
         check_nik (check, FALSE, error) &&
         check_sex (check, &(PdmSex) { 0 }, error) &&
         check_date (check, "birth_date", _("Birth date"), FALSE, NULL, error) &&
         check_optional_text (check, "birth_place", _("Birth place"), error) &&
         check_phone (check, error) &&
         check_kelurahan (check, TRUE, error) &&
         check_date (check, "joined_date", _("Joined date"), FALSE, NULL, error) &&
         check_date (check, "sk_date", _("Decree date"), FALSE, NULL, error) &&
         check_choice (check, "status", _("Status"), volunteer_statuses, "aktif", error);
}

static gboolean
check_household (Check   *check,
                 GError **error)
{
  const char *kk = get (check, "kk_number");
  GHashTable *prefixes;
  g_autofree char *digits = NULL;
  GError *reason = NULL;

  if (kk == NULL)
    return fail_literal (check, "kk_number", error, _("KK number is required"));
  if (!pdm_parse_id_number (kk, 16, &digits, &reason))
    {
      g_prefix_error (&reason, "KK: ");
      return fail (check, "kk_number", error, reason);
    }
  prefixes = known_prefixes (check);
  if (!pdm_validate_kk (digits, prefixes, check->warnings, &reason))
    return fail (check, "kk_number", error, reason);
  pdm_record_set (check->record, "kk_number", digits);

  if (!check_name (check, "head_name", _("Head of household"), error) ||
      !check_kelurahan (check, TRUE, error))
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      const char *field = i == 0 ? "rt" : "rw";
      g_autofree char *padded = NULL;

      if (get (check, field) == NULL)
        continue;
      padded = pdm_normalize_rt_rw (get (check, field), i == 0 ? "RT" : "RW", &reason);
      if (padded == NULL)
        return fail (check, field, error, reason);
      pdm_record_set (check->record, field, padded);
    }

  if (get (check, "desil") != NULL)
    {
      int desil;

      if (!pdm_parse_int_in_range (get (check, "desil"), 1, 10, &desil, &reason))
        {
          g_prefix_error (&reason, "Desil: ");
          return fail (check, "desil", error, reason);
        }
      pdm_record_set_int (check->record, "desil", desil);
    }

  normalise_programs (check);

  return check_reference (check, "volunteer_id", "volunteer", _("Assigned PSM"), FALSE, error) &&
         check_choice (check, "status", _("Status"), household_statuses, "aktif", error);
}

static gboolean
check_person (Check   *check,
              GError **error)
{
  if (!check_reference (check, "household_id", "household", _("Household"), TRUE, error) ||
      !check_name (check, "full_name", _("Full name"), error) ||
      !check_nik (check, FALSE, error) ||
      !check_sex (check, &(PdmSex) { 0 }, error) ||
      !check_date (check, "birth_date", _("Birth date"), FALSE, NULL, error) ||
      !check_optional_text (check, "birth_place", _("Birth place"), error) ||
      !check_choice (check, "relationship", _("Relationship"), relationships, "Lainnya", error))
    return FALSE;

  warn_possible_duplicate (check);

  return TRUE;
}

static gboolean
check_visit (Check   *check,
             GError **error)
{
  GDate visit_date, follow_up;

  if (!check_reference (check, "household_id", "household", _("Household"), TRUE, error) ||
      !check_reference (check, "volunteer_id", "volunteer", _("PSM"), FALSE, error) ||
      !check_date (check, "visit_date", _("Visit date"), TRUE, &visit_date, error) ||
      !check_choice (check, "kind", _("Kind of visit"), visit_kinds, NULL, error) ||
      !check_date (check, "follow_up_date", _("Follow-up date"), FALSE, &follow_up, error))
    return FALSE;

  if (get (check, "follow_up_date") != NULL && g_date_compare (&follow_up, &visit_date) < 0)
    return fail_literal (check, "follow_up_date", error,
                         _("The follow-up date is before the visit date"));

  return TRUE;
}

static gboolean
check_proposal (Check   *check,
                GError **error)
{
  const PdmTableInfo *target = pdm_table_info_lookup (get (check, "target_table"));

  if (target == NULL ||
      (target->table != PDM_TABLE_HOUSEHOLD && target->table != PDM_TABLE_PERSON))
    return fail_literal (check, "target_table", error,
                         _("A correction can be proposed for a household or a person only"));

  if (!check_reference (check, "target_id", target->name, _("Record"), TRUE, error))
    return FALSE;

  if (pdm_table_info_find_field (target, get (check, "field")) < 0 ||
      g_strcmp0 (get (check, "field"), "deleted") == 0)
    return fail_literal (check, "field", error, _("The field to correct is not known"));

  if (get (check, "reason") == NULL)
    return fail_literal (check, "reason", error, _("Say why the data should be corrected"));

  /* The Dinas asks the proposer when a correction is unclear. */
  if (!check_name (check, "proposer", _("Proposed by"), error))
    return FALSE;

  return check_choice (check, "status", _("Status"), proposal_statuses, "diajukan", error);
}

static gboolean
check_training (Check   *check,
                GError **error)
{
  GDate start, end;

  if (!check_name (check, "title", _("Title"), error) ||
      !check_date (check, "start_date", _("Start date"), TRUE, &start, error) ||
      !check_date (check, "end_date", _("End date"), FALSE, &end, error) ||
      !check_optional_text (check, "venue", _("Venue"), error) ||
      !check_optional_text (check, "organiser", _("Organiser"), error))
    return FALSE;

  if (get (check, "end_date") != NULL && g_date_compare (&end, &start) < 0)
    return fail_literal (check, "end_date", error, _("The end date is before the start date"));

  return TRUE;
}

/* A time of day as HH:MM; "8.30" (the Indonesian way) and "08:30" are
 * both 08:30. *@out_minutes is minutes since midnight, -1 when empty. */
static gboolean
check_time (Check       *check,
            const char  *field,
            const char  *label,
            int         *out_minutes,
            GError     **error)
{
  const char *text = get (check, field);
  g_auto(GStrv) parts = NULL;
  guint64 hour, minute;
  char normal[6];

  *out_minutes = -1;
  if (text == NULL)
    return TRUE;

  parts = g_strsplit_set (text, ":.", -1);
  if (g_strv_length (parts) != 2 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &hour, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minute, NULL))
    return fail (check, field, error,
                 g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                              /* Translators: the first %s is a field, the second the text typed */
                              _("%s “%s” is not a time such as 08:30"), label, text));

  g_snprintf (normal, sizeof normal, "%02u:%02u", (guint) hour, (guint) minute);
  pdm_record_set (check->record, field, normal);
  *out_minutes = (int) (hour * 60 + minute);

  return TRUE;
}

static gboolean
check_session (Check   *check,
               GError **error)
{
  GError *reason = NULL;
  int start, end, position;

  if (!check_reference (check, "training_id", "training", _("Training"), TRUE, error) ||
      !check_name (check, "topic", _("Topic"), error) ||
      !check_optional_text (check, "speaker", _("Speaker"), error) ||
      !check_optional_text (check, "institution", _("Institution"), error) ||
      !check_date (check, "session_date", _("Date"), FALSE, NULL, error) ||
      !check_time (check, "start_time", _("Start time"), &start, error) ||
      !check_time (check, "end_time", _("End time"), &end, error))
    return FALSE;

  if (start >= 0 && end >= 0 && end < start)
    return fail_literal (check, "end_time", error, _("The end time is before the start time"));

  if (get (check, "position") != NULL &&
      !pdm_parse_int_in_range (get (check, "position"), 0, G_MAXINT, &position, &reason))
    {
      g_prefix_error (&reason, "%s: ", _("Order"));
      return fail (check, "position", error, reason);
    }

  return TRUE;
}

static gboolean
check_flag (Check       *check,
            const char  *field,
            const char  *label,
            GError     **error)
{
  const char *value = get (check, field);

  if (g_strcmp0 (value, "0") == 0 || g_strcmp0 (value, "1") == 0)
    return TRUE;

  return fail (check, field, error,
               g_error_new (PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                            _("%s must be \"0\" or \"1\""), label));
}

static gboolean
check_score (Check       *check,
             const char  *field,
             const char  *label,
             int         *out_score,
             GError     **error)
{
  GError *reason = NULL;

  *out_score = -1;
  if (get (check, field) == NULL)
    return TRUE;

  if (!pdm_parse_int_in_range (get (check, field), 0, G_MAXINT, out_score, &reason))
    {
      g_prefix_error (&reason, "%s: ", label);
      return fail (check, field, error, reason);
    }

  return TRUE;
}

static gboolean
check_response (Check   *check,
                GError **error)
{
  g_autoptr(JsonNode) answers = NULL;
  g_autoptr(GDateTime) submitted = NULL;
  int score, max_score;

  if (!check_reference (check, "form_id", "form", _("Form"), TRUE, error) ||
      !check_reference (check, "training_id", "training", _("Training"), TRUE, error) ||
      !check_reference (check, "participant_id", "participant", _("Participant"), FALSE, error) ||
      !check_reference (check, "session_id", "training_session", _("Session"), FALSE, error) ||
      !check_score (check, "score", _("Score"), &score, error) ||
      !check_score (check, "max_score", _("Highest score"), &max_score, error))
    return FALSE;

  if (get (check, "answers") != NULL)
    answers = json_from_string (get (check, "answers"), NULL);
  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    return fail_literal (check, "answers", error, _("The answers are not a JSON object"));

  if (score >= 0 && max_score >= 0 && score > max_score)
    return fail_literal (check, "score", error, _("The score is above the highest score"));

  if (get (check, "submitted_at") != NULL)
    submitted = g_date_time_new_from_iso8601 (get (check, "submitted_at"), NULL);
  if (submitted == NULL)
    return fail_literal (check, "submitted_at", error,
                         _("The time of submission is not a date and time such as "
                           "2025-11-25T09:30:00+07:00"));

  return TRUE;
}

gboolean
pdm_rules_check (PdmRepository  *repository,
                 PdmRecord      *record,
                 GPtrArray      *warnings,
                 const char    **out_field,
                 GError        **error)
{
  Check check = { repository, record, warnings, out_field };

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_field != NULL)
    *out_field = NULL;

  normalise_empty (record);

  switch (record->info->table)
    {
    case PDM_TABLE_VOLUNTEER:
      return check_volunteer (&check, error);
    case PDM_TABLE_HOUSEHOLD:
      return check_household (&check, error);
    case PDM_TABLE_PERSON:
      return check_person (&check, error);
    case PDM_TABLE_VISIT:
      return check_visit (&check, error);
    case PDM_TABLE_PROPOSAL:
      return check_proposal (&check, error);
    case PDM_TABLE_TRAINING:
      return check_training (&check, error);
    case PDM_TABLE_TRAINING_SESSION:
      return check_session (&check, error);
    case PDM_TABLE_PARTICIPANT:
      return check_reference (&check, "training_id", "training", _("Training"), TRUE, error) &&
             check_reference (&check, "volunteer_id", "volunteer", _("PSM"), TRUE, error) &&
             check_kelurahan (&check, TRUE, error);
    case PDM_TABLE_ATTENDANCE:
      return check_reference (&check, "session_id", "training_session", _("Session"), TRUE,
                              error) &&
             check_reference (&check, "participant_id", "participant", _("Participant"), TRUE,
                              error) &&
             check_flag (&check, "present", _("Present"), error);
    case PDM_TABLE_FORM:
      return fail_literal (&check, "definition", error,
                           _("Forms come with Pendamping and cannot be edited"));
    case PDM_TABLE_RESPONSE:
      return check_response (&check, error);
    case PDM_N_TABLES:
    default:
      g_assert_not_reached ();
    }
}

gboolean
pdm_rules_save (PdmRepository  *repository,
                PdmRecord      *record,
                GPtrArray      *warnings,
                const char    **out_field,
                GError        **error)
{
  g_autoptr(PdmRecord) stored = NULL;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!pdm_rules_check (repository, record, warnings, out_field, error))
    return FALSE;

  if (record->id != NULL)
    stored = pdm_repository_get (repository, record->info->table, record->id, NULL);

  if (stored == NULL)
    return pdm_repository_insert (repository, record, error);

  return pdm_repository_update (repository, record, NULL, error);
}
